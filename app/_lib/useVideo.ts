"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, getVideo, isTerminal, type VideoDto } from "./api";
import { ocrPending } from "./useCues";
import { usePolling } from "./usePolling";
import { POLL_MS } from "./useVideoList";

export interface VideoState {
  video: VideoDto | null;
  loading: boolean;
  notFound: boolean;
  error: string | null;
  reload: () => Promise<void>;
}

type Fetched = { video: VideoDto } | { notFound: true } | { error: string };

async function fetchVideo(id: string): Promise<Fetched> {
  try {
    return { video: await getVideo(id) };
  } catch (err) {
    // ids are UUIDs: a malformed one is answered 400, an unknown one 404
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return { notFound: true };
    return { error: err instanceof ApiError ? err.message : "The video could not be loaded." };
  }
}

export interface VideoOptions {
  /** keep polling while its on-screen text is queued or being read (after it is ready) */
  untilTextRead?: boolean;
}

/**
 * One video, polled every POLL_MS until it is ready or failed (and, with `untilTextRead`,
 * until its on-screen text is read). The page keys the component using this by id, so
 * state starts fresh (loading) for each video.
 */
export function useVideo(id: string, { untilTextRead = false }: VideoOptions = {}): VideoState {
  const [video, setVideo] = useState<VideoDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const apply = useCallback((mine: number, r: Fetched) => {
    if (mine !== seq.current) return; // a newer request is on its way
    if ("video" in r) {
      setVideo(r.video);
      setNotFound(false);
      setError(null);
    } else if ("notFound" in r) {
      setVideo(null);
      setNotFound(true);
    } else {
      setError(r.error);
    }
    setLoading(false);
  }, []);

  const load = useCallback(() => {
    const mine = ++seq.current;
    return fetchVideo(id).then((r) => apply(mine, r));
  }, [id, apply]);

  useEffect(() => {
    const mine = ++seq.current;
    fetchVideo(id).then((r) => apply(mine, r));
  }, [id, apply]);

  usePolling(load, POLL_MS, video !== null && (!isTerminal(video.status) || (untilTextRead && ocrPending(video))));

  return { video, loading, notFound, error, reload: load };
}
