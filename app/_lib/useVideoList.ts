"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, isTerminal, listVideos, type VideoDto } from "./api";
import { usePolling } from "./usePolling";

const PAGE_SIZE = 48;
export const POLL_MS = 1500;

export interface VideoListState {
  videos: VideoDto[];
  total: number;
  /** true until the first answer */
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => Promise<void>;
  /** drops a video locally (after a delete) without waiting for the next fetch */
  remove: (id: string) => void;
}

type Fetched = { videos: VideoDto[]; total: number } | { error: string };

/** The first `count` videos, fetched page by page (the API caps `limit`). */
async function fetchUpTo(count: number): Promise<Fetched> {
  try {
    const videos: VideoDto[] = [];
    let total = 0;
    while (videos.length < count) {
      const page = await listVideos({ limit: Math.min(PAGE_SIZE, count - videos.length), offset: videos.length });
      total = page.total;
      videos.push(...page.videos);
      if (page.videos.length === 0 || videos.length >= total) break;
    }
    return { videos, total };
  } catch (err) {
    return { error: err instanceof ApiError ? err.message : "The library could not be loaded." };
  }
}

/**
 * The library, newest first, page by page. While any loaded video is still queued or
 * processing it refetches every POLL_MS; it also refetches when the window regains focus.
 */
export function useVideoList(): VideoListState {
  const [videos, setVideos] = useState<VideoDto[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wanted, setWanted] = useState(PAGE_SIZE);
  const seq = useRef(0);

  const apply = useCallback((mine: number, r: Fetched) => {
    if (mine !== seq.current) return; // a newer fetch started meanwhile
    if ("error" in r) {
      setError(r.error);
    } else {
      setVideos(r.videos);
      setTotal(r.total);
      setError(null);
    }
    setLoading(false);
    setLoadingMore(false);
  }, []);

  const reload = useCallback(() => {
    const mine = ++seq.current;
    return fetchUpTo(wanted).then((r) => apply(mine, r));
  }, [wanted, apply]);

  useEffect(() => {
    const mine = ++seq.current;
    fetchUpTo(wanted).then((r) => apply(mine, r));
  }, [wanted, apply]);

  useEffect(() => {
    const onFocus = () => void reload();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [reload]);

  const busy = videos.some((v) => !isTerminal(v.status));
  usePolling(reload, POLL_MS, busy && !loading);

  const loadMore = useCallback(() => {
    setLoadingMore(true);
    setWanted((w) => w + PAGE_SIZE);
  }, []);

  const remove = useCallback((id: string) => {
    setVideos((vs) => vs.filter((v) => v.id !== id));
    setTotal((t) => Math.max(0, t - 1));
  }, []);

  return { videos, total, loading, error, hasMore: videos.length < total, loadingMore, loadMore, reload, remove };
}
