/**
 * Fine-tuning the installed models on a library's own (video, sentence) pairs: no timestamps,
 * the same weak objectives the Shapes-corpus training uses (ml/relevance/train.ts,
 * ml/cpl/train.ts), started from a models folder's weights instead of a seeded init. The run
 * is resumable: every `recipe.checkpointEvery` steps (and at the end of each model) a
 * checkpoint keeps the weights, the Adam moments and the RNG state, and a run started again on
 * the same checkpoint folder continues from it. An AbortSignal stops it between steps.
 *
 * The models are trained in the order locvtp → relevance → cpl (the scorer reads LocVTP's slot
 * inputs, CPL its embeddings and maybe the scorer). The corpus's features come from one
 * featurizer (`featurizer`: the built-in low-level stage or a frame backbone): a model that
 * reads LocVTP trained on another featurizer cannot be fine-tuned on them unless LocVTP is
 * retrained in the same run (ml/finetune/locvtp.ts), and the relevance scorer, which reads the
 * low-level slot encoder's inputs, only on the built-in stage (FinetuneInputError says why).
 */
import path from "node:path";
import { loadCheckpoint, saveCheckpoint, type CheckpointParts } from "../core/checkpoint";
import { ParamStore } from "../core/params";
import { Rng } from "../core/rng";
import { words as splitWords } from "../core/tokenizer";
import { substitutionIndexFromJson, type SubstitutionIndexJson } from "../cpl/completion";
import type { CplConfig } from "../cpl/config";
import { CplModel } from "../cpl/model";
import { cplTrainer, saveCpl, type CplTrainerState } from "../cpl/train";
import type { Corpus } from "../data/corpus";
import { clipVectors } from "../encoders";
import { sentenceEmbedderFor } from "../locvtp/encode";
import { loadLocVtp } from "../locvtp/load";
import { encoderTag } from "../locvtp/config";
import type { LocVtpModel } from "../locvtp/model";
import { FRAME_FEATURE_DIM } from "../features/lowlevel";
import type { FinetuneRecipe } from "../recipes/finetune";
import type { RelevanceConfig } from "../relevance/config";
import { RelevanceModel } from "../relevance/model";
import { falseByCaptions } from "../relevance/hard-negatives";
import { augmentFromRecipe } from "../relevance/augment";
import { relevanceTrainer, type HardNegativeOpts } from "../relevance/train";
import { EXTRA_EVENT_KINDS, parseSentence } from "../data/shapes/world";
import { LOWLEVEL_FEATURIZER, describeFeaturizer, encoderFeaturizer } from "../features/featurizer";
import { saveLocVtp } from "../locvtp/train";
import { locvtpStart, locvtpTrainer, type CorpusFeaturizer } from "./locvtp";

/** What can be fine-tuned, in the order a run trains them. */
export const FINETUNE_MODELS = ["locvtp", "relevance", "cpl"] as const;
export type FinetuneModel = (typeof FINETUNE_MODELS)[number];

export interface FinetuneProgress {
  model: FinetuneModel;
  /** this model's step (1-based) and its step count */
  step: number;
  steps: number;
  loss: number;
  /** steps done and to do over every model of the run */
  done: number;
  total: number;
}

export interface FinetuneOptions {
  /** the videos' low-level features and their sentences (corpus.sentences; corpus.queries for CPL) */
  corpus: Corpus;
  models: FinetuneModel[];
  /** the models folder the weights start from (its locvtp/ is read, never changed) */
  parentDir: string;
  recipe: FinetuneRecipe;
  /** checkpoints go here; a checkpoint already there is resumed */
  checkpointDir: string;
  /** the featurizer the corpus's features come from (default: the built-in low-level stage) */
  featurizer?: CorpusFeaturizer;
  /** after every step (awaited: a caller may write it somewhere) */
  onProgress?: (p: FinetuneProgress) => void | Promise<void>;
  /** after every checkpoint is written */
  onCheckpoint?: (c: { model: FinetuneModel; step: number; dir: string }) => void | Promise<void>;
  /** checked between steps: an aborted run throws the signal's reason */
  signal?: AbortSignal;
}

export interface Finetuned {
  locvtp: LocVtpModel | null;
  relevance: RelevanceModel | null;
  cpl: CplModel | null;
  /** where a resumed run took up (null: it started afresh) */
  resumedFrom: { model: FinetuneModel; step: number } | null;
  /** the LocVTP the features went through (its version names what the scorer was trained on; "" when retrained here: the caller names it) */
  locVersion: string;
  /** the featurizer the models were trained on (ml/features/featurizer.ts) */
  featurizer: string;
}

/** What a checkpoint of a fine-tuning run holds besides the weights. */
interface FinetuneState {
  models: FinetuneModel[];
  done: FinetuneModel[];
  locvtp?: { step: number; rngState: number };
  relevance?: { step: number; rngState: number };
  cpl?: CplTrainerState & { vocab: string[] };
}

/** Why a run cannot start: the input or the parent models do not allow it (the caller's 4xx). */
export class FinetuneInputError extends Error {}

/**
 * The run's corpus from a library: each video's features and its sentences (de-duplicated per
 * video; `queries` lists them once each, without times).
 */
export function libraryCorpus(
  videos: { id: string; feats: Float32Array; nClips: number; duration: number }[],
  pairs: { video: string; sentence: string }[],
): Corpus {
  const byId = new Map(videos.map((v) => [v.id, v]));
  const sentences = new Map<string, string[]>();
  for (const p of pairs) {
    if (!byId.has(p.video)) continue;
    const list = sentences.get(p.video) ?? [];
    if (!list.includes(p.sentence)) list.push(p.sentence);
    sentences.set(p.video, list);
  }
  const queries = [...sentences].flatMap(([video, ss]) => ss.map((query) => ({ video, query })));
  return { dir: "library", videos, byId, queries, sentences };
}

/**
 * A model's step count on this corpus: the recipe's `steps`, or fewer when the recipe bounds
 * the passes over the training sentences (`epochs`): a small library seen hundreds of times
 * is memorised (on 10 Shapes videos, 600 steps of the scorer lost 8.6 points R1@0.5 where 60
 * lost none).
 */
export function finetuneSteps(recipe: FinetuneRecipe, model: FinetuneModel, corpus: Corpus): number {
  const s = recipe[model];
  if (!s.epochs) return s.steps;
  const sentences = corpus.queries.length;
  const perStep =
    model === "relevance"
      ? Math.min(recipe.relevance.videos, corpus.sentences.size) * recipe.relevance.sentences
      : model === "locvtp"
        ? Math.min(recipe.locvtp.batch, corpus.sentences.size)
        : recipe.cpl.batch;
  return Math.max(1, Math.min(s.steps, Math.ceil((s.epochs * sentences) / Math.max(1, perStep))));
}

/**
 * A seeded share of the pairs held out of training for evaluation: round(n · fraction) of
 * them (at least one when there are 4 or more), drawn alike on every machine for the same
 * pairs in the same order.
 */
export function holdOut<T>(pairs: readonly T[], fraction: number, seed: number): { train: T[]; heldOut: T[] } {
  const order = Rng.hashed(seed, 0x48454c44).shuffle(pairs.map((_, i) => i));
  const rounded = Math.round(pairs.length * fraction);
  // at least one from 4 pairs on, so even a small library's version has held-out numbers
  const count = fraction > 0 && pairs.length >= 4 ? Math.max(1, rounded) : rounded;
  const held = new Set(order.slice(0, count));
  return { train: pairs.filter((_, i) => !held.has(i)), heldOut: pairs.filter((_, i) => held.has(i)) };
}

export async function finetune(o: FinetuneOptions): Promise<Finetuned> {
  const models = FINETUNE_MODELS.filter((m) => o.models.includes(m));
  if (models.length === 0)
    throw new FinetuneInputError("nothing to fine-tune: choose LocVTP, the relevance scorer or CPL");
  const featurizer: CorpusFeaturizer = o.featurizer ?? {
    id: LOWLEVEL_FEATURIZER,
    backboneDir: null,
    dim: FRAME_FEATURE_DIM,
  };
  const parent = await loadLocVtp(
    path.join(o.parentDir, "locvtp"),
    featurizer.backboneDir ? { backboneDir: featurizer.backboneDir } : {},
  );
  let loc = parent.model;
  const locVersion = models.includes("locvtp") ? "" : parent.version;
  checkFeaturizer(models, encoderFeaturizer(loc.cfg.clip), featurizer);
  const ckpt = loadCheckpoint<FinetuneState>(o.checkpointDir);
  if (ckpt && ckpt.state.models.join() !== models.join())
    throw new Error(
      `the checkpoint in ${o.checkpointDir} is of a run that trains ${ckpt.state.models.join(", ")}, not ${models.join(", ")}`,
    );
  const state: FinetuneState = ckpt?.state ?? { models, done: [] };
  const resumedFrom = ckpt ? resumePoint(ckpt.state) : null;
  const total = models.reduce((n, m) => n + finetuneSteps(o.recipe, m, o.corpus), 0);
  let before = 0;
  const out: Finetuned = {
    locvtp: null,
    relevance: null,
    cpl: null,
    resumedFrom,
    locVersion,
    featurizer: featurizer.id,
  };
  const checkpoint = async (
    model: FinetuneModel,
    step: number,
    optimizer: CheckpointParts<FinetuneState>["optimizers"],
  ) => {
    const parts: CheckpointParts<FinetuneState>["models"] = {};
    if (out.locvtp) parts.locvtp = { ps: out.locvtp.ps, config: out.locvtp.cfg };
    if (out.relevance) parts.relevance = { ps: out.relevance.ps, config: out.relevance.cfg };
    if (out.cpl) parts.cpl = { ps: out.cpl.ps, config: out.cpl.cfg };
    await saveCheckpoint(o.checkpointDir, { models: parts, optimizers: optimizer, state });
    await o.onCheckpoint?.({ model, step, dir: o.checkpointDir });
  };

  for (const m of models) {
    const steps = finetuneSteps(o.recipe, m, o.corpus);
    if (state.done.includes(m)) {
      // finished before the restart: its final weights are in the checkpoint
      if (m === "locvtp") {
        out.locvtp = (
          await locvtpStart(o.parentDir, o.corpus, featurizer, o.recipe.seed, ckpt!.modelDir("locvtp"))
        ).model;
        loc = out.locvtp;
      } else if (m === "relevance") out.relevance = await relevanceFrom(o.parentDir, ckpt!.modelDir("relevance"));
      else out.cpl = (await cplFrom(o, loc, out.relevance, state.cpl!.vocab, ckpt!.modelDir("cpl"))).model;
      before += steps;
      continue;
    }
    const resume = ckpt && state[m] ? ckpt : null;
    if (m === "locvtp") {
      const start = await locvtpStart(o.parentDir, o.corpus, featurizer, o.recipe.seed, resume?.modelDir("locvtp"));
      out.locvtp = start.model;
      loc = start.model;
      const trainer = locvtpTrainer(
        start.model,
        o.corpus,
        { ...o.recipe.locvtp, seed: o.recipe.seed, steps, fresh: start.fresh },
        resume ? state.locvtp : undefined,
      );
      if (trainer.videoIds.length < 2)
        throw new FinetuneInputError(
          `LocVTP learns by telling videos apart: it needs sentences for at least two videos (${trainer.videoIds.length} ha${trainer.videoIds.length === 1 ? "s" : "ve"} them)`,
        );
      if (resume) await resume.restoreOptimizer("locvtp", trainer.optimizer);
      while (trainer.step < steps) {
        o.signal?.throwIfAborted();
        const l = trainer.next();
        state.locvtp = { step: l.step, rngState: trainer.rng.state };
        if (l.step === steps) state.done = [...state.done, m];
        await o.onProgress?.({ model: m, step: l.step, steps, loss: l.total, done: before + l.step, total });
        if (l.step % o.recipe.checkpointEvery === 0 || l.step === steps)
          await checkpoint(m, l.step, { locvtp: trainer.optimizer });
        await yieldToEventLoop();
      }
    } else if (m === "relevance") {
      if (loc.cfg.clip.kind !== "lowlevel-slots")
        throw new FinetuneInputError(
          "the relevance scorer reads the low-level slot encoder's inputs, and this clip encoder is a frame backbone",
        );
      const rel = await relevanceFrom(o.parentDir, resume?.modelDir("relevance"));
      out.relevance = rel;
      const r = o.recipe.relevance;
      const standardisation = { mean: loc.slotMean, std: loc.slotStd };
      const trainer = relevanceTrainer(
        rel,
        o.corpus,
        loc,
        {
          seed: o.recipe.seed,
          steps,
          videosPerBatch: r.videos,
          sentencesPerVideo: r.sentences,
          lr: r.lr,
          wordLr: r.wordLr,
          withinWeight: r.within,
          minSentences: r.within > 0 ? 2 : 1,
          augment: augmentFromRecipe(r.augment, r.videos, standardisation),
          hardNegatives: r.hardNegatives && captionHardNegatives(o.corpus, r.hardNegatives),
        },
        resume ? state.relevance : undefined,
      );
      if (trainer.videoIds.length < 2)
        throw new FinetuneInputError(
          `the relevance scorer learns by telling videos apart: it needs sentences for at least two videos (${trainer.videoIds.length} ha${trainer.videoIds.length === 1 ? "s" : "ve"} them)`,
        );
      if (resume) {
        await resume.restoreOptimizer("relevance", trainer.optimizer);
        if (trainer.wordOptimizer) await resume.restoreOptimizer("relevance-words", trainer.wordOptimizer);
      }
      const optimizers = {
        relevance: trainer.optimizer,
        ...(trainer.wordOptimizer ? { "relevance-words": trainer.wordOptimizer } : {}),
      };
      while (trainer.step < steps) {
        o.signal?.throwIfAborted();
        const l = trainer.next();
        state.relevance = { step: l.step, rngState: trainer.rng.state };
        if (l.step === steps) state.done = [...state.done, m];
        await o.onProgress?.({ model: m, step: l.step, steps, loss: l.total, done: before + l.step, total });
        if (l.step % o.recipe.checkpointEvery === 0 || l.step === steps) await checkpoint(m, l.step, optimizers);
        await yieldToEventLoop();
      }
    } else {
      const vocab = state.cpl?.vocab ?? grownVocab(parentVocab(o.parentDir), o.corpus);
      const { model, emb } = await cplFrom(o, loc, out.relevance, vocab, resume?.modelDir("cpl"));
      out.cpl = model;
      const c = o.recipe.cpl;
      const trainer = cplTrainer(
        model,
        o.corpus,
        emb,
        { seed: o.recipe.seed, epochs: 1, steps, batch: c.batch, lr: c.lr, variant: "cpl" },
        resume ? state.cpl : undefined,
      );
      if (resume) await resume.restoreOptimizer("cpl", trainer.optimizer);
      while (trainer.step < steps) {
        o.signal?.throwIfAborted();
        const l = trainer.next();
        state.cpl = { ...trainer.state(), vocab };
        if (l.step === steps) state.done = [...state.done, m];
        await o.onProgress?.({ model: m, step: l.step, steps, loss: l.total, done: before + l.step, total });
        if (l.step % o.recipe.checkpointEvery === 0 || l.step === steps)
          await checkpoint(m, l.step, { cpl: trainer.optimizer });
        await yieldToEventLoop();
      }
    }
    before += steps;
  }
  return out;
}

/**
 * The scorer's hard negatives on a library: one-word edits of a sentence that no sentence of
 * its video describes (the captions read as a closed world), naming also the extra event kinds
 * the library's sentences use, so "moves up" and the new "bounces" are told apart both ways.
 */
export function captionHardNegatives(
  corpus: Pick<Corpus, "sentences">,
  o: { perSentence: number; weight: number },
): HardNegativeOpts {
  const falseIn = new Map([...corpus.sentences].map(([id, ss]) => [id, falseByCaptions(ss)]));
  const named = new Set([...corpus.sentences.values()].flat().map((s) => parseSentence(s)?.kind));
  return {
    ...o,
    isFalse: (id, sentence) => falseIn.get(id)?.(sentence) ?? false,
    extraKinds: EXTRA_EVENT_KINDS.filter((k) => named.has(k)),
  };
}

/** Where a run on this checkpoint folder would take up (null: no checkpoint, it starts afresh). */
export function checkpointPosition(checkpointDir: string): Finetuned["resumedFrom"] {
  const ckpt = loadCheckpoint<FinetuneState>(checkpointDir);
  return ckpt ? resumePoint(ckpt.state) : null;
}

function resumePoint(s: FinetuneState): Finetuned["resumedFrom"] {
  for (const m of s.models) {
    if (s.done.includes(m)) continue;
    return { model: m, step: s[m]?.step ?? 0 };
  }
  const last = s.models[s.models.length - 1];
  return { model: last, step: s[last]?.step ?? 0 };
}

/**
 * Refuses a run whose models cannot learn from the corpus's featurizer: the relevance scorer
 * reads the built-in stage's object slots (a backbone's vector has no slot layout, so a new
 * input layer would not make it the same model), and a model fine-tuned on top of a LocVTP
 * that reads another featurizer would be fed features it was never trained on.
 */
function checkFeaturizer(models: FinetuneModel[], parent: string, features: CorpusFeaturizer): void {
  if (models.includes("relevance") && features.id !== LOWLEVEL_FEATURIZER)
    throw new FinetuneInputError(
      `the relevance scorer reads the built-in low-level stage's object slots, and the features come from ${describeFeaturizer(features.id)}: retrain LocVTP and CPL instead (the scorer is not used over a frame backbone)`,
    );
  if (parent !== features.id && !models.includes("locvtp"))
    throw new FinetuneInputError(
      `the parent version's clip encoder reads ${describeFeaturizer(parent)}, but the features come from ${describeFeaturizer(features.id)}: retrain LocVTP too (with CPL), so the models learn the new features`,
    );
}

/** Lets timers and I/O run between steps (a job's heartbeats, its progress writes, a cancel). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The parent's scorer as a model of its own (never the loaders' shared instance: training changes it), optionally with a checkpoint's weights. */
async function relevanceFrom(parentDir: string, weightsDir?: string): Promise<RelevanceModel> {
  const dir = path.join(parentDir, "relevance");
  if (!ParamStore.exists(dir)) throw new FinetuneInputError(`there is no relevance scorer to fine-tune in ${dir}`);
  const man = ParamStore.readManifest<RelevanceConfig>(dir);
  const model = new RelevanceModel(man.config, 0);
  model.ps.loadFrom(weightsDir ?? dir);
  return model;
}

function parentVocab(parentDir: string): string[] {
  const dir = path.join(parentDir, "cpl");
  if (!ParamStore.exists(dir)) throw new FinetuneInputError(`there is no trained CPL to fine-tune in ${dir}`);
  const vocab = (ParamStore.readManifest(dir).extra as { vocab?: string[] } | undefined)?.vocab;
  if (!vocab) throw new Error(`${dir}/manifest.json has no vocabulary`);
  return vocab;
}

/**
 * The parent's reconstruction vocabulary with the library's new words appended (sorted), so
 * every word the parent knew keeps its id and its output row.
 */
export function grownVocab(parent: string[], corpus: Corpus): string[] {
  const known = new Set(parent);
  const added = new Set<string>();
  for (const q of corpus.queries) for (const w of splitWords(q.query)) if (!known.has(w)) added.add(w);
  return [...parent, ...[...added].sort()];
}

/**
 * The parent's CPL grounder with a grown vocabulary: its weights, and for the words it did not
 * know, the fresh init's output rows; `weightsDir`: a checkpoint's weights instead (already
 * grown). Also the clip vectors it trains on.
 */
async function cplFrom(
  o: FinetuneOptions,
  loc: LocVtpModel,
  relevance: RelevanceModel | null,
  vocab: string[],
  weightsDir?: string,
): Promise<{ model: CplModel; emb: Map<string, ReturnType<typeof clipVectors>> }> {
  const dir = path.join(o.parentDir, "cpl");
  parentVocab(o.parentDir);
  const man = ParamStore.readManifest<CplConfig>(dir);
  const cfg = man.config;
  const extra = (man.extra ?? {}) as { substitutions?: SubstitutionIndexJson };
  const needsScorer = cfg.simSource === "relevance" || cfg.completion === "relevance";
  const scorer = needsScorer ? (relevance ?? (await relevanceFrom(o.parentDir))) : null;
  const model = new CplModel(cfg, o.recipe.seed, vocab, {
    sentenceEmbedder: cfg.simChannel ? sentenceEmbedderFor(loc) : null,
    relevance: scorer,
    substitutions:
      cfg.completion === "relevance" && extra.substitutions ? substitutionIndexFromJson(extra.substitutions) : null,
  });
  if (weightsDir) model.ps.loadFrom(weightsDir);
  else loadGrowing(model.ps, dir);
  const emb = new Map(o.corpus.videos.map((v) => [v.id, clipVectors(loc, scorer, v.feats, v.nClips)]));
  return { model, emb };
}

/**
 * Loads saved weights into a store whose variables may be wider along their last axis (a grown
 * vocabulary's output layer): the saved values fill the leading columns, the rest keep their init.
 */
export function loadGrowing(ps: ParamStore, dir: string): void {
  const saved = new ParamStore(0);
  const man = saved.loadFrom(dir);
  for (const w of man.weights) {
    const from = saved.vars.get(w.name)!;
    const to = ps.vars.get(w.name);
    if (!to || to.shape.join() === from.shape.join()) {
      ps.assign(w.name, from.shape, from.dataSync() as Float32Array);
      continue;
    }
    const rows = from.shape.slice(0, -1);
    const [a, b] = [from.shape[from.shape.length - 1], to.shape[to.shape.length - 1]];
    if (rows.join() !== to.shape.slice(0, -1).join() || b < a)
      throw new Error(`weight ${w.name}: saved ${from.shape} does not fit ${to.shape}`);
    const src = from.dataSync() as Float32Array;
    const dst = Float32Array.from(to.dataSync() as Float32Array);
    for (let r = 0; r < src.length / a; r++) dst.set(src.subarray(r * a, (r + 1) * a), r * b);
    ps.assign(w.name, to.shape, dst);
  }
  saved.dispose();
}

/**
 * Writes the fine-tuned models into a models folder (relevance/, cpl/), named
 * `<model>-<tag>`; the other components of the folder are the caller's (copied from the parent).
 */
export function saveFinetuned(f: Finetuned, dir: string, tag: string, extra: Record<string, unknown> = {}): void {
  if (f.locvtp) saveLocVtp(f.locvtp, path.join(dir, "locvtp"), locvtpVersionName(f, tag));
  if (f.relevance)
    f.relevance.ps.save(path.join(dir, "relevance"), {
      name: "relevance",
      version: `relevance-${tag}`,
      config: f.relevance.cfg,
      extra: { locvtp: f.locVersion || locvtpVersionName(f, tag), ...extra },
    });
  if (f.cpl) saveCpl(f.cpl, path.join(dir, "cpl"), `cpl-cpl-${tag}`);
}

/** A retrained LocVTP's version: its featurizer and the run's tag. */
function locvtpVersionName(f: Finetuned, tag: string): string {
  return `locvtp-${f.locvtp ? encoderTag(f.locvtp.cfg.clip) : "?"}-${f.featurizer === LOWLEVEL_FEATURIZER ? "" : `${f.featurizer}-`}${tag}`;
}
