/**
 * Re-embedding the library for a pending model version, in the workers (pg-boss job
 * `reembed-version`): every ready video's frames are decoded again (the pipeline's own
 * embedClips) and embedded with the pending version's encoder into the staging tables
 * (clips_pending, videos_pending), one transaction per video; then the switch replaces every
 * video's clips and makes the version active in ONE transaction. Search keeps answering from
 * the active version until then.
 *
 * A version whose clip encoder is the active one's (it retrained only the grounder) makes the
 * same vectors: those are copied into the staging tables instead of decoded again.
 *
 * In slices of at most SLICE_SECONDS that queue the rest, like batch predictions: a long
 * library never outlives the job timeout, and a crashed slice is retried and skips the videos
 * already staged. Videos that become ready meanwhile (uploads during the re-embedding) are
 * staged too before the switch; it refuses while one is missing.
 */
import * as modelVersions from "@/db/repositories/model-versions";
import { withTransaction } from "@/db/pool";
import * as videosRepo from "@/db/repositories/videos";
import type { Context } from "../context";
import { meanEmbedding } from "../ingest/clips";
import { embedClips } from "../ingest/pipeline";
import { modelsOf } from "../models";
import type { Queue } from "../queue";
import { fromStored } from "../storage";

const SLICE_SECONDS = 60;

export type ReembedOutcome =
  /** the switch happened: the version is active */
  | { outcome: "switched"; version: number; videos: number }
  /** time is up: queue the job again */
  | { outcome: "continue"; version: number }
  /** nothing is pending (cancelled, or switched by another job) */
  | { outcome: "idle" };

/**
 * Re-embeds videos for the pending version for up to `sliceSeconds` (and at most `maxVideos`),
 * then switches when all are staged.
 */
export async function runReembedSlice(
  ctx: Context,
  o: { sliceSeconds?: number; maxVideos?: number; log?: (m: string) => void } = {},
): Promise<ReembedOutcome> {
  const log = o.log ?? (() => undefined);
  const { pending: version } = await modelVersions.getState(ctx.db);
  if (version === null) return { outcome: "idle" };
  const encoder = await modelsOf(ctx.config, version).clipEncoder();
  const deadline = Date.now() + (o.sliceSeconds ?? SLICE_SECONDS) * 1000;
  const stillPending = async () => (await modelVersions.getState(ctx.db)).pending === version;
  let embedded = 0;
  await reportProgress(ctx, version);
  for (;;) {
    // vectors the version's clip encoder would make again unchanged are copied, not recomputed
    const copied = await withTransaction(ctx.db, async (tx) => {
      const state = await modelVersions.getState(tx, { lock: "share" });
      return state.pending === version ? modelVersions.stageCopies(tx, version, encoder.version) : null;
    });
    if (copied === null) return { outcome: "idle" };
    if (copied > 0) {
      const { done, total } = await reportProgress(ctx, version);
      log(`model version ${version}: ${copied} video(s) keep their vectors (same clip encoder) (${done} of ${total})`);
    }
    for (const videoId of await modelVersions.videosToStage(ctx.db, version)) {
      if (Date.now() > deadline || embedded >= (o.maxVideos ?? Infinity)) return { outcome: "continue", version };
      if (!(await stillPending())) return { outcome: "idle" };
      const video = await videosRepo.findVideo(ctx.db, videoId);
      if (!video || video.status !== "ready") continue; // deleted or being processed again meanwhile
      const { rows } = await embedClips(fromStored(ctx.config, video.storedPath), encoder, video.duration ?? 0);
      if (rows.length === 0) throw new Error(`video ${videoId}: no clip could be decoded again`);
      const staged = await withTransaction(ctx.db, async (tx) => {
        // the version may have been cancelled, the video deleted, while it was decoded
        const state = await modelVersions.getState(tx, { lock: "share" });
        if (state.pending !== version) return false;
        const still = await tx.query("SELECT 1 FROM videos WHERE id = $1 FOR SHARE", [videoId]);
        if (still.rowCount === 0) return true;
        await modelVersions.stageVideo(tx, version, videoId, {
          clips: rows,
          embedding: meanEmbedding(
            rows.map((r) => r.embedding),
            encoder.dim,
          ),
          encoder: encoder.version,
        });
        return true;
      });
      if (!staged) return { outcome: "idle" };
      embedded++;
      const { done, total } = await reportProgress(ctx, version);
      log(`model version ${version}: video ${videoId} re-embedded (${done} of ${total})`);
    }
    const result = await modelVersions.switchActive(ctx.db, version);
    if (result.switched) {
      log(`model version ${version} is active (was ${result.previous}); ${result.videos} video(s) re-embedded`);
      return { outcome: "switched", version, videos: result.videos };
    }
    if (result.reason === "not-pending") return { outcome: "idle" };
    // videos became ready meanwhile: stage them too, then try again
    log(`model version ${version}: ${result.missing.length} video(s) became ready meanwhile; embedding them too`);
  }
}

async function reportProgress(ctx: Context, version: number): Promise<{ done: number; total: number }> {
  const counts = await modelVersions.stagingCounts(ctx.db, version);
  await modelVersions.setPendingProgress(ctx.db, version, counts);
  return counts;
}

/** The worker's handler for one job: a slice, then the job queued again if there is more to do. */
export async function handleReembedJob(ctx: Context, queue: Queue, log?: (m: string) => void): Promise<void> {
  const r = await runReembedSlice(ctx, { log });
  if (r.outcome === "continue") await queue.enqueueReembed(r.version);
}

/**
 * A re-embedding that exhausted its retries: the switch is abandoned (search stays on the
 * active version), the staged vectors dropped, and the reason kept on the version.
 */
export async function failReembed(ctx: Context, message: string): Promise<void> {
  const { pending } = await modelVersions.getState(ctx.db);
  if (pending === null) return;
  if (await modelVersions.cancelPending(ctx.db, pending))
    await modelVersions.setError(ctx.db, pending, `re-embedding the library failed: ${message}`);
}
