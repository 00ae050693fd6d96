"use client";

import { useEffect, useState } from "react";
import { ApiError, getClips, type Clip } from "./api";

export interface ClipsState {
  clips: Clip[] | null;
  error: string | null;
}

/** The clip list of a video, fetched once it is ready (there are none before). */
export function useClips(id: string, ready: boolean): ClipsState {
  const [state, setState] = useState<ClipsState>({ clips: null, error: null });

  useEffect(() => {
    if (!ready) return;
    const ctrl = new AbortController();
    getClips(id, ctrl.signal).then(
      (clips) => setState({ clips: [...clips].sort((a, b) => a.start - b.start), error: null }),
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setState({ clips: null, error: err instanceof ApiError ? err.message : "The clips could not be loaded." });
      },
    );
    return () => ctrl.abort();
  }, [id, ready]);

  return state;
}

/** The clip playing at time t (the last one once t runs past the end), or -1. */
export function clipIndexAt(clips: Clip[], t: number): number {
  let lo = 0;
  let hi = clips.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (clips[mid].start <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found >= 0 && t >= clips[found].end && found < clips.length - 1) return -1; // in a gap
  return found;
}
