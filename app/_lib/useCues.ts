"use client";

import { useEffect, useState } from "react";
import { errorMessage, getCues, type TextCue, type TextKind, type VideoDto } from "./api";

export interface CuesState {
  /** subtitles, in time order (empty until loaded, or when there are none) */
  subtitles: TextCue[];
  /** on-screen text (OCR), in time order */
  ocr: TextCue[];
  /** a short fingerprint of each list: it changes when the text does (a cache-buster for the <track>s) */
  versions: Record<TextKind, string>;
  loading: boolean;
  error: string | null;
}

const NONE: TextCue[] = [];

/** djb2 over the cues: equal lists, equal versions. */
export function cuesVersion(cues: TextCue[]): string {
  let h = 5381;
  for (const c of cues) {
    const s = `${c.start}|${c.end}|${c.text}\n`;
    for (let i = 0; i < s.length; i++) h = ((h << 5) + h + s.charCodeAt(i)) | 0;
  }
  return `${cues.length}-${(h >>> 0).toString(36)}`;
}

interface Loaded {
  key: string;
  subtitles: TextCue[];
  ocr: TextCue[];
  error: string | null;
}

/**
 * The video's subtitles and on-screen text, fetched while `enabled` (the video has text)
 * and again whenever `refreshKey` changes (on-screen text finished, subtitles attached).
 * The previous lists stay in place while new ones load.
 */
export function useCues(videoId: string, enabled: boolean, refreshKey: string): CuesState {
  const key = `${videoId}\u0000${refreshKey}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    Promise.all([getCues(videoId, "subtitles", ctrl.signal), getCues(videoId, "ocr", ctrl.signal)]).then(
      ([subtitles, ocr]) => setLoaded({ key, subtitles, ocr, error: null }),
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setLoaded((prev) => ({
          key,
          subtitles: prev?.subtitles ?? NONE,
          ocr: prev?.ocr ?? NONE,
          error: errorMessage(err, "The transcript could not be loaded."),
        }));
      },
    );
    return () => ctrl.abort();
  }, [videoId, enabled, key]);

  const subtitles = enabled ? (loaded?.subtitles ?? NONE) : NONE;
  const ocr = enabled ? (loaded?.ocr ?? NONE) : NONE;
  return {
    subtitles,
    ocr,
    versions: { subtitles: cuesVersion(subtitles), ocr: cuesVersion(ocr) },
    loading: enabled && loaded?.key !== key,
    error: enabled && loaded?.key === key ? loaded.error : null,
  };
}

/** On-screen text is still to come: the video is ready and its text queued or being read. */
export function ocrPending(video: Pick<VideoDto, "ocr" | "status"> | null): boolean {
  return video?.status === "ready" && (video.ocr.status === "queued" || video.ocr.status === "running");
}
