/**
 * Ingestion of one video: probe → poster → thumbnail sprite → frames sampled at the
 * clip encoder's rate → fixed-length clips → clip embeddings → rows in `clips`.
 * Progress is written to the video row as it goes (the library page polls it).
 */
import { access, stat } from "node:fs/promises";
import * as clipsRepo from "@/db/repositories/clips";
import * as modelVersions from "@/db/repositories/model-versions";
import { countCues, replaceCues } from "@/db/repositories/cues";
import * as videosRepo from "@/db/repositories/videos";
import type { SpriteInfo } from "@/db/repositories/videos";
import { withTransaction } from "@/db/pool";
import type { Context } from "../context";
import { activeModels } from "../models";
import type { ClipEncoder } from "@/ml/types";
import { decodeFrames, makePoster, makeSprite, NotAVideoError, probe, type ProbeResult } from "../media/ffmpeg";
import { extractEmbeddedSubtitles } from "../media/subtitles";
import { fromStored, posterPath, spritePath, toStored } from "../storage";
import { limitError } from "../videos/limits";
import { MAX_CUES } from "../videos/service";
import { batchClips, meanEmbedding } from "./clips";

async function assertWritten(file: string): Promise<void> {
  const s = await stat(file).catch(() => null);
  if (!s || s.size === 0) throw new Error(`ffmpeg wrote no ${file.split("/").pop()}`);
}

/** Tiles in the hover sprite: one per SPRITE_INTERVAL seconds, between these bounds. */
const SPRITE_MIN = 10;
const SPRITE_MAX = 100;
const SPRITE_INTERVAL = 2;
const SPRITE_COLUMNS = 10;
const CLIPS_PER_BATCH = 16;

/**
 * A reason ingestion cannot succeed. `permanent`: retrying cannot help (the file is over a
 * limit, or nothing can be decoded from it), so the video is marked failed at once.
 */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export async function ingestVideo(ctx: Context, videoId: string): Promise<"ready" | "gone"> {
  const { db, config } = ctx;
  const video = await videosRepo.findVideo(db, videoId);
  if (!video) return "gone"; // deleted while queued
  await videosRepo.markProcessing(db, videoId);
  const source = fromStored(config, video.storedPath);
  const info = await probeSource(source);
  const models = await activeModels(ctx);
  const encoder = await models.clipEncoder();
  const { spec } = encoder;
  const clipSeconds = spec.framesPerClip / spec.fps;
  // Files added before a limit existed (or under a looser one) are checked again here.
  const over = limitError(info, config, clipSeconds);
  if (over) throw new IngestError(`refused: ${over.message}`, true);
  const progress = progressWriter(ctx, videoId);

  await makePreviews(ctx, videoId, source, info.duration);
  await progress(10, true);
  const { rows, decoded } = await embedClips(source, encoder, info.duration, progress);
  if (rows.length === 0) {
    throw new IngestError(
      `no frame could be decoded at the ${spec.fps} fps the indexer samples (the video is ${info.duration.toFixed(2)} s long${decoded.warning ? `; ffmpeg: ${decoded.warning}` : ""})`,
      true,
    );
  }
  // Subtitles inside the file feed text search, unless a sidecar was attached already.
  const embeddedCues =
    info.subtitleStreams > 0 && (await countCues(db, videoId)) === 0
      ? (await extractEmbeddedSubtitles(source)).slice(0, MAX_CUES)
      : [];
  const decodedUntil = rows[rows.length - 1].end;
  let warning: string | null = null;
  if (decodedUntil < info.duration - clipSeconds - 0.5) {
    warning = `only the first ${decodedUntil.toFixed(1)} s of ${info.duration.toFixed(1)} s could be decoded${decoded.warning ? `: ${decoded.warning}` : ""}`;
  }
  await withTransaction(db, async (tx) => {
    // The video may have been deleted meanwhile: then there is nothing to attach clips to.
    const still = await tx.query("SELECT 1 FROM videos WHERE id = $1 FOR UPDATE", [videoId]);
    if (still.rowCount === 0) return;
    // FOR SHARE: a model switch (one transaction that locks this row FOR UPDATE) lands wholly
    // before or after this write; if it landed while the video was decoded, these vectors are
    // the old version's and must not join the new version's clips
    const { active } = await modelVersions.getState(tx, { lock: "share" });
    if (active !== models.version)
      throw new IngestError(
        `the active model version changed from ${models.version} to ${active} while the video was processed; it is processed again with version ${active}`,
      );
    await clipsRepo.replaceClips(tx, videoId, rows, active);
    if (embeddedCues.length) await replaceCues(tx, videoId, embeddedCues, "embedded");
    await videosRepo.markReady(tx, videoId, {
      modelVersion: encoder.version,
      clipSeconds,
      embedding: meanEmbedding(
        rows.map((r) => r.embedding),
        encoder.dim,
      ),
      warning,
    });
  });
  return "ready";
}

/** The stored file probed; a missing file or one that is no video is an IngestError (the latter permanent). */
async function probeSource(source: string): Promise<ProbeResult> {
  await access(source).catch(() => {
    throw new IngestError("the stored file is missing");
  });
  try {
    return await probe(source);
  } catch (err) {
    if (err instanceof NotAVideoError) throw new IngestError(`not a video that can be decoded: ${err.message}`, true);
    throw err;
  }
}

/** Writes the video's progress (percent), at most twice a second unless forced. */
function progressWriter(ctx: Context, videoId: string): (pct: number, force?: boolean) => Promise<void> {
  let lastWrite = 0;
  return async (pct, force = false) => {
    const now = Date.now();
    if (!force && now - lastWrite < 500) return;
    lastWrite = now;
    await videosRepo.setProgress(ctx.db, videoId, pct);
  };
}

/** Poster and hover sprite. Their failures are cosmetic: the video is still searchable without them. */
async function makePreviews(ctx: Context, videoId: string, source: string, duration: number): Promise<void> {
  const { config } = ctx;
  const poster = posterPath(config, videoId);
  // ffmpeg can exit 0 having written nothing (a seek past the only frame): check the file.
  const posterOk = await makePoster(source, poster, Math.min(duration * 0.1, 5))
    .then(() => assertWritten(poster))
    .catch(() => makePoster(source, poster, 0).then(() => assertWritten(poster)))
    .then(
      () => true,
      () => false,
    );
  const sprite = spriteLayout(duration);
  const spriteOk = await makeSprite(source, spritePath(config, videoId), { ...sprite, duration })
    .then(() => assertWritten(spritePath(config, videoId)))
    .then(
      () => true,
      (e: Error) => {
        console.warn(`[ingest] ${videoId}: no sprite: ${e.message}`);
        return false;
      },
    );
  await videosRepo.setArtifacts(ctx.db, videoId, {
    posterPath: posterOk ? toStored(config, poster) : undefined,
    spritePath: spriteOk ? toStored(config, spritePath(config, videoId)) : undefined,
    sprite: spriteOk ? sprite : undefined,
  });
}

export interface DecodedClips {
  /** low-level features of every clip, in order (the encoder's featurizeClips, concatenated) */
  feats: Float32Array;
  nClips: number;
  /** each clip's time span: a trailing partial clip ends where its frames end */
  spans: { idx: number; start: number; end: number }[];
  /** ffmpeg's complaint, when the file stopped decoding early */
  warning?: string;
}

/**
 * Decodes the video at the encoder's rate and featurizes it batch by batch into small per-clip
 * features (progress 10 → 85 %); the vectors come from the whole video afterwards, since each
 * clip's embedding also looks at its neighbours. Training reads the same features (lib/training/features.ts).
 */
export async function decodeClips(
  source: string,
  encoder: Pick<ClipEncoder, "spec" | "featurizeClips">,
  duration: number,
  progress: (pct: number) => Promise<void>,
): Promise<DecodedClips> {
  const { spec } = encoder;
  const clipSeconds = spec.framesPerClip / spec.fps;
  const frameSeconds = 1 / spec.fps;
  const decode: { warning?: string } = {};
  const spans: DecodedClips["spans"] = [];
  const feats: Float32Array[] = [];
  let nClips = 0;
  const frames = decodeFrames(source, spec, decode);
  for await (const batch of batchClips(frames, {
    frameBytes: spec.width * spec.height * 3,
    framesPerClip: spec.framesPerClip,
    clipsPerBatch: CLIPS_PER_BATCH,
  })) {
    feats.push(encoder.featurizeClips(batch.frames, batch.count));
    nClips += batch.count;
    for (let c = 0; c < batch.count; c++) {
      const idx = batch.firstIndex + c;
      const start = idx * clipSeconds;
      spans.push({ idx, start, end: Math.min(start + batch.realFrames[c] * frameSeconds, duration) });
    }
    const covered = spans.length ? spans[spans.length - 1].end : 0;
    await progress(10 + 75 * Math.min(1, covered / duration));
  }
  const all = new Float32Array(feats.reduce((n, f) => n + f.length, 0));
  feats.reduce((o, f) => (all.set(f, o), o + f.length), 0);
  return { feats: all, nClips, spans, warning: decode.warning };
}

/**
 * A video's clips embedded by `encoder`: decoded and featurized (progress 10 → 85 %), then the
 * vectors of the whole video (→ 97 %). Ingestion and the re-embedding for a new model version
 * (lib/models/reembed.ts) both come here.
 */
export async function embedClips(
  source: string,
  encoder: ClipEncoder,
  duration: number,
  progress: (pct: number, force?: boolean) => Promise<void> = async () => undefined,
): Promise<{ rows: clipsRepo.NewClip[]; decoded: DecodedClips }> {
  const decoded = await decodeClips(source, encoder, duration, progress);
  // embedding the whole video at once takes a while on long videos: show it as its own stretch
  await progress(85, true);
  const vectors = encoder.clipVectors(decoded.feats, decoded.nClips);
  await progress(97, true);
  const rows: clipsRepo.NewClip[] = decoded.spans
    .filter((s) => s.end > s.start)
    .map((s) => ({
      ...s,
      embedding: vectors[s.idx].embedding,
      relevance: vectors[s.idx].relevance ?? null,
      slots: vectors[s.idx].slots ?? null,
    }));
  return { rows, decoded };
}

export function spriteLayout(duration: number): SpriteInfo {
  const count = Math.max(SPRITE_MIN, Math.min(SPRITE_MAX, Math.ceil(duration / SPRITE_INTERVAL)));
  const columns = Math.min(SPRITE_COLUMNS, count);
  return {
    count,
    columns,
    rows: Math.ceil(count / columns),
    tileWidth: 160,
    tileHeight: 90,
    interval: duration / count,
  };
}
