/**
 * Public entry point of ml/: backend selection and the three loaders the app uses.
 * Models load from `models/<name>/` (MODELS_DIR overrides); when no trained weights exist,
 * the same architecture is built with a seeded random init and says so in its version, so
 * ingestion and search work end to end before any training.
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { initBackend } from "./core/backend";
import { CLIP_SPEC, COMPLETION_CANDIDATES, DEFAULT_CPL_CONFIG, DEFAULT_TEXT_CONFIG, EMBEDDING_DIM, LOWLEVEL_VERSION, defaultClipEncoderConfig, modelsDir, type CplConfig } from "./config";
import { FRAME_FEATURE_DIM, framesFeatures } from "./features/lowlevel";
import { LocVtpModel, type LocVtpConfig } from "./models/locvtp";
import { RelevanceModel, relevanceSpans, type RelevanceConfig } from "./models/relevance";
import { CplModel, tokenSimilarity, type SentenceEmbedder } from "./models/cpl";
import { ParamStore } from "./core/params";
import { cachedLoader } from "./core/loader";
import { scoped } from "./core/nn";
import { encodeText } from "./core/tokenizer";
import { gaussianMaskT, iouVote, toSpan } from "./cpl/geometry";
import { completionCET, completionTable, substitutionIndexFromJson, type CompletionTable, type SubstitutionIndexJson } from "./cpl/completion";
import { SHAPES_VOCAB } from "./vocab";
import { loadBackbone } from "./features/backbone";
import type { ClipEncoder, ClipSpec, GroundedSpan, GroundMethod, Grounder, TextEncoder } from "./types";
import { resampleClips } from "./core/resample";
import { N_SLOTS, clipWindows, slotInputWidth, slotInputsT, standardiseSlotsT, windowFrames } from "./features/slots";

export { initBackend } from "./core/backend";
export { EMBEDDING_DIM, CLIP_SPEC } from "./config";
export type { ClipEncoder, TextEncoder, Grounder, BackendInfo, ClipSpec, GroundedSpan, GroundMethod } from "./types";

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

const loadLocVtpCached = cachedLoader(async (dir: string): Promise<LoadedLocVtp> => {
      await initBackend();
      if (ParamStore.exists(dir)) {
        const man = ParamStore.readManifest<LocVtpConfig>(dir);
        const c = man.config.clip;
        // weights trained on another version of the fixed low-level vector would read wrong positions
        if (c.kind.startsWith("lowlevel") && c.frameDim !== FRAME_FEATURE_DIM)
          throw new Error(`${dir}: trained on ${c.frameDim}-value low-level frames, but this build computes ${FRAME_FEATURE_DIM} (${LOWLEVEL_VERSION}); retrain with npm run train`);
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
});

/** Load LocVTP weights from dir (or build the seeded untrained model if none are there). */
export function loadLocVtp(dir = path.join(modelsDir(), "locvtp")): Promise<LoadedLocVtp> {
  return loadLocVtpCached(dir);
}

/** Encode low-level features [nClips*F, frameDim] → nClips embeddings (batched, no leaks). */
export function embedClipFeatures(model: LocVtpModel, feats: Float32Array, nClips: number): Float32Array[] {
  const D = model.cfg.clip.outDim;
  if (model.cfg.clip.kind === "lowlevel-slots") {
    // through the slot inputs, which the relevance scorer reads too (computed once per video)
    const z = clipSlotInputs(model, feats, nClips);
    const per = z.length / Math.max(nClips, 1);
    return clipRows(perClipBatched(nClips, D, (s, n) => model.embedSlotInputsT(tf.tensor(z.subarray(s * per, (s + n) * per), [n, N_SLOTS, per / N_SLOTS]))), nClips, D);
  }
  const fd = model.cfg.clip.frameDim;
  const W = windowFrames(model.cfg);
  return clipRows(perClipBatched(nClips, D, (s, n) => model.encodeClipsT(tf.tensor(windowsOf(model, feats, nClips, s, n), [n, W, fd]))), nClips, D);
}

/** The frame windows of clips [s, s + n) (with their context clips), flattened. */
function windowsOf(model: LocVtpModel, feats: Float32Array, nClips: number, s: number, n: number): Float32Array {
  return clipWindows(feats, nClips, model.cfg.framesPerClip, model.cfg.clip.frameDim, model.cfg.clip.contextClips ?? 0, Array.from({ length: n }, (_, i) => s + i));
}

/**
 * `width` values per clip from a per-batch tensor function over clips [s, s + n), in batches
 * of 512 clips so that tensor memory stays bounded for long videos.
 */
function perClipBatched(nClips: number, width: number, f: (s: number, n: number) => tf.Tensor): Float32Array {
  const out = new Float32Array(nClips * width);
  for (let s = 0; s < nClips; s += 512) {
    const n = Math.min(512, nClips - s);
    // scoped, not tf.tidy: tidy walks a returned typed array element by element (~60 ms per 256 k values)
    out.set(scoped(() => f(s, n).dataSync() as Float32Array), s * width);
  }
  return out;
}

function clipRows(flat: Float32Array, nClips: number, width: number): Float32Array[] {
  return Array.from({ length: nClips }, (_, i) => flat.slice(i * width, (i + 1) * width));
}

/**
 * Standardised LocVTP slot inputs of every clip [nClips · slots · width] (slot encoder only).
 * The last result is kept per feature array: ingestion asks for the embeddings and then for
 * the relevance features of the same video (feature arrays are never modified after featurizing).
 */
export function clipSlotInputs(model: LocVtpModel, feats: Float32Array, nClips: number): Float32Array {
  const hit = slotInputsMemo.get(feats);
  if (hit && hit.model === model && hit.nClips === nClips) return hit.inputs;
  if (model.cfg.clip.kind !== "lowlevel-slots") throw new Error("slot inputs need the lowlevel-slots clip encoder");
  const W = windowFrames(model.cfg);
  const fd = model.cfg.clip.frameDim;
  const inputs = perClipBatched(nClips, N_SLOTS * slotInputWidth(model.cfg), (s, n) =>
    standardiseSlotsT(slotInputsT(tf.tensor(windowsOf(model, feats, nClips, s, n), [n, W, fd]), model.cfg), model.slotMean, model.slotStd),
  );
  slotInputsMemo.set(feats, { model, nClips, inputs });
  return inputs;
}
const slotInputsMemo = new WeakMap<Float32Array, { model: LocVtpModel; nClips: number; inputs: Float32Array }>();

/** The relevance scorer's architecture for a given LocVTP slot encoder. */
export function relevanceConfigFor(loc: LocVtpModel): RelevanceConfig {
  return { slots: N_SLOTS, slotInput: slotInputWidth(loc.cfg), hidden: 64, temporalKernel: 5, nTokens: DEFAULT_CPL_CONFIG.nTokens, maxWords: 16, buckets: 4096 };
}

interface LoadedRelevance {
  model: RelevanceModel;
  version: string;
}
const loadRelevanceCached = cachedLoader(async (dir: string): Promise<LoadedRelevance | null> => {
      await initBackend();
      if (!ParamStore.exists(dir)) return null;
      const man = ParamStore.readManifest<RelevanceConfig>(dir);
      const model = new RelevanceModel(man.config, 0);
      model.ps.loadFrom(dir);
      return { model, version: man.version };
});

/** The weakly trained relevance scorer, or null when its folder has no weights. */
export function loadRelevance(dir = path.join(modelsDir(), "relevance")): Promise<LoadedRelevance | null> {
  return loadRelevanceCached(dir);
}

/** Per-clip relevance features [hidden · members] (what ingestion stores beside each clip embedding). */
export function relevanceClipFeatures(rel: RelevanceModel, loc: LocVtpModel, feats: Float32Array, nClips: number): Float32Array[] {
  const per = rel.cfg.slots * rel.cfg.slotInput;
  const inputs = clipSlotInputs(loc, feats, nClips);
  if (per !== inputs.length / Math.max(nClips, 1)) throw new Error("the relevance scorer was trained on another LocVTP slot layout");
  const width = rel.featureDim;
  return clipRows(perClipBatched(nClips, width, (s, n) => rel.clipFeaturesT(tf.tensor(inputs.subarray(s * per, (s + n) * per), [n, rel.cfg.slots, rel.cfg.slotInput]))), nClips, width);
}

/**
 * What the app stores per clip and the grounder reads: the LocVTP embedding, followed by the
 * relevance features when a scorer is given.
 */
export function clipVectors(loc: LocVtpModel, rel: RelevanceModel | null, feats: Float32Array, nClips: number): Float32Array[] {
  const emb = embedClipFeatures(loc, feats, nClips);
  if (!rel) return emb;
  const f = relevanceClipFeatures(rel, loc, feats, nClips);
  return emb.map((e, i) => {
    const o = new Float32Array(e.length + f[i].length);
    o.set(e);
    o.set(f[i], e.length);
    return o;
  });
}

/** Whether every clip vector carries the scorer's features after its `offset` embedding values. */
function hasRelevanceFeatures(rel: RelevanceModel, clips: Float32Array[], offset: number): boolean {
  return clips.every((c) => c.length >= offset + rel.featureDim);
}

/**
 * Relevance logits [B·N] of a sentence for several videos, from the stored per-clip features
 * that follow the `offset` embedding values of each clip vector.
 */
export function relevanceScores(rel: RelevanceModel, sentence: string, videos: Float32Array[][], offset: number): Float32Array {
  if (videos.length === 0) return new Float32Array(0);
  // search asks twice per query (spans, then video ranking) for the same clip arrays
  const last = lastRelevance;
  if (last && last.rel === rel && last.sentence === sentence && last.offset === offset && last.videos.length === videos.length && last.videos.every((v, i) => v === videos[i])) {
    return last.scores;
  }
  const scores = computeRelevanceScores(rel, sentence, videos, offset);
  lastRelevance = { rel, sentence, offset, videos: [...videos], scores };
  return scores;
}
let lastRelevance: { rel: RelevanceModel; sentence: string; offset: number; videos: Float32Array[][]; scores: Float32Array } | null = null;

/**
 * The relevance scorer's completion table of a grounder's query words in one video (clip vectors
 * carrying the scorer's features after the grounder's inDim embedding values).
 */
export function completionTableOf(model: CplModel, words: string[], clips: Float32Array[]): CompletionTable {
  const rel = model.relevance;
  if (!rel || !model.substitutions) throw new Error('completion "relevance" needs the relevance scorer and the substitution index');
  if (rel.cfg.nTokens !== model.cfg.nTokens) throw new Error("the scorer and the grounder must resample videos to the same number of tokens");
  if (!hasRelevanceFeatures(rel, clips, model.cfg.inDim)) throw new Error("clips have no relevance features: re-embed the library with the current models");
  const feats = resampleClips(clips, rel.cfg.nTokens, rel.featureDim, model.cfg.inDim);
  return completionTable(rel, model.substitutions, words, feats, model.cfg.maxWords, model.cfg.completionCandidates ?? COMPLETION_CANDIDATES);
}

function computeRelevanceScores(rel: RelevanceModel, sentence: string, videos: Float32Array[][], offset: number): Float32Array {
  const N = rel.cfg.nTokens;
  const H = rel.cfg.hidden;
  const B = videos.length;
  // one [B, N, H] block per member, laid out apart here so the model needs no strided slices
  const blocks = Array.from({ length: rel.members }, () => new Float32Array(B * N * H));
  videos.forEach((clips, b) => {
    if (!hasRelevanceFeatures(rel, clips, offset)) throw new Error("clips have no relevance features: re-embed the library with the current models");
    blocks.forEach((block, m) => block.set(resampleClips(clips, N, H, offset + m * H), b * N * H));
  });
  return scoped(() => rel.fusedScoresT(blocks.map((x) => tf.tensor(x, [B, N, H])), rel.queryOneT(rel.encode(sentence))).dataSync() as Float32Array);
}

export async function loadClipEncoder(dir?: string, relevanceDir?: string): Promise<ClipEncoder> {
  const { model, version: locVersion, spec } = await loadLocVtp(dir);
  // the relevance features are stored with the embeddings: both versions make the clip version
  const rel = model.cfg.clip.kind === "lowlevel-slots" ? await loadRelevance(relevanceDir ?? (dir ? path.join(path.dirname(path.resolve(dir)), "relevance") : undefined)) : null;
  const version = rel ? `${locVersion}+${rel.version}` : locVersion;
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
    groundingFeatures: (feats: Float32Array, nClips: number) => (rel && nClips > 0 ? relevanceClipFeatures(rel.model, model, feats, nClips) : rel ? [] : null),
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

/**
 * Similarity channel of one or more videos ([B·N]) when the grounder uses it, else undefined:
 * the relevance scorer's logits (cfg.simSource "relevance", from the raw clip vectors) or the
 * LocVTP cosine of the resampled tokens.
 */
function similarityInput(model: CplModel, sentence: string, videos: Float32Array[], clips: Float32Array[][]): Float32Array | undefined {
  const { nTokens: N, inDim } = model.cfg;
  if (!model.cfg.simChannel) return undefined;
  const out = new Float32Array(videos.length * N);
  let rest = videos.map((_, b) => b);
  const rel = model.cfg.simSource === "relevance" ? model.relevance : null;
  if (model.cfg.simSource === "relevance") {
    if (!rel) throw new Error("this grounder uses the relevance scorer but none is attached");
    const withFeatures = rest.filter((b) => hasRelevanceFeatures(rel, clips[b], inDim));
    if (withFeatures.length) {
      const sc = relevanceScores(rel, sentence, withFeatures.map((b) => clips[b]), inDim);
      withFeatures.forEach((b, i) => out.set(sc.subarray(i * N, (i + 1) * N), b * N));
    }
    // clips stored without relevance features (before a re-embed, or inserted directly): the
    // LocVTP cosine keeps them groundable rather than failing the whole search
    rest = rest.filter((b) => !withFeatures.includes(b));
  }
  if (rest.length === 0) return out;
  if (!model.sentenceEmbedder) throw new Error("this grounder uses the LocVTP similarity channel but has no sentence embedder attached");
  const q = model.sentenceEmbedder(sentence);
  for (const b of rest) out.set(tokenSimilarity(videos[b], q, N, inDim), b * N);
  return out;
}

interface LoadedCpl {
  model: CplModel;
  version: string;
}

/**
 * A model a grounder's inputs come from (`locvtp`, `relevance`): the folder of that name beside
 * the grounder's (a self-contained models folder), else the app's models/<name>.
 */
function siblingDir(cplDir: string, name: string): string {
  const sibling = path.join(path.dirname(path.resolve(cplDir)), name);
  return ParamStore.exists(sibling) ? sibling : path.join(modelsDir(), name);
}

const loadCplCached = cachedLoader(async (dir: string): Promise<LoadedCpl> => {
      await initBackend();
      let loaded: LoadedCpl;
      if (ParamStore.exists(dir)) {
        const man = ParamStore.readManifest<CplConfig>(dir);
        const extra = man.extra as { vocab: string[]; substitutions?: SubstitutionIndexJson };
        loaded = { model: new CplModel(man.config, 0, extra.vocab), version: man.version };
        loaded.model.ps.loadFrom(dir);
        if (man.config.completion === "relevance") {
          if (!extra.substitutions) throw new Error(`the grounder in ${dir} completes with the relevance scorer but its manifest has no substitution index`);
          loaded.model.substitutions = substitutionIndexFromJson(extra.substitutions);
        }
      } else loaded = { model: new CplModel(DEFAULT_CPL_CONFIG, 0, SHAPES_VOCAB), version: CPL_UNTRAINED_VERSION };
      if (loaded.model.cfg.simChannel) loaded.model.sentenceEmbedder = sentenceEmbedderFor((await loadLocVtp(siblingDir(dir, "locvtp"))).model);
      // the relevance scorer travels with the grounder: it grounds on its own (method
      // "relevance"), ranks videos, and may fill the similarity channel (cfg.simSource)
      const rel = await loadRelevance(siblingDir(dir, "relevance"));
      if (!rel && (loaded.model.cfg.simSource === "relevance" || loaded.model.cfg.completion === "relevance")) throw new Error(`the grounder in ${dir} needs the relevance scorer (models/relevance)`);
      if (rel) {
        loaded.model.relevance = rel.model;
        loaded.version = `${loaded.version}+${rel.version}`;
      }
      return loaded;
});

export function loadCpl(dir = path.join(modelsDir(), "cpl")): Promise<LoadedCpl> {
  return loadCplCached(dir);
}

/** "relevance" when the grounder has a relevance scorer (the most accurate here), else "vote". */
export function defaultGroundMethod(model: CplModel): GroundMethod {
  return model.relevance ? "relevance" : "vote";
}

/**
 * Relevance grounding: spans read off the scorer's per-token scores (relevanceSpans). Videos whose
 * clips lack the scorer's features get null (the caller falls back to the proposals).
 */
function relevanceGrounding(model: CplModel, sentence: string, videos: { clips: Float32Array[]; durationSeconds: number }[], topK: number): (GroundedSpan[] | null)[] {
  const rel = model.relevance;
  const out: (GroundedSpan[] | null)[] = videos.map(() => null);
  if (!rel) return out;
  const D = model.cfg.inDim;
  const N = rel.cfg.nTokens;
  const usable = videos.map((v, i) => ({ v, i })).filter(({ v }) => v.clips.length > 0 && v.durationSeconds > 0 && hasRelevanceFeatures(rel, v.clips, D));
  if (usable.length === 0) return out;
  const sc = relevanceScores(rel, sentence, usable.map((u) => u.v.clips), D);
  usable.forEach(({ v, i }, b) => (out[i] = relevanceSpans(sc.subarray(b * N, (b + 1) * N), v.durationSeconds, topK)));
  return out;
}

/**
 * Ground with a CplModel: proposals, then rank by IoU vote (CPL*) or reconstruction loss
 * (CPL); or read the spans off the relevance scorer ("relevance").
 */
export function groundWithModel(
  model: CplModel,
  sentence: string,
  clips: Float32Array[],
  duration: number,
  opts: { method?: GroundMethod; topK?: number } = {},
): GroundedSpan[] {
  const { nTokens: N, inDim, K, sigma } = model.cfg;
  if (clips.length === 0 || !(duration > 0)) return [];
  if (opts.method === "relevance") {
    const r = relevanceGrounding(model, sentence, [{ clips, durationSeconds: duration }], Math.max(1, opts.topK ?? 5))[0];
    if (r) return r;
    opts = { ...opts, method: "vote" }; // no features stored for these clips: the proposals
  }
  const topK = Math.max(1, Math.min(opts.topK ?? 5, K));
  const video = resampleClips(clips, N, inDim);
  const enc = model.encode(sentence);
  const { cw, ce } = scoped((): { cw: number[][]; ce: number[] | null } => {
    const p = model.proposals(tf.tensor(video, [1, N, inDim]), [enc.query], similarityInput(model, sentence, [video], [clips]));
    const cw = [p.c.dataSync() as Float32Array, p.w.dataSync() as Float32Array].map((a) => Array.from(a));
    if (opts.method !== "loss") return { cw, ce: null };
    // Loss-based: the proposal with the lowest mean completion loss wins.
    const masks = gaussianMaskT(p.c, p.w, N, sigma); // [1, K, N]
    if (model.substitutions) {
      // clips without the scorer's features (embedded by an older model): rank by vote instead
      if (!model.relevance || !hasRelevanceFeatures(model.relevance, clips, inDim)) return { cw, ce: null };
      // completion by the scorer: every word judged in one pass (its table does not depend on the masking)
      const t = completionTableOf(model, enc.query.words, clips);
      const C = model.cfg.completionCandidates ?? COMPLETION_CANDIDATES;
      const M = model.cfg.maxWords;
      const which = tf.tensor(Float32Array.from({ length: M }, (_, i) => (i < enc.query.words.length ? 1 : 0)), [1, M]);
      const ceT = completionCET(tf.tensor(t.table, [1, M, C, N]), tf.tensor(t.valid, [1, M, C]), which, masks);
      return { cw, ce: Array.from(ceT.dataSync()) };
    }
    // the trained reconstructor: deterministic masking patterns (word i masked when i % 3 == r)
    // cover every word once
    const nW = enc.query.words.length;
    const R = Math.min(3, nW);
    const which = Array.from({ length: R }, (_, r) => enc.query.words.map((_, i) => i % R === r));
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
  opts: { method?: GroundMethod; topK?: number } = {},
): GroundedSpan[][] {
  if (opts.method === "loss") return videos.map((v) => groundWithModel(model, sentence, v.clips, v.durationSeconds, opts));
  if (opts.method === "relevance") {
    const r = relevanceGrounding(model, sentence, videos, Math.max(1, opts.topK ?? 5));
    const rest = videos.map((v, i) => ({ v, i })).filter(({ i }) => !r[i]);
    const voted = rest.length ? groundManyWithModel(model, sentence, rest.map(({ v }) => v), { ...opts, method: "vote" }) : [];
    rest.forEach(({ i }, j) => (r[i] = voted[j]));
    return r as GroundedSpan[][];
  }
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
  const sim = similarityInput(model, sentence, resampled, usable.map(({ v }) => v.clips));
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

/**
 * Video-level relevance: the relevance logits pooled over the video's tokens by log-mean-exp,
 * the score the scorer's cross-video training ranks videos by (ml/train/relevance.ts); null for
 * a video whose clips lack the scorer's features (`offset` = embedding values before them).
 */
export function videoRelevance(rel: RelevanceModel, sentence: string, videos: Float32Array[][], offset: number): (number | null)[] {
  const N = rel.cfg.nTokens;
  const out: (number | null)[] = videos.map(() => null);
  const usable = videos.map((clips, i) => ({ clips, i })).filter(({ clips }) => clips.length > 0 && hasRelevanceFeatures(rel, clips, offset));
  if (usable.length === 0) return out;
  const sc = relevanceScores(rel, sentence, usable.map((u) => u.clips), offset);
  usable.forEach(({ i }, b) => {
    let m = -Infinity;
    for (let j = 0; j < N; j++) m = Math.max(m, sc[b * N + j]);
    let s = 0;
    for (let j = 0; j < N; j++) s += Math.exp(sc[b * N + j] - m);
    out[i] = m + Math.log(s / N);
  });
  return out;
}

export async function loadGrounder(dir?: string): Promise<Grounder> {
  const { model, version } = await loadCpl(dir);
  const first = model.relevance ? model.relevance.member(0) : null;
  return {
    version,
    defaultMethod: defaultGroundMethod(model),
    preRankDims: first?.featureDim ?? 0,
    async preRank(sentence, videos) {
      return first ? videoRelevance(first, sentence, videos, 0) : videos.map(() => null);
    },
    async ground(sentence, clips, durationSeconds, opts) {
      return groundWithModel(model, sentence, clips, durationSeconds, opts);
    },
    async groundMany(sentence, videos, opts) {
      return groundManyWithModel(model, sentence, videos, opts);
    },
    async videoRelevance(sentence, videos) {
      return model.relevance ? videoRelevance(model.relevance, sentence, videos, model.cfg.inDim) : videos.map(() => null);
    },
  };
}

/** Versions of what would load now (for /api/health). */
export async function modelVersions(): Promise<{ clipEncoder: string; grounder: string; dim: number }> {
  const [a, b] = await Promise.all([loadLocVtp(), loadCpl()]);
  return { clipEncoder: a.version, grounder: b.version, dim: EMBEDDING_DIM };
}
