/**
 * Typed browser access to the weak captions API (issue 22): the sentences typed for a
 * video (no times), and the training data summary of /datasets. The shapes are the
 * server's own types (type-only imports: nothing from lib/ or db/ ends up in the client
 * bundle); errors are api.ts's ApiError with the server's message.
 */
import type { SentenceSource } from "@/db/repositories/descriptions";
import type { toDescriptionDto, trainingDataSummary } from "@/lib/training/data";
import { fileStem } from "@/lib/videos/dto";
import { request, sendJson } from "./api";

export type { SentenceSource };

/** One sentence typed for a video: what happens in it, without times. */
export type DescriptionDto = ReturnType<typeof toDescriptionDto>;

/** GET /api/training/data: videos and sentences per source, and the ready videos with none. */
export type TrainingData = Awaited<ReturnType<typeof trainingDataSummary>>;
export type VideoWithoutSentences = TrainingData["videosWithout"]["videos"][number];

/** The server's limits (lib/training/data.ts): checked here first, to say so before the round trip. */
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_DESCRIPTIONS_PER_REQUEST = 50;

/** The sources in the order the training data table lists them, with their names there. */
export const SENTENCE_SOURCES: { source: SentenceSource; label: string; hint: string }[] = [
  { source: "descriptions", label: "Typed descriptions", hint: "“What happens in this video”, on each video's page" },
  { source: "subtitles", label: "Subtitles", hint: "subtitle files and subtitle streams (not on-screen text)" },
  { source: "datasets", label: "Imported datasets", hint: "the sentences of imported datasets, timed or not" },
  { source: "review", label: "Review items", hint: "the sentences of the review queue's items" },
];

/** The video page's “What happens in this video”: /datasets links to `/videos/<id>#what-happens`, which opens its editor. */
export const DESCRIPTIONS_ANCHOR = "what-happens";

const descriptionsUrl = (videoId: string) => `/api/videos/${encodeURIComponent(videoId)}/descriptions`;

/**
 * The lines of a textarea as the server will store them: whitespace collapsed, trimmed,
 * blank lines dropped, exact repeats once (the server skips case-insensitive repeats of
 * what the video already has, and answers with what it added).
 */
export function descriptionLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+/g, " ").trim();
    if (line && !out.includes(line)) out.push(line);
  }
  return out;
}

/** What the textarea holds that the server would refuse, in words; null when it may be sent. */
export function descriptionsProblem(lines: string[]): string | null {
  if (lines.length === 0) return "Type at least one sentence that says what happens in the video.";
  if (lines.length > MAX_DESCRIPTIONS_PER_REQUEST)
    return `At most ${MAX_DESCRIPTIONS_PER_REQUEST} sentences at once; this is ${lines.length}.`;
  const long = lines.findIndex((s) => s.length > MAX_DESCRIPTION_LENGTH);
  if (long >= 0) {
    return lines.length === 1
      ? `The sentence is longer than ${MAX_DESCRIPTION_LENGTH} characters.`
      : `Line ${long + 1} is longer than ${MAX_DESCRIPTION_LENGTH} characters.`;
  }
  return null;
}

/** The lines sent that the server did not add: repeats of what the video had (in any case), or of another line. */
export function skippedLines(sent: string[], added: Pick<DescriptionDto, "sentence">[]): string[] {
  const kept = new Set(added.map((d) => d.sentence));
  return sent.filter((s) => !kept.has(s));
}

/** The sentences typed for a video, in the order they were typed. */
export async function listDescriptions(videoId: string, signal?: AbortSignal): Promise<DescriptionDto[]> {
  return (await request<{ descriptions: DescriptionDto[] }>(descriptionsUrl(videoId), { signal })).descriptions;
}

/** → the sentences added (repeats skipped). 400 with a message for none, too long or too many. */
export async function addDescriptions(videoId: string, sentences: string[]): Promise<DescriptionDto[]> {
  return (await sendJson<{ added: DescriptionDto[] }>(descriptionsUrl(videoId), "POST", { sentences })).added;
}

/** 404 when it is gone already. */
export async function removeDescription(videoId: string, descriptionId: string): Promise<void> {
  await sendJson<{ deleted: string }>(`${descriptionsUrl(videoId)}/${encodeURIComponent(descriptionId)}`, "DELETE");
}

export function getTrainingData(signal?: AbortSignal): Promise<TrainingData> {
  return request<TrainingData>("/api/training/data", { signal });
}

/** What people see for a video: its title, else its file name without the extension (as the video's own DTO says it). */
export function videoTitle(v: Pick<VideoWithoutSentences, "name" | "title">): string {
  return v.title ?? fileStem(v.name);
}
