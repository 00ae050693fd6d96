/**
 * Public entry point of ml/: backend selection and the three loaders the app uses.
 * Models load from `models/<name>/` (MODELS_DIR overrides); when no trained weights exist,
 * the same architecture is built with a seeded random init and says so in its version, so
 * ingestion and search work end to end before any training.
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { initBackend } from "./backend";
import { CLIP_SPEC, DEFAULT_CPL_CONFIG, DEFAULT_TEXT_CONFIG, EMBEDDING_DIM, LOWLEVEL_VERSION, defaultClipEncoderConfig, modelsDir, type CplConfig } from "./config";
import { FRAME_FEATURE_DIM, framesFeatures } from "./lowlevel";
import { LocVtpModel, clipWindows, windowFrames, type LocVtpConfig } from "./models/locvtp";
import { CplModel, resampleClips, tokenSimilarity, type SentenceEmbedder } from "./models/cpl";
import { ParamStore } from "./params";
import { scoped } from "./nn";
import { encodeText } from "./tokenizer";
import { gaussianMaskT, iouVote, toSpan } from "./cpl/geometry";
import { SHAPES_VOCAB } from "./vocab";
import { loadBackbone } from "./backbone";
import type { ClipEncoder, ClipSpec, GroundedSpan, Grounder, TextEncoder } from "./types";

export { initBackend } from "./backend";
export { EMBEDDING_DIM, CLIP_SPEC } from "./config";
export type { ClipEncoder, TextEncoder, Grounder, BackendInfo, ClipSpec, GroundedSpan } from "./types";

export const LOCVTP_UNTRAINED_VERSION = `locvtp-untrained-seed0-${LOWLEVEL_VERSION}`;
export const CPL_UNTRAINED_VERSION = "cpl-untrained-seed0";

export function defaultLocVtpConfig(): LocVtpConfig {
  return { clip: defaultClipEncoderConfig(FRAME_FEATURE_DIM), text: DEFAULT_TEXT_CONFIG, framesPerClip: CLIP_SPEC.framesPerClip };
}

interface LoadedLocVtp {
  model: LocVtpModel;
  version: string;
  spec: ClipSpec;
  trained: boolean;
}

const locvtpCache = new Map<string, Promise<LoadedLocVtp>>();

/** Load LocVTP weights from dir (or build the seeded untrained model if none are there). */
export function loadLocVtp(dir = path.join(modelsDir(), "locvtp")): Promise<LoadedLocVtp> {
  const key = path.resolve(dir);
  let p = locvtpCache.get(key);
  if (!p) {
    p = (async () => {
      await initBackend();
      if (ParamStore.exists(dir)) {
        const man = ParamStore.readManifest<LocVtpConfig>(dir);
        const model = new LocVtpModel(man.config, 0);
        model.ps.loadFrom(dir);
        const extra = man.extra as { featMean: number[]; featStd: number[]; slotMean?: number[]; slotStd?: number[]; spec: ClipSpec };
        model.featMean = Float32Array.from(extra.featMean);
        model.featStd = Float32Array.from(extra.featStd);
        if (extra.slotMean && extra.slotStd) {
          model.slotMean = Float32Array.from(extra.slotMean);
          model.slotStd = Float32Array.from(extra.slotStd);
        }
        return { model, version: man.version, spec: extra.spec ?? CLIP_SPEC, trained: true };
      }
      return { model: new LocVtpModel(defaultLocVtpConfig(), 0), version: LOCVTP_UNTRAINED_VERSION, spec: CLIP_SPEC, trained: false };
    })();
    p.catch(() => locvtpCache.delete(key));
    locvtpCache.set(key, p);
  }
  return p;
}

/** Encode low-level features [nClips*F, frameDim] → nClips embeddings (batched, no leaks). */
export function embedClipFeatures(model: LocVtpModel, feats: Float32Array, nClips: number): Float32Array[] {
  const F = model.cfg.framesPerClip;
  const fd = model.cfg.clip.frameDim;
  const r = model.cfg.clip.contextClips ?? 0;
  const W = windowFrames(model.cfg);
  const out: Float32Array[] = [];
  const CHUNK = 512;
  for (let s = 0; s < nClips; s += CHUNK) {
    const n = Math.min(CHUNK, nClips - s);
    const input = clipWindows(feats, nClips, F, fd, r, Array.from({ length: n }, (_, i) => s + i));
    // scoped, not tf.tidy: tidy walks a returned typed array element by element (~60 ms per 256 k values)
    const data = scoped(() => model.encodeClipsT(tf.tensor(input, [n, W, fd])).dataSync() as Float32Array);
    for (let i = 0; i < n; i++) out.push(data.slice(i * model.cfg.clip.outDim, (i + 1) * model.cfg.clip.outDim));
  }
  return out;
}

export async function loadClipEncoder(dir?: string): Promise<ClipEncoder> {
  const { model, version, spec } = await loadLocVtp(dir);
  const c = model.cfg.clip;
  const backbone = c.kind === "backbone" && c.backboneDir ? await loadBackbone(c.backboneDir) : null;
  if (backbone && backbone.dim !== c.frameDim) throw new Error(`backbone gives ${backbone.dim}-d frames, the clip encoder expects ${c.frameDim}`);
  const featurizeClips = (frames: Uint8Array, nClips: number): Float32Array => {
    const nFrames = nClips * spec.framesPerClip;
    const need = nFrames * spec.width * spec.height * 3;
    if (frames.length < need) throw new Error(`encodeClips: got ${frames.length} bytes, need ${need} for ${nClips} clips`);
    // the fixed low-level stage, or a pre-trained backbone when configured (config switch)
    return backbone ? backbone.featurize(frames, nFrames, spec.width, spec.height) : framesFeatures(frames, nFrames, spec.width, spec.height);
  };
  const embedClips = (feats: Float32Array, nClips: number): Float32Array[] => {
    const need = nClips * spec.framesPerClip * c.frameDim;
    if (feats.length < need) throw new Error(`embedClips: got ${feats.length} values, need ${need} for ${nClips} clips`);
    return nClips === 0 ? [] : embedClipFeatures(model, feats, nClips);
  };
  return {
    version,
    dim: model.cfg.clip.outDim,
    spec,
    featurizeClips,
    embedClips,
    async encodeClips(frames: Uint8Array, nClips: number): Promise<Float32Array[]> {
      return nClips === 0 ? [] : embedClips(featurizeClips(frames, nClips), nClips);
    },
  };
}

export async function loadTextEncoder(dir?: string): Promise<TextEncoder> {
  const { model, version } = await loadLocVtp(dir);
  return {
    version,
    dim: model.cfg.text.outDim,
    async encodeSentence(text: string): Promise<Float32Array> {
      return sentenceEmbedding(model, text);
    },
  };
}

/** One sentence → its l2-normalised LocVTP sentence embedding (no tensors left behind). */
function sentenceEmbedding(model: LocVtpModel, text: string): Float32Array {
  return tf
    .tidy(() => {
      const { words, mask } = model.encodeWordsT([encodeText(text, model.cfg.text.maxWords, model.cfg.text.buckets)]);
      return model.sentenceT(words, mask).dataSync() as Float32Array;
    })
    .slice();
}

/** The LocVTP sentence embedding as a plain function (what a similarity-channel grounder needs). */
export function sentenceEmbedderFor(model: LocVtpModel): SentenceEmbedder {
  const cache = new Map<string, Float32Array>();
  return (text: string) => {
    let e = cache.get(text);
    if (!e) {
      e = sentenceEmbedding(model, text);
      if (cache.size > 5000) cache.clear();
      cache.set(text, e);
    }
    return e;
  };
}

/** Similarity channel of one or more videos ([B·N]) when the grounder uses it, else undefined. */
function similarityInput(model: CplModel, sentence: string, videos: Float32Array[]): Float32Array | undefined {
  const { nTokens: N, inDim } = model.cfg;
  if (!model.cfg.simChannel) return undefined;
  if (!model.sentenceEmbedder) throw new Error("this grounder uses the LocVTP similarity channel but has no sentence embedder attached");
  const q = model.sentenceEmbedder(sentence);
  const out = new Float32Array(videos.length * N);
  videos.forEach((v, b) => out.set(tokenSimilarity(v, q, N, inDim), b * N));
  return out;
}

interface LoadedCpl {
  model: CplModel;
  version: string;
}
const cplCache = new Map<string, Promise<LoadedCpl>>();

/**
 * The LocVTP a grounder's inputs come from: `locvtp/` beside the grounder's folder when there
 * is one (a self-contained models folder), else the app's models/locvtp.
 */
function locvtpDirFor(cplDir: string): string {
  const sibling = path.join(path.dirname(path.resolve(cplDir)), "locvtp");
  return ParamStore.exists(sibling) ? sibling : path.join(modelsDir(), "locvtp");
}

export function loadCpl(dir = path.join(modelsDir(), "cpl")): Promise<LoadedCpl> {
  const key = path.resolve(dir);
  let p = cplCache.get(key);
  if (!p) {
    p = (async () => {
      await initBackend();
      let loaded: LoadedCpl;
      if (ParamStore.exists(dir)) {
        const man = ParamStore.readManifest<CplConfig>(dir);
        const extra = man.extra as { vocab: string[] };
        loaded = { model: new CplModel(man.config, 0, extra.vocab), version: man.version };
        loaded.model.ps.loadFrom(dir);
      } else loaded = { model: new CplModel(DEFAULT_CPL_CONFIG, 0, SHAPES_VOCAB), version: CPL_UNTRAINED_VERSION };
      if (loaded.model.cfg.simChannel) loaded.model.sentenceEmbedder = sentenceEmbedderFor((await loadLocVtp(locvtpDirFor(dir))).model);
      return loaded;
    })();
    p.catch(() => cplCache.delete(key));
    cplCache.set(key, p);
  }
  return p;
}

/** Ground with a CplModel: proposals, then rank by IoU vote (CPL*) or reconstruction loss (CPL). */
export function groundWithModel(
  model: CplModel,
  sentence: string,
  clips: Float32Array[],
  duration: number,
  opts: { method?: "vote" | "loss"; topK?: number } = {},
): GroundedSpan[] {
  const { nTokens: N, inDim, K, sigma } = model.cfg;
  if (clips.length === 0 || !(duration > 0)) return [];
  const topK = Math.max(1, Math.min(opts.topK ?? 5, K));
  const video = resampleClips(clips, N, inDim);
  const enc = model.encode(sentence);
  const { cw, ce } = scoped((): { cw: number[][]; ce: number[] | null } => {
    const p = model.proposals(tf.tensor(video, [1, N, inDim]), [enc.query], similarityInput(model, sentence, [video]));
    const cw = [p.c.dataSync() as Float32Array, p.w.dataSync() as Float32Array].map((a) => Array.from(a));
    if (opts.method !== "loss") return { cw, ce: null };
    // Loss-based: deterministic masking patterns (word i masked when i % 3 == r) cover every
    // word once; the proposal with the lowest mean reconstruction loss wins.
    const nW = enc.query.words.length;
    const R = Math.min(3, nW);
    const which = Array.from({ length: R }, (_, r) => enc.query.words.map((_, i) => i % R === r));
    const masks = gaussianMaskT(p.c, p.w, N, sigma); // [1, K, N]
    const ceT = model.reconstructCE(tf.tile(p.mem, [R, 1, 1]), which.map(() => enc), which, tf.tile(masks, [R, 1, 1]));
    return { cw, ce: Array.from(tf.mean(ceT, 0).dataSync()) };
  });
  const props = cw[0].map((c, k) => ({ c, w: cw[1][k] }));
  const spans = props.map((p) => toSpan(p, duration));
  let order: number[];
  let scores: number[];
  if (ce) {
    order = props.map((_, i) => i).sort((a, b) => ce[a] - ce[b]);
    scores = ce.map((x) => -x);
  } else {
    const v = iouVote(spans);
    order = v.order;
    scores = v.scores;
  }
  return order.slice(0, topK).map((i) => ({ start: spans[i].start, end: spans[i].end, score: scores[i] }));
}

/**
 * Vote-based grounding of one sentence in several videos with a single batched forward
 * pass (the sentence is encoded once); loss-based grounding runs per video.
 */
export function groundManyWithModel(
  model: CplModel,
  sentence: string,
  videos: { clips: Float32Array[]; durationSeconds: number }[],
  opts: { method?: "vote" | "loss"; topK?: number } = {},
): GroundedSpan[][] {
  if (opts.method === "loss") return videos.map((v) => groundWithModel(model, sentence, v.clips, v.durationSeconds, opts));
  const { nTokens: N, inDim, K } = model.cfg;
  const topK = Math.max(1, Math.min(opts.topK ?? 5, K));
  const usable = videos.map((v, i) => ({ v, i })).filter(({ v }) => v.clips.length > 0 && v.durationSeconds > 0);
  const out: GroundedSpan[][] = videos.map(() => []);
  if (usable.length === 0) return out;
  const B = usable.length;
  const batch = new Float32Array(B * N * inDim);
  const resampled = usable.map(({ v }) => resampleClips(v.clips, N, inDim));
  resampled.forEach((r, b) => batch.set(r, b * N * inDim));
  const enc = model.encode(sentence);
  const sim = similarityInput(model, sentence, resampled);
  const [c, w] = scoped(() => {
    const p = model.proposals(tf.tensor(batch, [B, N, inDim]), usable.map(() => enc.query), sim);
    return [p.c.dataSync() as Float32Array, p.w.dataSync() as Float32Array].map((a) => Array.from(a));
  });
  usable.forEach(({ v, i }, b) => {
    const spans = Array.from({ length: K }, (_, k) => toSpan({ c: c[b * K + k], w: w[b * K + k] }, v.durationSeconds));
    const vote = iouVote(spans);
    out[i] = vote.order.slice(0, topK).map((k) => ({ start: spans[k].start, end: spans[k].end, score: vote.scores[k] }));
  });
  return out;
}

export async function loadGrounder(dir?: string): Promise<Grounder> {
  const { model, version } = await loadCpl(dir);
  return {
    version,
    async ground(sentence, clips, durationSeconds, opts) {
      return groundWithModel(model, sentence, clips, durationSeconds, opts);
    },
    async groundMany(sentence, videos, opts) {
      return groundManyWithModel(model, sentence, videos, opts);
    },
  };
}

/** Versions of what would load now (for /api/health). */
export async function modelVersions(): Promise<{ clipEncoder: string; grounder: string; dim: number }> {
  const [a, b] = await Promise.all([loadLocVtp(), loadCpl()]);
  return { clipEncoder: a.version, grounder: b.version, dim: EMBEDDING_DIM };
}
