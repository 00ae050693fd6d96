"use client";

import { useCallback, useEffect, useState, type RefObject } from "react";

export interface MediaState {
  currentTime: number;
  duration: number;
  paused: boolean;
  muted: boolean;
  /** 0..1 */
  volume: number;
  /** 1 = normal speed */
  playbackRate: number;
  /** end of the buffered range around currentTime, seconds */
  bufferedEnd: number;
  waiting: boolean;
  /**
   * Why the file cannot be played, or null. Set from the element's MediaError (decode
   * error, unsupported format) or when a file with a picture loads without one (the
   * browser plays the sound only); once set it stays for this source: a later `playing`
   * or `timeupdate` does not clear it.
   */
  error: string | null;
  /** the browser's own words about the error, when it gives any (e.g. "DEMUXER_ERROR_…") */
  errorDetail: string | null;
}

export interface MediaControls {
  play: () => void;
  pause: () => void;
  toggle: () => void;
  seek: (t: number) => void;
  toggleMute: () => void;
  /** 0..1; a volume above 0 unmutes */
  setVolume: (v: number) => void;
  setPlaybackRate: (r: number) => void;
  /** pauses and moves one frame of `frameSeconds` forward (+1) or back (−1) */
  stepFrame: (direction: 1 | -1, frameSeconds: number) => void;
}

export interface MediaOptions {
  /** the file is known to have a picture (its width from the server's probe): a load without one is an error */
  expectsPicture?: boolean;
}

function bufferedEndAt(v: HTMLVideoElement): number {
  for (let i = 0; i < v.buffered.length; i++) {
    if (v.buffered.start(i) <= v.currentTime + 0.5 && v.currentTime <= v.buffered.end(i)) return v.buffered.end(i);
  }
  return 0;
}

/** The reasons of MediaError codes, as the end of "This video's file cannot be played in the browser: …". */
export const MEDIA_ERRORS: Record<number, string> = {
  1: "loading was aborted.",
  2: "a network error stopped it from loading.",
  3: "the browser could not decode it (the file may be damaged, or encoded in a way this browser does not support).",
  4: "this browser does not support its format or codec.",
};

export const NO_PICTURE =
  "the browser found no video picture it can decode (the codec is not supported; only the sound, if any, would play).";

function mediaErrorOf(v: HTMLVideoElement): { error: string; errorDetail: string | null } | null {
  if (!v.error) return null;
  return { error: MEDIA_ERRORS[v.error.code] ?? "it could not be played.", errorDetail: v.error.message || null };
}

/**
 * Mirrors a <video> element into React state. While playing, currentTime follows
 * requestAnimationFrame (timeupdate alone fires only ~4 times a second, too jerky for a
 * playhead).
 */
export function useMediaState(
  ref: RefObject<HTMLVideoElement | null>,
  fallbackDuration: number,
  { expectsPicture = false }: MediaOptions = {},
): [MediaState, MediaControls] {
  const [state, setState] = useState<MediaState>({
    currentTime: 0,
    duration: fallbackDuration,
    paused: true,
    muted: false,
    volume: 1,
    playbackRate: 1,
    bufferedEnd: 0,
    waiting: false,
    error: null,
    errorDetail: null,
  });

  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    let frame = 0;
    // an error of this source that is not the element's own (a file without a decodable picture)
    let noPicture = false;
    const read = (patch: Partial<MediaState> = {}) => {
      const failed = mediaErrorOf(v) ?? (noPicture ? { error: NO_PICTURE, errorDetail: null } : null);
      setState((s) => ({
        ...s,
        currentTime: v.currentTime,
        duration: Number.isFinite(v.duration) && v.duration > 0 ? v.duration : s.duration,
        // a failed element may still say it is not paused (a play() before the error): it plays nothing
        paused: v.paused || !!failed,
        muted: v.muted,
        volume: v.volume,
        playbackRate: v.playbackRate,
        bufferedEnd: bufferedEndAt(v),
        ...patch,
        // the error follows the element, never an event: a late `playing` cannot clear it
        error: failed?.error ?? null,
        errorDetail: failed?.errorDetail ?? null,
        ...(failed ? { waiting: false } : {}),
      }));
    };
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
    const onPlaying = () => read({ waiting: false });
    const onError = () => {
      cancelAnimationFrame(frame);
      read({ waiting: false });
    };
    // the first frame is in: a file that has a picture but shows none cannot be decoded here
    const onLoadedData = () => {
      if (expectsPicture && v.videoWidth === 0 && v.videoHeight === 0 && !v.error) {
        noPicture = true;
        v.pause();
      }
      read();
    };
    // a new source starts clean
    const onEmptied = () => {
      noPicture = false;
      read();
    };

    const events: [string, () => void][] = [
      ["play", onPlay],
      ["pause", onPause],
      ["ended", onPause],
      ["timeupdate", onUpdate],
      ["durationchange", onUpdate],
      ["loadedmetadata", onUpdate],
      ["loadeddata", onLoadedData],
      ["emptied", onEmptied],
      ["seeked", onUpdate],
      ["progress", onUpdate],
      ["volumechange", onUpdate],
      ["ratechange", onUpdate],
      ["waiting", onWaiting],
      ["playing", onPlaying],
      ["error", onError],
    ];
    for (const [name, fn] of events) v.addEventListener(name, fn);
    // the <source>-less element reports a failed src on itself; an error before hydration is already there
    if (v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) onLoadedData();
    else read();
    if (!v.paused && !v.error) onPlay();
    return () => {
      cancelAnimationFrame(frame);
      for (const [name, fn] of events) v.removeEventListener(name, fn);
    };
  }, [ref, expectsPicture]);

  const play = useCallback(() => {
    const v = ref.current;
    if (!v || v.error) return;
    v.play().catch(() => {
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
    if (!v) return;
    v.muted = !v.muted;
    // unmuting at volume 0 would stay silent
    if (!v.muted && v.volume === 0) v.volume = 0.5;
  }, [ref]);
  const setVolume = useCallback(
    (volume: number) => {
      const v = ref.current;
      if (!v) return;
      const to = Math.max(0, Math.min(1, Math.round(volume * 100) / 100));
      v.volume = to;
      v.muted = to === 0;
      // at once, not at the element's volumechange: a slider moved by held-down keys must
      // not be re-rendered with the value before (it would then step from there again)
      setState((s) => ({ ...s, volume: to, muted: to === 0 }));
    },
    [ref],
  );
  const setPlaybackRate = useCallback(
    (rate: number) => {
      const v = ref.current;
      if (!v || !Number.isFinite(rate) || rate <= 0) return;
      v.playbackRate = rate;
      v.defaultPlaybackRate = rate; // kept across a new source or a reload of this one
    },
    [ref],
  );
  const stepFrame = useCallback(
    (direction: 1 | -1, frameSeconds: number) => {
      const v = ref.current;
      if (!v) return;
      if (!v.paused) v.pause();
      seek(v.currentTime + direction * frameSeconds);
    },
    [ref, seek],
  );

  return [state, { play, pause, toggle, seek, toggleMute, setVolume, setPlaybackRate, stepFrame }];
}
