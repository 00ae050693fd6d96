/**
 * Typed access to the JSON API from the browser. The shapes are the server's own
 * types (type-only imports: nothing from lib/ or db/ ends up in the client bundle).
 */
import type { SpriteInfo, VideoStatus } from "@/db/repositories/videos";
import type { Moment, SearchResult, Span } from "@/lib/search/service";
import type { VideoDto } from "@/lib/videos/dto";
import type { FileOutcome } from "@/lib/videos/multipart";

export type { FileOutcome, Moment, SearchResult, Span, SpriteInfo, VideoDto, VideoStatus };

export interface Clip {
  idx: number;
  start: number;
  end: number;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export interface VideoListResponse {
  videos: VideoDto[];
  total: number;
}

export interface UploadResponse {
  results: FileOutcome[];
  video?: VideoDto;
  id?: string;
}

/** A non-2xx answer (or a network failure, status 0) with the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const err = (body as { error: unknown }).error;
  return typeof err === "object" && err !== null && typeof (err as { message?: unknown }).message === "string";
}

export function isTerminal(status: VideoStatus): boolean {
  return status === "ready" || status === "failed";
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store", ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "The server could not be reached.");
  }
  let body: unknown = null;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    if (isErrorBody(body)) throw new ApiError(res.status, body.error.code, body.error.message);
    throw new ApiError(res.status, "http_error", `The server answered ${res.status} ${res.statusText}`.trim());
  }
  return body as T;
}

export function listVideos(o: { limit: number; offset: number }, signal?: AbortSignal): Promise<VideoListResponse> {
  const q = new URLSearchParams({ limit: String(o.limit), offset: String(o.offset) });
  return request<VideoListResponse>(`/api/videos?${q}`, { signal });
}

export async function getVideo(id: string, signal?: AbortSignal): Promise<VideoDto> {
  const body = await request<{ video: VideoDto }>(`/api/videos/${encodeURIComponent(id)}`, { signal });
  return body.video;
}

export async function deleteVideo(id: string): Promise<void> {
  await request<{ deleted: string }>(`/api/videos/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export async function getClips(id: string, signal?: AbortSignal): Promise<Clip[]> {
  const body = await request<{ clips: Clip[] }>(`/api/videos/${encodeURIComponent(id)}/clips`, { signal });
  return body.clips;
}

export interface SearchParams {
  q: string;
  limit: number;
  offset?: number;
  /** only this video's moments */
  video?: string;
}

/** Moment search. An empty or over-long query is answered 400 with a message worth showing. */
export function searchMoments(p: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
  const q = new URLSearchParams({ q: p.q, limit: String(p.limit), offset: String(p.offset ?? 0) });
  if (p.video) q.set("video", p.video);
  return request<SearchResult>(`/api/search?${q}`, { signal });
}

export async function getHealth(signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch("/api/health", { cache: "no-store", signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "The server could not be reached.");
  }
  // an unhealthy server still answers with JSON worth showing (e.g. 503)
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(res.status, "http_error", `The server answered ${res.status} without JSON.`);
  }
}
