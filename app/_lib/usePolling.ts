"use client";

import { useEffect, useRef } from "react";

/**
 * Calls `tick` every `intervalMs` while `active`, never overlapping: the next call is
 * scheduled when the previous one settles. Pauses while the tab is hidden and ticks at
 * once when it comes back.
 */
export function usePolling(tick: () => Promise<unknown> | unknown, intervalMs: number, active: boolean): void {
  const tickRef = useRef(tick);
  useEffect(() => {
    tickRef.current = tick;
  });

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;

    const schedule = () => {
      if (stopped || document.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(run, intervalMs);
    };
    const run = async () => {
      if (stopped || running) return;
      running = true;
      try {
        await tickRef.current();
      } catch {
        /* the tick reports its own errors; keep polling */
      } finally {
        running = false;
        schedule();
      }
    };
    const onVisibility = () => {
      if (!document.hidden) {
        clearTimeout(timer);
        void run();
      }
    };

    schedule();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [active, intervalMs]);
}
