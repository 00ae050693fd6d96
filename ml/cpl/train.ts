/**
 * CPL training (weak: (video, sentence) pairs only) and its baseline variants, on frozen
 * clip vectors; checkpoints and loss logs as it goes.
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { bar, type LogSink } from "../core/log";
import { resampleClips } from "../core/resample";
import { Rng } from "../core/rng";
import { words as splitWords } from "../core/tokenizer";
import type { Corpus } from "../data/corpus";
import { evaluateGrounding } from "../data/metrics";
import type { SentenceEmbedder } from "../locvtp/encode";
import { tokenEvidence, tokenScores } from "../relevance/scores";
import type { RelevanceModel } from "../relevance/model";
import type { ClipVector } from "../types";
import { substitutionIndex, substitutionIndexToJson } from "./completion";
import { CPL_HPARAMS, DEFAULT_CPL_CONFIG, readsScorer, type CplConfig, type CplHparams } from "./config";
import { posMaskWeights } from "./pos";
import { clipFactor, learningRateAt, type LrSchedule } from "./schedule";
import { eta } from "./geometry";
import { completionTableOf, groundWithModel } from "./ground";
import { cplLoss, idfWeights, type CplSample, type CplVariant } from "./losses";
import { CplModel, tokenSimilarity } from "./model";
import { SHAPES_VOCAB } from "./vocab";

export function buildVocab(corpus: Corpus): string[] {
  const set = new Set<string>(SHAPES_VOCAB.slice(1));
  for (const ss of corpus.sentences.values()) for (const s of ss) for (const w of splitWords(s)) set.add(w);
  return ["<unk>", ...[...set].sort()];
}

export interface CplTrainOpts {
  seed: number;
  epochs: number;
  /** if set, train exactly this many steps; "epoch" e then means progress e/e_max = step/steps */
  steps?: number;
  batch: number;
  lr: number;
  variant: CplVariant;
  /** write the current weights here every saveEvery steps (survives a killed run) */
  saveTo?: { dir: string; every: number; version: string };
  cfg?: Partial<CplConfig>;
  sink?: LogSink;
  quiet?: boolean;
  /**
   * which words reconstruction masks: uniformly (the paper), weighted by idfWeights, or by part
   * of speech (the reference code: ∝ e² for content words, e¹ otherwise; ./pos.ts)
   */
  maskBy?: "uniform" | "idf" | "pos";
  /** CPL's loss weights (missing: CPL_HPARAMS) */
  hparams?: Partial<CplHparams>;
  /** learning-rate schedule (missing: constant `lr`); the reference: inverse-sqrt, 400 warm-up updates */
  schedule?: { kind: "constant" | "inverse-sqrt"; warmup: number; initLr?: number };
  /** clip gradients to this global L2 norm (the reference: 10; missing: no clipping) */
  clipNorm?: number;
  /** LocVTP sentence embeddings, required by grounders with cfg.simChannel */
  sentenceEmbedder?: SentenceEmbedder;
  /** the relevance scorer, required when cfg.simSource is "relevance" (clip vectors carry its features) */
  relevance?: RelevanceModel;
  /** optional validation split for monitoring only (never for the training signal) */
  val?: { corpus: Corpus; emb: Map<string, ClipVector[]>; maxQueries?: number };
  ckptDir?: string;
}

/** The architecture a variant trains: the defaults, one Gaussian for the CNM-style baseline, then `cfg`. */
export function cplConfigFor(variant: CplVariant, cfg: Partial<CplConfig> = {}): CplConfig {
  return { ...DEFAULT_CPL_CONFIG, ...(variant === "cnm" ? { K: 1 } : {}), ...cfg };
}

/** One CPL step's losses and where it stands in its epoch. */
export interface CplStepLoss {
  step: number;
  /** 1-based */
  epoch: number;
  /** the curriculum's η at this step */
  eta: number;
  total: number;
  rec: number;
  ivc: number;
  div: number;
  /** this step was its epoch's last */
  epochEnd: boolean;
}

/** Where a CPL run stands between steps: what a checkpoint keeps to resume exactly. */
export interface CplTrainerState {
  step: number;
  epoch: number;
  /** the epoch's sample order and how far into it the run is */
  order: number[];
  pos: number;
  rngState: number;
}

/**
 * CPL's weak training as steps (see relevanceTrainer): `model` is trained in place;
 * `state()` and `from` checkpoint and resume it (the optimizer's moments are the caller's).
 */
export interface CplTrainer {
  readonly model: CplModel;
  readonly optimizer: tf.AdamOptimizer;
  readonly step: number;
  readonly steps: number;
  next(): CplStepLoss;
  state(): CplTrainerState;
}

/** The model a run trains: fresh from the seed, with the corpus' vocabulary and the collaborators the config needs. */
export function newCplModel(corpus: Corpus, o: CplTrainOpts): CplModel {
  const cfg = cplConfigFor(o.variant, o.cfg);
  const needsScorer = readsScorer(cfg);
  if (cfg.simChannel && !needsScorer && !o.sentenceEmbedder)
    throw new Error("cfg.simChannel needs opts.sentenceEmbedder (the LocVTP text encoder)");
  if (needsScorer && !o.relevance) throw new Error('cfg.simSource / cfg.completion "relevance" need opts.relevance');
  return new CplModel(cfg, o.seed, buildVocab(corpus), {
    sentenceEmbedder: cfg.simChannel ? o.sentenceEmbedder : null,
    relevance: needsScorer ? o.relevance : null,
    substitutions:
      cfg.completion === "relevance" ? substitutionIndex(corpus.queries.map((q) => splitWords(q.query))) : null,
  });
}

export function cplTrainer(
  model: CplModel,
  corpus: Corpus,
  emb: Map<string, ClipVector[]>,
  o: Pick<
    CplTrainOpts,
    "seed" | "epochs" | "steps" | "batch" | "lr" | "variant" | "maskBy" | "hparams" | "schedule" | "clipNorm"
  >,
  from?: CplTrainerState,
): CplTrainer {
  const cfg = model.cfg;
  let rng = new Rng(o.seed * 104729 + 3);
  const idf = o.maskBy === "idf" ? idfWeights(corpus.queries.map((q) => splitWords(q.query))) : null;
  const samples: CplSample[] = corpus.queries
    .map((q) => {
      const v = corpus.byId.get(q.video)!;
      const clips = emb.get(q.video)!;
      const video = resampleClips(
        clips.map((c) => c.embedding),
        cfg.nTokens,
        cfg.inDim,
      );
      const s: CplSample = { video, enc: model.encode(q.query) };
      if (idf) s.maskWeights = Float32Array.from(s.enc.query.words, (w) => idf.get(w) ?? 1);
      if (o.maskBy === "pos") s.maskWeights = posMaskWeights(s.enc.query.words);
      if (model.substitutions) s.completion = completionTableOf(model, s.enc.query.words, clips);
      if (cfg.simChannel)
        s.sim =
          model.relevance && cfg.simSource === "relevance-evidence"
            ? tokenEvidence(model.relevance, q.query, [clips.map((c) => c.relevance)])
            : model.relevance && cfg.simSource === "relevance"
              ? tokenScores(model.relevance, q.query, [clips.map((c) => c.relevance)])
              : tokenSimilarity(video, model.sentenceEmbedder!(q.query), cfg.nTokens, cfg.inDim);
      // timestamps are read ONLY by the supervised upper bound
      if (o.variant === "supervised" && q.start !== undefined && q.end !== undefined) {
        s.gt = { c: (q.start + q.end) / 2 / v.duration, w: (q.end - q.start) / v.duration };
      }
      return s;
    })
    .filter((s) => o.variant !== "supervised" || s.gt);
  if (samples.length === 0) throw new Error("CPL has no training sentences");
  const optimizer = tf.train.adam(o.lr);
  const hp: CplHparams = { ...CPL_HPARAMS, ...o.hparams };
  const schedule: LrSchedule = {
    kind: o.schedule?.kind ?? "constant",
    lr: o.lr,
    warmup: o.schedule?.warmup ?? 0,
    initLr: o.schedule?.initLr ?? 1e-7,
  };
  const vars = model.ps.list();
  const stepsPerEpoch = Math.ceil(samples.length / o.batch);
  const totalSteps = o.steps ?? o.epochs * stepsPerEpoch;
  let { step, epoch, order, pos } = from ?? { step: 0, epoch: 0, order: [] as number[], pos: 0 };
  if (from) rng = Rng.fromState(from.rngState);
  return {
    model,
    optimizer,
    get step() {
      return step;
    },
    steps: totalSteps,
    state: () => ({ step, epoch, order: [...order], pos, rngState: rng.state }),
    next() {
      if (pos >= order.length) {
        epoch++;
        order = rng.shuffle(samples.map((_, i) => i));
        pos = 0;
      }
      step++;
      // curriculum η = (e/e_max)^0.5 with e counted in (fractional) epochs of progress
      const et = eta(step, totalSteps);
      const batch = order.slice(pos, pos + o.batch).map((i) => samples[i]);
      pos += o.batch;
      let parts = { rec: 0, ivc: 0, div: 0 };
      // Adam reads its learning rate at every update
      (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(step, schedule);
      const lossFn = () => {
        const l = cplLoss(model, batch, o.variant, et, rng, hp);
        parts = { rec: l.rec.dataSync()[0], ivc: l.ivc.dataSync()[0], div: l.div.dataSync()[0] };
        return l.total;
      };
      let total: number;
      if (o.clipNorm) {
        const { value, grads } = tf.variableGrads(lossFn, vars);
        total = value.dataSync()[0];
        const norm = Math.sqrt(
          tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]),
        );
        const f = clipFactor(norm, o.clipNorm);
        const scaled = Object.entries(grads).map(([name, g]) => ({ name, tensor: f < 1 ? tf.mul(g, f) : g }));
        optimizer.applyGradients(scaled);
        tf.dispose([value, grads, scaled.map((x) => x.tensor)]);
      } else {
        const cost = optimizer.minimize(lossFn, true, vars);
        total = cost!.dataSync()[0];
        cost!.dispose();
      }
      return { step, epoch, eta: et, total, ...parts, epochEnd: pos >= order.length || step >= totalSteps };
    },
  };
}

/** Train a grounder on the frozen clip vectors of a corpus (`emb`: video id → its clips in time order). */
export function trainCpl(corpus: Corpus, emb: Map<string, ClipVector[]>, o: CplTrainOpts): CplModel {
  const model = newCplModel(corpus, o);
  const trainer = cplTrainer(model, corpus, emb, o);
  const totalSteps = trainer.steps;
  const b = bar(`CPL(${o.variant})`, totalSteps, o.quiet);
  const t0 = Date.now();
  let sum = 0;
  let nInEpoch = 0;
  while (trainer.step < totalSteps) {
    const { step, epoch: e, eta: et, total, epochEnd, ...parts } = trainer.next();
    sum += total;
    nInEpoch++;
    if (step % 5 === 0 || step === 1)
      o.sink?.log({
        stage: `cpl-${o.variant}`,
        epoch: e,
        step,
        eta: et,
        loss: total,
        ...parts,
        sec: (Date.now() - t0) / 1000,
      });
    if (o.saveTo && step % o.saveTo.every === 0) saveCpl(model, o.saveTo.dir, `${o.saveTo.version}-partial-${step}`);
    b?.update(step, {
      info: `ep ${e} η ${et.toFixed(2)} L ${total.toFixed(3)} rec ${parts.rec.toFixed(2)} ivc ${parts.ivc.toFixed(2)} div ${parts.div.toFixed(3)}`,
    });
    if (!epochEnd) continue;
    const rec: Record<string, unknown> = {
      stage: `cpl-${o.variant}-epoch`,
      epoch: e,
      meanLoss: sum / Math.max(nInEpoch, 1),
      sec: (Date.now() - t0) / 1000,
    };
    sum = 0;
    nInEpoch = 0;
    if (o.val) {
      const m = quickEval(model, o.val.corpus, o.val.emb, o.val.maxQueries ?? 300);
      Object.assign(rec, { valVoteR1_05: m.vote["R1@0.5"], valVoteMIoU: m.vote.mIoU, valLossR1_05: m.loss["R1@0.5"] });
    }
    o.sink?.log(rec);
    if (!o.quiet) console.log(`\n[cpl ${o.variant}] epoch ${e}: ${JSON.stringify(rec)}`);
    if (o.ckptDir) saveCpl(model, path.join(o.ckptDir, `cpl-${o.variant}`), `cpl-${o.variant}-ckpt-e${e}`);
  }
  b?.stop();
  return model;
}

export function quickEval(model: CplModel, corpus: Corpus, emb: Map<string, ClipVector[]>, maxQueries: number) {
  const qs = corpus.queries.filter((q) => q.start !== undefined).slice(0, maxQueries);
  const vote = [];
  const loss = [];
  for (const q of qs) {
    const v = corpus.byId.get(q.video)!;
    const gt = { start: q.start!, end: q.end! };
    vote.push({
      gt,
      predictions: groundWithModel(model, q.query, emb.get(q.video)!, v.duration, { method: "vote", topK: 5 }),
    });
    loss.push({
      gt,
      predictions: groundWithModel(model, q.query, emb.get(q.video)!, v.duration, { method: "loss", topK: 5 }),
    });
  }
  return { vote: evaluateGrounding(vote), loss: evaluateGrounding(loss) };
}

export function saveCpl(model: CplModel, dir: string, version: string): void {
  const extra: Record<string, unknown> = { vocab: model.vocab };
  if (model.substitutions) extra.substitutions = substitutionIndexToJson(model.substitutions);
  model.ps.save(dir, { name: "cpl", version, config: model.cfg, extra });
}
