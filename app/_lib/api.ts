/**
 * Typed access to the JSON API from the browser. The shapes are the server's own
 * types (type-only imports: nothing from lib/ or db/ ends up in the client bundle).
 */
import type { StoredCue, TextKind } from "@/db/repositories/cues";
import type { SpriteInfo, VideoStatus } from "@/db/repositories/videos";
import type { UserDto } from "@/lib/auth/accounts";
import type { ErrorBody } from "@/lib/errors";
import type { Role } from "@/lib/auth/roles";
import type { TokenDto } from "@/lib/auth/tokens";
import type { DayScore, Evaluation, Miss, Scores, SourceScore, VersionScore } from "@/lib/review/evaluation";
import type { AnnotationDto, ReviewItemDto } from "@/lib/review/service";
import type { Moment, SearchResult, Span } from "@/lib/search/service";
import type { SimilarMoment } from "@/lib/search/similar";
import type { VideoDto } from "@/lib/videos/dto";
import type { FileOutcome } from "@/lib/videos/multipart";

export type {
  AnnotationDto,
  ErrorBody,
  FileOutcome,
  Moment,
  ReviewItemDto,
  Role,
  Scores,
  SearchResult,
  SimilarMoment,
  SourceScore,
  Span,
  SpriteInfo,
  TextKind,
  TokenDto,
  UserDto,
  VersionScore,
  VideoDto,
  VideoStatus,
};

export interface Clip {
  idx: number;
  start: number;
  end: number;
}

export interface VideoListResponse {
  videos: VideoDto[];
  total: number;
}

export type VideoSort = "added" | "name" | "duration";
export type SortOrder = "asc" | "desc";

/** One page of the library, sorted and filtered by the server. */
export interface VideoListQuery {
  limit: number;
  offset: number;
  sort?: VideoSort;
  order?: SortOrder;
  status?: VideoStatus;
  /** part of the title or file name */
  q?: string;
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
    /** seconds, from a Retry-After header (e.g. 429 after too many failed sign-ins) */
    readonly retryAfter: number | null = null,
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

/** fetch → the JSON body, or an ApiError with the server's code and message (shared by the client helpers). */
export async function request<T>(url: string, init?: RequestInit): Promise<T> {
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
    const retry = Number(res.headers.get("retry-after"));
    const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
    if (isErrorBody(body)) throw new ApiError(res.status, body.error.code, body.error.message, retryAfter);
    throw new ApiError(
      res.status,
      "http_error",
      `The server answered ${res.status} ${res.statusText}`.trim(),
      retryAfter,
    );
  }
  return body as T;
}

/** A JSON request body (same-origin fetch: the browser adds Origin / Sec-Fetch-Site itself). */
export function sendJson<T>(url: string, method: "POST" | "PUT" | "PATCH" | "DELETE", body?: unknown): Promise<T> {
  return request<T>(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
}

export function listVideos(o: VideoListQuery, signal?: AbortSignal): Promise<VideoListResponse> {
  const q = new URLSearchParams({ limit: String(o.limit), offset: String(o.offset) });
  if (o.sort) q.set("sort", o.sort);
  if (o.order) q.set("order", o.order);
  if (o.status) q.set("status", o.status);
  if (o.q) q.set("q", o.q);
  return request<VideoListResponse>(`/api/videos?${q}`, { signal });
}

export async function getVideo(id: string, signal?: AbortSignal): Promise<VideoDto> {
  const body = await request<{ video: VideoDto }>(`/api/videos/${encodeURIComponent(id)}`, { signal });
  return body.video;
}

export async function deleteVideo(id: string): Promise<void> {
  await request<{ deleted: string }>(`/api/videos/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/** Sets the title people see; "" or null goes back to the file name. 400 invalid_title. */
export async function renameVideo(id: string, title: string | null): Promise<VideoDto> {
  return (await sendJson<{ video: VideoDto }>(`/api/videos/${encodeURIComponent(id)}`, "PATCH", { title })).video;
}

/**
 * Processes the video again from its stored file (→ queued). 409 already_processing;
 * 403 when an annotator asks for a video that has not failed.
 */
export async function reprocessVideo(id: string): Promise<VideoDto> {
  return (await sendJson<{ video: VideoDto }>(`/api/videos/${encodeURIComponent(id)}/reprocess`, "POST")).video;
}

export async function getClips(id: string, signal?: AbortSignal): Promise<Clip[]> {
  const body = await request<{ clips: Clip[] }>(`/api/videos/${encodeURIComponent(id)}/clips`, { signal });
  return body.clips;
}

// ——— subtitles and on-screen text ———

/** One timed line of a transcript: subtitles, or on-screen text (OCR). */
export type TextCue = StoredCue;

/** The video's cues of one kind, in time order. */
export async function getCues(id: string, kind: TextKind, signal?: AbortSignal): Promise<TextCue[]> {
  const q = new URLSearchParams({ kind });
  return (await request<{ cues: TextCue[] }>(`/api/videos/${encodeURIComponent(id)}/cues?${q}`, { signal })).cues;
}

/** The WebVTT track of one kind (same-origin: the session cookie reaches it from a <track>). */
export function trackUrl(id: string, kind: TextKind): string {
  return `/api/videos/${encodeURIComponent(id)}/tracks/${kind}.vtt`;
}

/**
 * Attaches an .srt/.vtt file to a video, replacing its subtitles (not its on-screen text);
 * returns how many cues were kept. 400/415 with a message on a file that is not subtitles,
 * 413 over 10 MiB.
 */
export async function attachSubtitles(id: string, file: Blob): Promise<number> {
  const body = await request<{ videoId: string; cues: number }>(`/api/videos/${encodeURIComponent(id)}/subtitles`, {
    method: "PUT",
    body: file,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
  return body.cues;
}

export interface SearchParams {
  q: string;
  limit: number;
  offset?: number;
  /** only this video's moments */
  video?: string;
  /** moments below this are counted in `weaker`, not returned (the server's default: 0.5) */
  minConfidence?: number;
  /** "visual": found by the pictures; "text": by subtitles or on-screen text */
  source?: "visual" | "text";
  /** videos at least / at most this long, seconds */
  minDuration?: number;
  maxDuration?: number;
  /** "time": by video, then start (default: by confidence) */
  sort?: "confidence" | "time";
}

/** The query string of a search (the parameters left unset are left out). */
export function searchQueryString(p: SearchParams): string {
  const q = new URLSearchParams({ q: p.q, limit: String(p.limit), offset: String(p.offset ?? 0) });
  if (p.video) q.set("video", p.video);
  if (p.minConfidence !== undefined) q.set("minConfidence", String(p.minConfidence));
  if (p.source) q.set("source", p.source);
  if (p.minDuration !== undefined) q.set("minDuration", String(p.minDuration));
  if (p.maxDuration !== undefined) q.set("maxDuration", String(p.maxDuration));
  if (p.sort && p.sort !== "confidence") q.set("sort", p.sort);
  return q.toString();
}

/** Moment search. An empty or over-long query is answered 400 with a message worth showing. */
export function searchMoments(p: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
  return request<SearchResult>(`/api/search?${searchQueryString(p)}`, { signal });
}

/** The moments nearest to a video's span, excluding the span itself. */
export async function similarMoments(
  p: { video: string; start: number; end: number; limit?: number },
  signal?: AbortSignal,
): Promise<SimilarMoment[]> {
  const q = new URLSearchParams({ video: p.video, start: String(p.start), end: String(p.end) });
  if (p.limit !== undefined) q.set("limit", String(p.limit));
  return (await request<{ moments: SimilarMoment[] }>(`/api/moments/similar?${q}`, { signal })).moments;
}

/** Up to 3 sentences that are known to find a correct moment in this library ([] when none are). */
export async function searchExamples(signal?: AbortSignal): Promise<string[]> {
  const body = await request<{ examples?: unknown }>("/api/search/examples", { signal });
  return Array.isArray(body.examples)
    ? body.examples.filter((e): e is string => typeof e === "string" && e.trim() !== "")
    : [];
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

// ——— accounts ———

/** The signed-in user as the API describes it (no `disabled`: a disabled user is not signed in). */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface MeResponse {
  user: SessionUser;
  /** what this request may do (a token may hold less than its owner) */
  role: Role;
  via: "session" | "token";
}

export interface SignedIn {
  user: UserDto;
  expiresAt: string;
}

/** First run: creates the admin account (only while none exists) and signs it in. */
export function setupAdmin(a: { email: string; password: string; name?: string }): Promise<SignedIn> {
  return sendJson<SignedIn>("/api/auth/setup", "POST", a);
}

/** 401 invalid_credentials / account_disabled; 429 too_many_attempts (`retryAfter` set). */
export function signIn(c: { email: string; password: string }): Promise<SignedIn> {
  return sendJson<SignedIn>("/api/auth/login", "POST", c);
}

export async function signOut(): Promise<void> {
  await sendJson<{ signedOut: boolean }>("/api/auth/logout", "POST");
}

export function getMe(signal?: AbortSignal): Promise<MeResponse> {
  return request<MeResponse>("/api/me", { signal });
}

/** 400 wrong_password / weak_password. The account's other sessions end. */
export async function changePassword(p: { currentPassword: string; newPassword: string }): Promise<void> {
  await sendJson<{ changed: boolean }>("/api/me/password", "PUT", p);
}

export async function listTokens(signal?: AbortSignal): Promise<TokenDto[]> {
  return (await request<{ tokens: TokenDto[] }>("/api/tokens", { signal })).tokens;
}

/** A new token: `token` is the secret, returned this once. */
export interface CreatedToken extends TokenDto {
  token: string;
}

export function createToken(t: { name: string; role?: Role }): Promise<CreatedToken> {
  return sendJson<CreatedToken>("/api/tokens", "POST", t);
}

export async function revokeToken(id: string): Promise<TokenDto> {
  return (await sendJson<{ revoked: string; token: TokenDto }>(`/api/tokens/${encodeURIComponent(id)}`, "DELETE"))
    .token;
}

/** An account as an admin sees it: with its live sessions and unrevoked tokens. */
export interface ManagedUser extends UserDto {
  sessions: number;
  tokens: number;
}

export async function listUsers(signal?: AbortSignal): Promise<ManagedUser[]> {
  return (await request<{ users: ManagedUser[] }>("/api/users", { signal })).users;
}

/** 409 email_taken; 400 weak_password / invalid_body. */
export async function createUser(u: { email: string; password: string; role: Role; name?: string }): Promise<UserDto> {
  return (await sendJson<{ user: UserDto }>("/api/users", "POST", u)).user;
}

export interface UserChanges {
  name?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/** 409 last_admin (demoting or disabling the only admin); 400 self_disable / weak_password. */
export async function updateUser(id: string, changes: UserChanges): Promise<UserDto> {
  return (await sendJson<{ user: UserDto }>(`/api/users/${encodeURIComponent(id)}`, "PATCH", changes)).user;
}

/** Signs the user out of every browser; returns how many sessions ended. */
export async function revokeUserSessions(id: string): Promise<number> {
  return (await sendJson<{ revoked: number }>(`/api/users/${encodeURIComponent(id)}/sessions`, "DELETE")).revoked;
}

// ——— review ———

/** A time span in seconds (a review item's prediction, an annotator's span). */
export interface TimeSpan {
  start: number;
  end: number;
}

/** Where a review item came from. */
export type ReviewSourceName = "flagged" | "batch" | "described" | "imported";

export interface NewReviewItem {
  videoId: string;
  sentence: string;
  source?: "described" | "flagged";
  /** "flagged" with start/end: the item's prediction is this span (the search result flagged) */
  start?: number;
  end?: number;
  alternatives?: TimeSpan[];
}

/**
 * 409 video_not_ready; 422 no_prediction; 400 empty_sentence. Without start/end the model
 * proposes the span at once.
 */
export async function createReviewItem(i: NewReviewItem): Promise<ReviewItemDto> {
  return (await sendJson<{ item: ReviewItemDto }>("/api/review/items", "POST", i)).item;
}

/** One item with every annotation of it (undone ones included) and its agreement. */
export interface ReviewItemDetail {
  item: ReviewItemDto & { batchId?: string | null };
  annotations: AnnotationDto[];
  /** mean pairwise IoU (0..1) of the live accepted/corrected spans; null with fewer than two */
  agreement: number | null;
  video: { id: string; name: string; duration: number | null };
}

/** 404 not_found. */
export function getReviewItem(id: string, signal?: AbortSignal): Promise<ReviewItemDetail> {
  return request<ReviewItemDetail>(`/api/review/items/${encodeURIComponent(id)}`, { signal });
}

export interface ReviewSettings {
  /** how many annotators each new item wants */
  annotationsPerItem: number;
}

export function getReviewSettings(signal?: AbortSignal): Promise<ReviewSettings> {
  return request<ReviewSettings>("/api/review/settings", { signal });
}

/** Admins only; 1..10; applies to items created afterwards. */
export function putReviewSettings(s: ReviewSettings): Promise<ReviewSettings> {
  return sendJson<ReviewSettings>("/api/review/settings", "PUT", s);
}

/** The caller's current item (claimed for them for a while), or null when nothing is left. */
export async function nextReviewItem(signal?: AbortSignal): Promise<ReviewItemDto | null> {
  return (await request<{ item: ReviewItemDto | null }>("/api/review/next", { signal })).item;
}

export interface DecisionBody {
  decision: "accept" | "reject" | "correct";
  start?: number;
  end?: number;
  sentence?: string;
  notInVideo?: boolean;
}

/** 409 already_decided / claimed; 400 invalid_span. */
export async function decideReviewItem(id: string, d: DecisionBody): Promise<AnnotationDto> {
  return (
    await sendJson<{ annotation: AnnotationDto }>(`/api/review/items/${encodeURIComponent(id)}/decision`, "POST", d)
  ).annotation;
}

/** Undoes the caller's latest decision (404 when there is none). */
export async function undoReviewDecision(): Promise<AnnotationDto> {
  return (await sendJson<{ annotation: AnnotationDto }>("/api/review/undo", "POST")).annotation;
}

/** Puts an item aside: the others come first, this one after them. */
export async function skipReviewItem(id: string): Promise<void> {
  await sendJson<{ skipped: string }>(`/api/review/items/${encodeURIComponent(id)}/skip`, "POST");
}

export const SCORE_METRICS = ["R1@0.3", "R1@0.5", "R1@0.7", "mIoU"] as const;
export type ScoreMetric = (typeof SCORE_METRICS)[number];

export type TimelinePoint = DayScore;
export type WorstMiss = Miss;
export type EvaluationReport = Evaluation;

/** Every model version against the accepted and corrected spans (percent), per source, over time; the worst misses; agreement. */
export async function getEvaluation(signal?: AbortSignal): Promise<EvaluationReport> {
  const body = await request<Partial<EvaluationReport> & { versions: VersionScore[] }>("/api/evaluation", { signal });
  // a server from before these fields answers `versions` only: the rest shows as empty
  return {
    versions: body.versions,
    bySource: body.bySource ?? [],
    timeline: body.timeline ?? [],
    worst: body.worst ?? [],
    agreement: body.agreement ?? { overall: null, items: 0 },
    decisions: body.decisions ?? { accept: 0, correct: 0, reject: 0 },
  };
}

/** The message worth showing for a failed request. */
export function errorMessage(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}
