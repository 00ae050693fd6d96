/**
 * Review: a model's span for a (video, sentence) becomes an item; annotators take items
 * one at a time (a claim that expires, so a closed tab frees its item) and decide:
 * accept the span, correct it, or reject it. Decisions are saved at once and can be
 * undone. Accepted and corrected spans are the ground truth that evaluates each model
 * version (lib/review/evaluation.ts).
 */
import * as review from "@/db/repositories/review";
import * as videosRepo from "@/db/repositories/videos";
import type { Annotation, Decision, ReviewItem, ReviewSource, SpanRow } from "@/db/repositories/review";
import { withTransaction } from "@/db/pool";
import type { Context } from "../context";
import { AppError, badRequest, conflict, notFound } from "../errors";
import { getGroundingModels } from "../models";
import { search } from "../search/service";
import { getVideo } from "../videos/service";
import { meanPairwiseIoU } from "./agreement";
import { getReviewSettings } from "./settings";

/** How long an annotator holds an item without deciding it. */
export const CLAIM_SECONDS = 10 * 60;

/** An item as the API sends it: times as ISO strings, who holds or filed it left out. */
export type ReviewItemDto = Omit<ReviewItem, "createdBy" | "createdAt" | "claimedBy" | "claimExpiresAt"> & {
  status: "open" | "decided";
  createdAt: string;
  claimExpiresAt: string | null;
};

export function toItemDto(i: ReviewItem): ReviewItemDto {
  return {
    id: i.id,
    videoId: i.videoId,
    sentence: i.sentence,
    source: i.source,
    modelVersion: i.modelVersion,
    prediction: i.prediction,
    alternatives: i.alternatives,
    status: i.annotations >= i.annotationsWanted ? "decided" : "open",
    annotations: i.annotations,
    annotationsWanted: i.annotationsWanted,
    createdAt: i.createdAt.toISOString(),
    claimExpiresAt: i.claimExpiresAt?.toISOString() ?? null,
    batchId: i.batchId,
  };
}

/** A decision as the API sends it: its time as an ISO string, and whether it was undone. */
export type AnnotationDto = Omit<Annotation, "createdAt" | "undoneAt"> & { createdAt: string; undone: boolean };

export function toAnnotationDto(a: Annotation): AnnotationDto {
  return {
    id: a.id,
    itemId: a.itemId,
    annotatorId: a.annotatorId,
    decision: a.decision,
    span: a.span,
    sentence: a.sentence,
    notInVideo: a.notInVideo,
    modelVersion: a.modelVersion,
    prediction: a.prediction,
    createdAt: a.createdAt.toISOString(),
    undone: a.undoneAt !== null,
  };
}

/** What the grounder proposes for `sentence` in one video: its best span and the alternatives. */
export async function predictSpan(
  ctx: Context,
  videoId: string,
  sentence: string,
): Promise<{ prediction: SpanRow; alternatives: SpanRow[]; modelVersion: string }> {
  const video = await getVideo(ctx, videoId);
  if (video.status !== "ready")
    throw conflict(`The video is ${video.status}; it can be reviewed once it is ready.`, "video_not_ready");
  const result = await search(ctx, { q: sentence, videoId, limit: 1, minConfidence: 0 });
  const best = result.moments[0];
  if (!best) throw new AppError(422, "no_prediction", "The model found no span for this sentence in this video.");
  return {
    prediction: { start: best.start, end: best.end },
    alternatives: best.alternatives.map((a) => ({ start: a.start, end: a.end })),
    // the models that answered (a switch between two calls must not mislabel the prediction)
    modelVersion: `${result.models.grounder}#${result.method}`,
  };
}

export interface NewItemInput {
  videoId: string;
  sentence: string;
  source: ReviewSource;
  createdBy: string | null;
  /** a flagged search result's own span (and its alternatives): filed as it was shown, not predicted again */
  span?: SpanRow;
  alternatives?: SpanRow[];
  batch?: { id: string; position: number };
}

/** Files a review item (a resumed batch gets the item it filed before for that position). */
export async function createItem(ctx: Context, o: NewItemInput): Promise<ReviewItem> {
  const sentence = o.sentence.trim();
  if (!sentence) throw badRequest("Type the sentence that describes the moment.", "empty_sentence");
  const p = o.span
    ? await flaggedSpan(ctx, o.videoId, o.span, o.alternatives ?? [])
    : await predictSpan(ctx, o.videoId, sentence);
  const { annotationsPerItem } = await getReviewSettings(ctx.db);
  const item = await review.insertItem(ctx.db, {
    videoId: o.videoId,
    sentence,
    source: o.source,
    createdBy: o.createdBy,
    annotationsWanted: annotationsPerItem,
    batch: o.batch,
    ...p,
  });
  return item ?? (await review.findBatchItem(ctx.db, o.batch!.id, o.batch!.position))!;
}

/** A span the user saw in a result, checked against the video, with today's model version. */
async function flaggedSpan(ctx: Context, videoId: string, span: SpanRow, alternatives: SpanRow[]) {
  const video = await getVideo(ctx, videoId);
  if (video.status !== "ready")
    throw conflict(`The video is ${video.status}; it can be reviewed once it is ready.`, "video_not_ready");
  const duration = video.duration ?? Number.POSITIVE_INFINITY;
  const valid = (s: SpanRow) => s.start >= 0 && s.end > s.start && s.end <= duration + 0.05;
  if (!valid(span))
    throw badRequest(
      `The span must satisfy 0 ≤ start < end ≤ the video's length (${duration.toFixed(2)} s).`,
      "invalid_span",
    );
  const clamp = (s: SpanRow) => ({ start: s.start, end: Math.min(s.end, duration) });
  const grounder = await getGroundingModels(ctx);
  return {
    prediction: clamp(span),
    alternatives: alternatives.filter(valid).map(clamp),
    modelVersion: `${grounder.version}#${grounder.defaultMethod}`,
  };
}

export interface ItemDetail {
  item: ReviewItemDto;
  annotations: AnnotationDto[];
  /** mean pairwise IoU of the item's live judged spans (0–1); null with fewer than two */
  agreement: number | null;
  video: { id: string; name: string; duration: number | null };
}

export async function itemDetail(ctx: Context, itemId: string): Promise<ItemDetail> {
  const item = await review.findItem(ctx.db, itemId);
  if (!item) throw notFound(`No review item with id ${itemId}.`);
  const [annotations, video] = await Promise.all([
    review.listItemAnnotations(ctx.db, itemId),
    getVideo(ctx, item.videoId),
  ]);
  const spans = annotations.filter((a) => !a.undoneAt && a.span).map((a) => a.span!);
  return {
    item: toItemDto(item),
    annotations: annotations.map(toAnnotationDto),
    agreement: meanPairwiseIoU(spans),
    video: { id: video.id, name: video.originalName, duration: video.duration },
  };
}

/** The caller's current item (claimed for CLAIM_SECONDS), or null when nothing is left for them. */
export function nextItem(ctx: Context, userId: string): Promise<ReviewItem | null> {
  return review.claimNext(ctx.db, userId, CLAIM_SECONDS);
}

export interface DecisionInput {
  decision: Decision;
  start?: number;
  end?: number;
  sentence?: string;
  notInVideo?: boolean;
}

export async function decide(ctx: Context, userId: string, itemId: string, d: DecisionInput): Promise<Annotation> {
  return withTransaction(ctx.db, async (client) => {
    const item = await review.findItem(client, itemId);
    if (!item) throw notFound(`No review item with id ${itemId}.`);
    if (await review.hasLiveAnnotation(client, itemId, userId))
      throw conflict("You have already decided this item; undo first to change it.", "already_decided");
    if (item.claimedBy && item.claimedBy !== userId && item.claimExpiresAt && item.claimExpiresAt > new Date()) {
      throw conflict("Another annotator is working on this item.", "claimed");
    }
    let span: SpanRow | null = null;
    if (d.decision === "accept") span = item.prediction;
    else if (d.decision === "correct") {
      if (d.start === undefined || d.end === undefined)
        throw badRequest("A correction needs start and end (seconds).", "invalid_span");
      // the transaction's own connection: the embedded database serves one open transaction at a time
      const video = await videosRepo.findVideo(client, item.videoId);
      const duration = video?.duration ?? Number.POSITIVE_INFINITY;
      if (!(d.start >= 0 && d.end > d.start && d.end <= duration + 0.05)) {
        throw badRequest(
          `The span must satisfy 0 ≤ start < end ≤ the video's length (${duration.toFixed(2)} s).`,
          "invalid_span",
        );
      }
      span = { start: d.start, end: Math.min(d.end, duration) };
    }
    const sentence = d.sentence?.trim() || item.sentence;
    if (sentence !== item.sentence) await review.updateSentence(client, itemId, sentence);
    const annotation = await review.insertAnnotation(client, {
      itemId,
      annotatorId: userId,
      decision: d.decision,
      span,
      sentence,
      notInVideo: d.decision === "reject" && d.notInVideo === true,
      modelVersion: item.modelVersion,
      prediction: item.prediction,
    });
    await review.releaseClaim(client, itemId, userId);
    return annotation;
  });
}

/** Undoes the caller's latest decision; its item comes back to them as their next one. */
export async function undoLatest(ctx: Context, userId: string): Promise<Annotation> {
  return withTransaction(ctx.db, async (client) => {
    const undone = await review.undoLatest(client, userId);
    if (!undone) throw notFound("There is no decision of yours to undo.");
    await review.claimItem(client, undone.itemId, userId, CLAIM_SECONDS);
    return undone;
  });
}

/** Puts an item aside: the caller gets the others first, this one after them. */
export async function skipItem(ctx: Context, userId: string, itemId: string): Promise<void> {
  const item = await review.findItem(ctx.db, itemId);
  if (!item) throw notFound(`No review item with id ${itemId}.`);
  await review.skipItem(ctx.db, itemId, userId);
}
