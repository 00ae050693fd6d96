"use client";

import { useCallback, useEffect, useState, type RefObject } from "react";

export interface MediaState {
  currentTime: number;
  duration: number;
  paused: boolean;
  muted: boolean;
  /** end of the buffered range around currentTime, seconds */
  bufferedEnd: number;
  waiting: boolean;
  error: string | null;
}

export interface MediaControls {
  play: () => void;
  pause: () => void;
  toggle: () => void;
  seek: (t: number) => void;
  toggleMute: () => void;
}

function bufferedEndAt(v: HTMLVideoElement): number {
  for (let i = 0; i < v.buffered.length; i++) {
    if (v.buffered.start(i) <= v.currentTime + 0.5 && v.currentTime <= v.buffered.end(i)) return v.buffered.end(i);
  }
  return 0;
}

const MEDIA_ERRORS: Record<number, string> = {
  1: "Playback was aborted.",
  2: "A network error stopped the video from loading.",
  3: "The browser could not decode this video.",
  4: "This browser cannot play this video's format or codec.",
};

/**
 * Mirrors a <video> element into React state. While playing, currentTime follows
 * requestAnimationFrame (timeupdate alone fires only ~4 times a second, too jerky for a
 * playhead).
 */
export function useMediaState(ref: RefObject<HTMLVideoElement | null>, fallbackDuration: number): [MediaState, MediaControls] {
  const [state, setState] = useState<MediaState>({
    currentTime: 0,
    duration: fallbackDuration,
    paused: true,
    muted: false,
    bufferedEnd: 0,
    waiting: false,
    error: null,
  });

  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    let frame = 0;
    const read = (patch: Partial<MediaState> = {}) =>
      setState((s) => ({
        ...s,
        currentTime: v.currentTime,
        duration: Number.isFinite(v.duration) && v.duration > 0 ? v.duration : s.duration,
        paused: v.paused,
        muted: v.muted,
        bufferedEnd: bufferedEndAt(v),
        ...patch,
      }));
    const loop = () => {
      read();
      frame = requestAnimationFrame(loop);
    };
    const onPlay = () => {
      read();
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(loop);
    };
    const onPause = () => {
      cancelAnimationFrame(frame);
      read({ waiting: false });
    };
    const onUpdate = () => read();
    const onWaiting = () => read({ waiting: true });
    const onPlaying = () => read({ waiting: false, error: null });
    const onError = () => read({ error: MEDIA_ERRORS[v.error?.code ?? 0] ?? "The video could not be played.", waiting: false });

    const events: [string, () => void][] = [
      ["play", onPlay],
      ["pause", onPause],
      ["ended", onPause],
      ["timeupdate", onUpdate],
      ["durationchange", onUpdate],
      ["loadedmetadata", onUpdate],
      ["seeked", onUpdate],
      ["progress", onUpdate],
      ["volumechange", onUpdate],
      ["waiting", onWaiting],
      ["playing", onPlaying],
      ["error", onError],
    ];
    for (const [name, fn] of events) v.addEventListener(name, fn);
    read();
    if (v.error) onError();
    if (!v.paused) onPlay();
    return () => {
      cancelAnimationFrame(frame);
      for (const [name, fn] of events) v.removeEventListener(name, fn);
    };
  }, [ref]);

  const play = useCallback(() => {
    ref.current?.play().catch(() => {
      /* interrupted by a pause or refused by the browser: state follows the element's events */
    });
  }, [ref]);
  const pause = useCallback(() => ref.current?.pause(), [ref]);
  const toggle = useCallback(() => {
    const v = ref.current;
    if (!v) return;
    if (v.paused || v.ended) play();
    else v.pause();
  }, [ref, play]);
  const seek = useCallback(
    (t: number) => {
      const v = ref.current;
      if (!v) return;
      const max = Number.isFinite(v.duration) && v.duration > 0 ? v.duration : fallbackDuration;
      const to = Math.max(0, Math.min(max || 0, t));
      v.currentTime = to;
      setState((s) => ({ ...s, currentTime: to })); // move the playhead now, not at "seeked"
    },
    [ref, fallbackDuration],
  );
  const toggleMute = useCallback(() => {
    const v = ref.current;
    if (v) v.muted = !v.muted;
  }, [ref]);

  return [state, { play, pause, toggle, seek, toggleMute }];
}
