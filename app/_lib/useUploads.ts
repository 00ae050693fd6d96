"use client";

import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { ApiError, attachSubtitles, errorMessage, getVideo, isErrorBody, reprocessVideo, type VideoDto } from "./api";
import { bestFit, isSubtitleFile } from "./subtitles";
import { UploadAbortedError, uploadFile, type UploadAnswer } from "./upload";
import { usePolling } from "./usePolling";
import { POLL_MS } from "./useVideoList";

/**
 * A row's life: pending → uploading → processing → ready | failed, or error when the
 * upload was refused or broke. What the server said about the file (added, or already
 * in the library) is the separate `outcome`: processing can finish faster than one poll,
 * so "processing" starts from the upload's own answer (the new video is queued).
 */
export type UploadStatus = "pending" | "uploading" | "error" | "processing" | "ready" | "failed";

/**
 * A subtitle file dropped with its video (same name: talk.mp4 + talk.srt): waiting for the
 * video's id, sending (PUT /api/videos/:id/subtitles), attached with its cue count, or error.
 */
export interface SubtitleAttachment {
  file: File;
  status: "waiting" | "sending" | "attached" | "error";
  cues: number | null;
  error: string | null;
}

/** A subtitle file with no video of its name among the rows (a later video of that name claims it). */
export interface LooseSubtitle {
  key: string;
  file: File;
}

export interface UploadItem {
  key: string;
  file: File;
  status: UploadStatus;
  /** bytes sent so far */
  loaded: number;
  /** what the server said about the file, once it answered */
  outcome: "added" | "duplicate" | "error" | null;
  httpStatus: number | null;
  video: VideoDto | null;
  error: string | null;
  /** the person cancelled it (so "Clear finished" clears it, unlike a failure) */
  cancelled: boolean;
  /** why the last Retry / Reprocess could not start */
  retryError: string | null;
  /** the subtitle file that goes with this video, if one was added */
  subtitle: SubtitleAttachment | null;
}

/** An upload before its first byte: what a new row starts with and a retry starts over from. */
const NOT_STARTED = {
  status: "pending",
  loaded: 0,
  outcome: null,
  httpStatus: null,
  video: null,
  error: null,
  cancelled: false,
  retryError: null,
} as const satisfies Partial<UploadItem>;

type Action =
  | { type: "add"; items: UploadItem[] }
  | { type: "start"; key: string }
  | { type: "progress"; key: string; loaded: number }
  | { type: "answered"; key: string; answer: UploadAnswer }
  | { type: "failed"; key: string; message: string; cancelled?: boolean }
  | { type: "retry"; key: string }
  | { type: "retryError"; key: string; message: string }
  | { type: "dismiss"; key: string }
  | { type: "subtitle"; key: string; subtitle: SubtitleAttachment }
  | { type: "subtitleState"; key: string; file: File; patch: Partial<Omit<SubtitleAttachment, "file">> }
  | { type: "video"; video: VideoDto }
  | { type: "gone"; videoId: string }
  | { type: "clear" };

/** Uploads running at once; the rest wait (browsers allow ~6 connections per host). */
const CONCURRENCY = 2;

export const UPLOAD_ACTIVE: ReadonlySet<UploadStatus> = new Set(["pending", "uploading"]);
const WATCHED: ReadonlySet<UploadStatus> = new Set(["processing"]);

function fromVideo(status: VideoDto["status"]): UploadStatus {
  return status === "ready" ? "ready" : status === "failed" ? "failed" : "processing";
}

function answered(item: UploadItem, { status, body }: UploadAnswer): UploadItem {
  const result = body && "results" in body ? body.results[0] : undefined;
  const video = result?.video ?? (body && "video" in body ? body.video : undefined);
  if (status >= 200 && status < 300 && video && !result?.error) {
    const duplicate = result ? result.created === false || result.status === 200 : status === 200;
    return {
      ...item,
      status: fromVideo(video.status),
      outcome: duplicate ? "duplicate" : "added",
      httpStatus: result?.status ?? status,
      video,
      loaded: item.file.size,
    };
  }
  const message =
    result?.error?.message ??
    (isErrorBody(body) ? body.error.message : null) ??
    (status === 413
      ? "The file is larger than the server accepts."
      : status === 415
        ? "The file is not a video the server can read."
        : `The upload failed (HTTP ${status || "no answer"}).`);
  return { ...item, status: "error", outcome: "error", httpStatus: result?.status ?? status, error: message };
}

function reducer(items: UploadItem[], action: Action): UploadItem[] {
  const update = (key: string, f: (i: UploadItem) => UploadItem) => items.map((i) => (i.key === key ? f(i) : i));
  switch (action.type) {
    case "add":
      return [...action.items, ...items];
    case "start":
      return update(action.key, (i) => ({ ...i, status: "uploading" }));
    case "progress":
      return update(action.key, (i) => ({ ...i, loaded: action.loaded }));
    case "answered":
      return update(action.key, (i) => answered(i, action.answer));
    case "failed":
      return update(action.key, (i) => ({
        ...i,
        status: "error",
        outcome: "error",
        error: action.message,
        cancelled: action.cancelled ?? false,
      }));
    case "retry":
      // the same File again, from the start
      return update(action.key, (i) => ({
        ...i,
        ...NOT_STARTED,
        // subtitles not attached yet go with the new attempt
        subtitle:
          i.subtitle && i.subtitle.status !== "attached"
            ? { ...i.subtitle, status: "waiting", error: null }
            : i.subtitle,
      }));
    case "retryError":
      return update(action.key, (i) => ({ ...i, retryError: action.message }));
    case "dismiss":
      return items.filter((i) => i.key !== action.key);
    case "subtitle":
      return update(action.key, (i) => ({ ...i, subtitle: action.subtitle }));
    case "subtitleState":
      // only for the file it is about: a newer subtitle file dropped meanwhile wins
      return update(action.key, (i) =>
        i.subtitle?.file === action.file ? { ...i, subtitle: { ...i.subtitle, ...action.patch } } : i,
      );
    case "video":
      return items.map((i) =>
        i.video?.id === action.video.id && i.status !== "error"
          ? { ...i, video: action.video, status: fromVideo(action.video.status), retryError: null }
          : i,
      );
    case "gone":
      // no video to link to or reprocess any more: Retry uploads the file again
      return items.map((i) =>
        i.video?.id === action.videoId && WATCHED.has(i.status)
          ? { ...i, status: "failed", video: null, error: "The video was deleted from the library." }
          : i,
      );
    case "clear":
      // what went wrong stays, to be retried or dismissed; what went well (or was cancelled) goes
      return items.filter((i) => i.status !== "ready" && !(i.status === "error" && i.cancelled));
  }
}

let nextKey = 0;

/** Runs uploads at most CONCURRENCY at a time and reports each step as an Action. */
class UploadQueue {
  private waiting: { key: string; file: File }[] = [];
  private running = new Map<string, AbortController>();
  /** told after each answer (after its "answered" action): the subtitles follow the video */
  private onAnswered: ((key: string, answer: UploadAnswer) => void) | null = null;

  constructor(private readonly dispatch: (a: Action) => void) {}

  /** Calls `fn` after each upload's answer, until the returned function is called. */
  listen(fn: (key: string, answer: UploadAnswer) => void): () => void {
    this.onAnswered = fn;
    return () => {
      if (this.onAnswered === fn) this.onAnswered = null;
    };
  }

  enqueue(items: { key: string; file: File }[]): void {
    this.waiting.push(...items);
    this.pump();
  }

  cancel(key: string): void {
    const i = this.waiting.findIndex((w) => w.key === key);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      this.dispatch({ type: "failed", key, message: "Upload cancelled.", cancelled: true });
    }
    this.running.get(key)?.abort();
  }

  abortAll(): void {
    this.waiting = [];
    this.running.forEach((c) => c.abort());
  }

  private pump(): void {
    while (this.running.size < CONCURRENCY && this.waiting.length > 0) {
      const { key, file } = this.waiting.shift()!;
      const ctrl = new AbortController();
      this.running.set(key, ctrl);
      this.dispatch({ type: "start", key });
      let last = 0;
      const onProgress = (loaded: number) => {
        const now = performance.now();
        if (now - last < 100 && loaded < file.size) return; // ~10 renders a second is plenty
        last = now;
        this.dispatch({ type: "progress", key, loaded });
      };
      uploadFile(file, onProgress, ctrl.signal)
        .then((answer) => {
          this.dispatch({ type: "answered", key, answer });
          this.onAnswered?.(key, answer);
        })
        .catch((err: unknown) =>
          this.dispatch({
            type: "failed",
            key,
            message:
              err instanceof UploadAbortedError
                ? "Upload cancelled."
                : err instanceof Error
                  ? err.message
                  : "The upload failed.",
            cancelled: err instanceof UploadAbortedError,
          }),
        )
        .finally(() => {
          this.running.delete(key);
          this.pump();
        });
    }
  }
}

export interface Uploads {
  items: UploadItem[];
  /** subtitle files no video row matched */
  loose: LooseSubtitle[];
  /**
   * Videos are uploaded; an .srt/.vtt goes with the video of the same name (in the same
   * drop, a row already here, or a later drop), else it waits in `loose`.
   */
  add: (files: File[]) => void;
  cancel: (key: string) => void;
  /**
   * A row that went wrong, again: a refused or broken upload sends the same File again;
   * a video whose processing failed is reprocessed (POST /api/videos/:id/reprocess).
   */
  retry: (key: string) => void;
  /** removes one finished or failed row */
  dismiss: (key: string) => void;
  /** removes the rows that are done (ready, or cancelled); failures stay */
  clearFinished: () => void;
  /** removes a subtitle file that matched no video */
  dismissLoose: (key: string) => void;
}

/** Whether a row can be tried again. */
export function canRetry(item: UploadItem): boolean {
  return item.status === "error" || item.status === "failed";
}

/** The upload queue: one XHR per file, then polls each new video until it is ready or failed. */
export function useUploads(): Uploads {
  const [items, dispatch] = useReducer(reducer, []);
  const [queue] = useState(() => new UploadQueue(dispatch));

  const [loose, setLoose] = useState<LooseSubtitle[]>([]);

  // the latest rows and loose subtitles, for the callbacks (which stay the same across renders)
  const itemsRef = useRef(items);
  const looseRef = useRef(loose);
  useEffect(() => {
    itemsRef.current = items;
    looseRef.current = loose;
  });

  /** PUTs the subtitles to the video and reports on the row. */
  const sendSubtitle = useCallback((key: string, videoId: string, file: File) => {
    dispatch({ type: "subtitleState", key, file, patch: { status: "sending", error: null } });
    attachSubtitles(videoId, file).then(
      (cues) => dispatch({ type: "subtitleState", key, file, patch: { status: "attached", cues } }),
      (err: unknown) =>
        dispatch({
          type: "subtitleState",
          key,
          file,
          patch: { status: "error", error: errorMessage(err, "The subtitles could not be attached.") },
        }),
    );
  }, []);

  // once a video's upload has its id, the subtitles that go with it follow
  useEffect(
    () =>
      queue.listen((key, answer) => {
        const item = itemsRef.current.find((i) => i.key === key);
        if (!item?.subtitle || item.subtitle.status === "attached" || item.subtitle.status === "sending") return;
        const after = answered(item, answer);
        if (after.status !== "error" && after.video) sendSubtitle(key, after.video.id, item.subtitle.file);
      }),
    [queue, sendSubtitle],
  );

  const add = useCallback(
    (files: File[]) => {
      const waiting = (file: File): SubtitleAttachment => ({ file, status: "waiting", cues: null, error: null });
      const fresh: UploadItem[] = files
        .filter((f) => !isSubtitleFile(f.name))
        .map((file) => ({
          key: `u${++nextKey}`,
          file,
          ...NOT_STARTED,
          subtitle: null,
        }));
      const toRows: { item: UploadItem; file: File }[] = [];
      const unmatched: LooseSubtitle[] = [];
      for (const file of files.filter((f) => isSubtitleFile(f.name))) {
        // a video of the same drop, else a row already on the page (newest first)
        const mate = bestFit(
          file.name,
          fresh.filter((i) => !i.subtitle),
          (i) => i.file.name,
        );
        if (mate) {
          mate.subtitle = waiting(file);
          continue;
        }
        const row = bestFit(
          file.name,
          itemsRef.current.filter((i) => !toRows.some((t) => t.item.key === i.key)),
          (i) => i.file.name,
        );
        if (row) toRows.push({ item: row, file });
        else unmatched.push({ key: `s${++nextKey}`, file });
      }
      // subtitles dropped before their video
      const claimed = new Set<string>();
      for (const l of looseRef.current) {
        const mate = bestFit(
          l.file.name,
          fresh.filter((i) => !i.subtitle),
          (i) => i.file.name,
        );
        if (mate) {
          mate.subtitle = waiting(l.file);
          claimed.add(l.key);
        }
      }

      // newest on top, but upload in the order chosen
      if (fresh.length) dispatch({ type: "add", items: [...fresh].reverse() });
      for (const { item, file } of toRows) {
        dispatch({ type: "subtitle", key: item.key, subtitle: waiting(file) });
        if (item.video && item.status !== "error") sendSubtitle(item.key, item.video.id, file);
      }
      if (unmatched.length || claimed.size)
        setLoose((l) => [...unmatched.reverse(), ...l.filter((x) => !claimed.has(x.key))]);
      if (fresh.length) queue.enqueue(fresh.map(({ key, file }) => ({ key, file })));
    },
    [queue, sendSubtitle],
  );

  const dismissLoose = useCallback((key: string) => setLoose((l) => l.filter((x) => x.key !== key)), []);

  const cancel = useCallback((key: string) => queue.cancel(key), [queue]);

  // leaving the page aborts what is still uploading
  useEffect(() => () => queue.abortAll(), [queue]);

  const clearFinished = useCallback(() => dispatch({ type: "clear" }), []);

  const dismiss = useCallback((key: string) => dispatch({ type: "dismiss", key }), []);

  const retry = useCallback(
    (key: string) => {
      const item = itemsRef.current.find((i) => i.key === key);
      if (!item || !canRetry(item)) return;
      if (item.status === "failed" && item.video) {
        const id = item.video.id;
        reprocessVideo(id).then(
          (video) => dispatch({ type: "video", video }),
          (err: unknown) =>
            dispatch({ type: "retryError", key, message: errorMessage(err, "The video could not be reprocessed.") }),
        );
        return;
      }
      dispatch({ type: "retry", key });
      queue.enqueue([{ key, file: item.file }]);
    },
    [queue],
  );

  const watched = Array.from(new Set(items.filter((i) => WATCHED.has(i.status) && i.video).map((i) => i.video!.id)));
  usePolling(
    async () => {
      await Promise.all(
        watched.map(async (id) => {
          try {
            dispatch({ type: "video", video: await getVideo(id) });
          } catch (err) {
            if (err instanceof ApiError && err.status === 404) dispatch({ type: "gone", videoId: id });
          }
        }),
      );
    },
    POLL_MS,
    watched.length > 0,
  );

  return { items, loose, add, cancel, retry, dismiss, clearFinished, dismissLoose };
}
