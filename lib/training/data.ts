/**
 * The library's own sentences as training data: descriptions people type for a video (no
 * times needed), and what subtitles, imported datasets and review items already hold.
 */
import * as descriptions from "@/db/repositories/descriptions";
import type { Context } from "../context";
import { badRequest, notFound } from "../errors";
import { getVideo } from "../videos/service";

export const MAX_DESCRIPTIONS_PER_REQUEST = 50;

export function toDescriptionDto(d: descriptions.Description) {
  return {
    id: d.id,
    videoId: d.videoId,
    sentence: d.sentence,
    addedBy: d.addedBy,
    createdAt: d.createdAt.toISOString(),
  };
}

/** Sentences, trimmed, one per entry (blank ones dropped); 1–500 characters each. */
export async function describeVideo(ctx: Context, videoId: string, sentences: string[], addedBy: string | null) {
  await getVideo(ctx, videoId);
  const clean = [...new Set(sentences.map((s) => s.replace(/\s+/g, " ").trim()).filter(Boolean))];
  if (clean.length === 0)
    throw badRequest("Type at least one sentence that says what happens in the video.", "empty_sentence");
  if (clean.length > MAX_DESCRIPTIONS_PER_REQUEST)
    throw badRequest(`At most ${MAX_DESCRIPTIONS_PER_REQUEST} sentences at once.`, "too_many");
  const long = clean.find((s) => s.length > 500);
  if (long)
    throw badRequest(`A sentence is at most 500 characters ("${long.slice(0, 40)}…" is longer).`, "sentence_too_long");
  return descriptions.addDescriptions(ctx.db, videoId, clean, addedBy);
}

export async function removeDescription(ctx: Context, videoId: string, id: string): Promise<void> {
  if (!(await descriptions.deleteDescription(ctx.db, videoId, id)))
    throw notFound(`No description ${id} on video ${videoId}.`);
}

/** How many videos and sentences each source gives, and which ready videos have none. */
export async function trainingDataSummary(ctx: Context) {
  const [sources, without, total] = await Promise.all([
    descriptions.sentenceCounts(ctx.db),
    descriptions.videosWithoutSentences(ctx.db, 50),
    ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM videos WHERE status = 'ready'"),
  ]);
  return { sources, readyVideos: total.rows[0].n, videosWithout: without };
}
