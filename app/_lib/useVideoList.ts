"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, isTerminal, listVideos, type VideoDto } from "./api";
import { LIBRARY_PAGE_SIZE, type LibraryQuery } from "./libraryQuery";
import { usePolling } from "./usePolling";

export const POLL_MS = 1500;

export interface VideoListState {
  /** the page's videos (the previous view's while a new one loads) */
  videos: VideoDto[];
  /** videos matching the view, over every page */
  total: number;
  /** true until the first answer */
  loading: boolean;
  /** a different view (sort, filter, page) is on its way: `videos` are the previous one's */
  stale: boolean;
  error: string | null;
  reload: () => Promise<void>;
  /** drops videos locally (after a delete) without waiting for the next fetch */
  remove: (ids: readonly string[]) => void;
  /** puts the server's newer copy of a video in place (after a rename or a reprocess) */
  replace: (video: VideoDto) => void;
}

interface Loaded {
  key: string;
  videos: VideoDto[];
  total: number;
}

function keyOf(q: LibraryQuery): string {
  return JSON.stringify([q.sort, q.order, q.status, q.name.trim(), q.page]);
}

/**
 * One page of the library, as the server sorts and filters it (LIBRARY_PAGE_SIZE videos
 * at `offset`: nothing else is loaded, however large the library). While a video on the
 * page is still queued or processing it refetches the page every POLL_MS; it also
 * refetches when the window regains focus.
 */
export function useVideoList(query: LibraryQuery): VideoListState {
  const key = keyOf(query);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const queryRef = useRef(query);
  useEffect(() => {
    queryRef.current = query;
  });

  const fetchPage = useCallback(async (q: LibraryQuery, k: string) => {
    const mine = ++seq.current;
    controller.current?.abort();
    const ctrl = new AbortController();
    controller.current = ctrl;
    try {
      const page = await listVideos(
        {
          limit: LIBRARY_PAGE_SIZE,
          offset: (q.page - 1) * LIBRARY_PAGE_SIZE,
          sort: q.sort,
          order: q.order,
          status: q.status ?? undefined,
          q: q.name.trim() || undefined,
        },
        ctrl.signal,
      );
      if (mine !== seq.current) return; // a newer fetch started meanwhile
      setLoaded({ key: k, videos: page.videos, total: page.total });
      setError(null);
    } catch (err) {
      if (mine !== seq.current || (err instanceof DOMException && err.name === "AbortError")) return;
      setError(err instanceof ApiError ? err.message : "The library could not be loaded.");
      // a failed poll keeps what the view showed; a new view that failed shows nothing but the error
      // (not the previous view's cards as if they matched, nor a skeleton forever)
      setLoaded((l) => (l && l.key === k ? l : { key: k, videos: [], total: 0 }));
    }
  }, []);

  useEffect(() => {
    void fetchPage(queryRef.current, key);
  }, [key, fetchPage]);

  useEffect(() => () => controller.current?.abort(), []);

  const reload = useCallback(() => fetchPage(queryRef.current, keyOf(queryRef.current)), [fetchPage]);

  useEffect(() => {
    const onFocus = () => void reload();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [reload]);

  const stale = loaded !== null && loaded.key !== key;
  const videos = loaded?.videos ?? [];
  const busy = videos.some((v) => !isTerminal(v.status));
  usePolling(reload, POLL_MS, busy && !stale);

  const remove = useCallback((ids: readonly string[]) => {
    const gone = new Set(ids);
    setLoaded((l) => {
      if (!l) return l;
      const left = l.videos.filter((v) => !gone.has(v.id));
      return { ...l, videos: left, total: Math.max(0, l.total - (l.videos.length - left.length)) };
    });
  }, []);

  const replace = useCallback((video: VideoDto) => {
    setLoaded((l) => (l ? { ...l, videos: l.videos.map((v) => (v.id === video.id ? video : v)) } : l));
  }, []);

  return { videos, total: loaded?.total ?? 0, loading: loaded === null, stale, error, reload, remove, replace };
}
