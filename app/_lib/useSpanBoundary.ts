"use client";

import { useEffect, useRef, type RefObject } from "react";
import type { MediaState } from "./useMediaState";

/**
 * At the span's end, playback that runs from inside the span past it either goes back to
 * the start (loop) or pauses there (stop at the end). A jump past the end — a seek — does
 * not count, and neither does playing on from the end once stopped there.
 */
export function useSpanBoundary(
  videoRef: RefObject<HTMLVideoElement | null>,
  media: Pick<MediaState, "currentTime" | "paused">,
  o: {
    span: { start: number; end: number } | null;
    loop: boolean;
    stopAtEnd: boolean;
    playFrom: (t: number) => void;
    seek: (t: number) => void;
  },
): void {
  const { span, loop, stopAtEnd, playFrom, seek } = o;
  const lastTime = useRef(media.currentTime);
  useEffect(() => {
    const prev = lastTime.current;
    const now = media.currentTime;
    lastTime.current = now;
    if (!span || (!loop && !stopAtEnd)) return;
    const v = videoRef.current;
    const fromInside = prev >= span.start - 0.25;
    const crossed = !media.paused && fromInside && prev < span.end && now >= span.end - 0.02 && now - prev < 1.5;
    if (loop) {
      // a span that runs to the very end: the video stops ("ended") instead of crossing it
      const endedInside = !!v?.ended && fromInside && now >= span.end - 0.25;
      if (crossed || endedInside) playFrom(span.start);
    } else if (crossed && v) {
      v.pause();
      seek(span.end);
      lastTime.current = span.end;
    }
  }, [videoRef, media.currentTime, media.paused, loop, stopAtEnd, span, playFrom, seek]);
}
