"use client";

import { useCallback, useEffect, useState } from "react";
import { ApiError, request, searchQueryString, type SearchParams, type SearchResult } from "./api";

export interface SearchError {
  /** the API's error code (empty_query, query_too_long, not_found…), or network_error */
  code: string;
  status: number;
  message: string;
}

export interface SearchState {
  result: SearchResult | null;
  /** true while the answer for the current parameters is on its way */
  loading: boolean;
  error: SearchError | null;
  retry: () => void;
}

interface Answer {
  key: string;
  result: SearchResult | null;
  error: SearchError | null;
}

/**
 * One search, refetched whenever its parameters change (`null`: no search). What is
 * shown always belongs to the current parameters: a slower, older answer is dropped.
 */
export function useSearch(params: SearchParams | null): SearchState {
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<Answer | null>(null);
  // the request's own query string is the key: every parameter that changes the answer is in it
  const query = params === null ? null : searchQueryString({ ...params, limit: params.limit ?? 10 });
  const key = query === null ? null : `${query}#${attempt}`;

  useEffect(() => {
    if (query === null || key === null) return;
    const ctrl = new AbortController();
    request<SearchResult>(`/api/search?${query}`, { signal: ctrl.signal }).then(
      (result) => setAnswer({ key, result, error: null }),
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        const error =
          err instanceof ApiError
            ? { code: err.code, status: err.status, message: err.message }
            : { code: "unknown", status: 0, message: "The search failed." };
        setAnswer({ key, result: null, error });
      },
    );
    return () => ctrl.abort();
  }, [key, query]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  const current = answer && answer.key === key ? answer : null;
  return { result: current?.result ?? null, error: current?.error ?? null, loading: key !== null && !current, retry };
}
