/**
 * Training orchestration: LocVTP pre-training, clip-embedding extraction, CPL (and its
 * baseline variants). Writes weights with ParamStore manifests, JSON-lines loss logs and
 * periodic checkpoints.
 */
import * as tf from "@tensorflow/tfjs";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import { CLIP_SPEC, DEFAULT_CPL_CONFIG, LOCVTP_HPARAMS, type CplConfig } from "../config";
import { LocVtpModel } from "../models/locvtp";
import { CplModel, tokenSimilarity, type SentenceEmbedder } from "../models/cpl";
import { Rng } from "../core/rng";
import { words as splitWords } from "../core/tokenizer";
import { eta } from "../cpl/geometry";
import { completionTableOf, embedClipFeatures, defaultLocVtpConfig, groundWithModel, relevanceScores } from "../index";
import type { RelevanceModel } from "../models/relevance";
import { featureStats, locvtpLoss, makeLocVtpBatch, slotFeatureStats } from "./locvtp";
import { cplLoss, idfWeights, type CplSample, type CplVariant } from "./cpl";
import type { Corpus } from "./corpus";
import { SHAPES_VOCAB } from "../vocab";
import { evaluateGrounding } from "../data/metrics";
import { substitutionIndex, substitutionIndexToJson } from "../cpl/completion";
import { resampleClips } from "../core/resample";

export interface LogSink {
  log(rec: Record<string, unknown>): void;
}
export function jsonlSink(file: string): LogSink {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "");
  return { log: (rec) => appendFileSync(file, JSON.stringify({ t: Date.now(), ...rec }) + "\n") };
}

export function bar(label: string, total: number, quiet?: boolean) {
  if (quiet) return null;
  const b = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} | {info} | eta {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { info: "" });
  return b;
}

export interface LocVtpTrainOpts {
  seed: number;
  steps: number;
  batch: number;
  clipsPerVideo: number;
  /** sentences per video whose words L_f / L_t may align a clip to (1 = the sampled one) */
  paragraph?: number;
  lr: number;
  outDir: string;
  ckptDir?: string;
  sink?: LogSink;
  quiet?: boolean;
  saveEvery?: number;
}

export function trainLocVtp(corpus: Corpus, o: LocVtpTrainOpts): LocVtpModel {
  const model = new LocVtpModel(defaultLocVtpConfig(), o.seed);
  // each encoder standardises its own inputs: the slot statistics, or the whole frame vector
  if (model.cfg.clip.kind === "lowlevel-slots") {
    const ss = slotFeatureStats(corpus, model.cfg);
    model.slotMean = ss.mean;
    model.slotStd = ss.std;
  } else {
    const stats = featureStats(corpus, model.cfg.clip.frameDim);
    model.featMean = stats.mean;
    model.featStd = stats.std;
  }
  const rng = new Rng(o.seed * 7919 + 1);
  const opt = tf.train.adam(o.lr);
  const vars = model.ps.list();
  const ids = corpus.videos.filter((v) => (corpus.sentences.get(v.id)?.length ?? 0) > 0).map((v) => v.id);
  const b = bar("LocVTP", o.steps, o.quiet);
  let order: string[] = [];
  const t0 = Date.now();
  for (let step = 1; step <= o.steps; step++) {
    if (order.length < o.batch) order = order.concat(rng.shuffle([...ids]));
    const batchIds = order.splice(0, o.batch);
    // step decay ×0.1 at 50% and 80% of training (the paper's 100/160 of 200 epochs)
    (opt as unknown as { learningRate: number }).learningRate = o.lr * (step > 0.8 * o.steps ? 0.01 : step > 0.5 * o.steps ? 0.1 : 1);
    const batch = makeLocVtpBatch(model, corpus, batchIds, o.clipsPerVideo, rng, o.paragraph ?? 1);
    let parts = { lc: 0, lf: 0, lt: 0 };
    const cost = opt.minimize(
      () => {
        const l = locvtpLoss(model, batch, LOCVTP_HPARAMS);
        parts = { lc: l.lc.dataSync()[0], lf: l.lf.dataSync()[0], lt: l.lt.dataSync()[0] };
        return l.total;
      },
      true,
      vars,
    );
    const total = cost!.dataSync()[0];
    cost!.dispose();
    batch.clips.dispose();
    if (step % 5 === 0 || step === 1) o.sink?.log({ stage: "locvtp", step, loss: total, ...parts, sec: (Date.now() - t0) / 1000 });
    b?.update(step, { info: `L ${total.toFixed(3)} Lc ${parts.lc.toFixed(2)} Lf ${parts.lf.toFixed(2)} Lt ${parts.lt.toFixed(2)}` });
    if (o.ckptDir && step % 200 === 0) saveLocVtp(model, path.join(o.ckptDir, "locvtp"), `locvtp-ckpt-${step}`);
    // also keep the output folder current, so a run killed by a time limit still leaves weights
    if (o.saveEvery && step % o.saveEvery === 0) saveLocVtp(model, o.outDir, `locvtp-partial-${step}`);
  }
  b?.stop();
  return model;
}

export function saveLocVtp(model: LocVtpModel, dir: string, version: string): void {
  model.ps.save(dir, {
    name: "locvtp",
    version,
    config: model.cfg,
    extra: { featMean: Array.from(model.featMean), featStd: Array.from(model.featStd), slotMean: Array.from(model.slotMean), slotStd: Array.from(model.slotStd), spec: CLIP_SPEC, hparams: LOCVTP_HPARAMS },
  });
}

/** Clip embeddings of every video of a corpus (frozen LocVTP). */
export function corpusEmbeddings(model: LocVtpModel, corpus: Corpus): Map<string, Float32Array[]> {
  const out = new Map<string, Float32Array[]>();
  for (const v of corpus.videos) out.set(v.id, embedClipFeatures(model, v.feats, v.nClips));
  return out;
}

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
  /** which words reconstruction masks: uniformly (the paper) or weighted by idfWeights */
  maskBy?: "uniform" | "idf";
  /** LocVTP sentence embeddings, required by grounders with cfg.simChannel */
  sentenceEmbedder?: SentenceEmbedder;
  /** the relevance scorer, required when cfg.simSource is "relevance" (clip vectors carry its features) */
  relevance?: RelevanceModel;
  /** optional validation split for monitoring only (never for the training signal) */
  val?: { corpus: Corpus; emb: Map<string, Float32Array[]>; maxQueries?: number };
  ckptDir?: string;
}

export function trainCpl(corpus: Corpus, emb: Map<string, Float32Array[]>, o: CplTrainOpts): CplModel {
  const cfg: CplConfig = { ...DEFAULT_CPL_CONFIG, ...(o.variant === "cnm" ? { K: 1 } : {}), ...o.cfg };
  const model = new CplModel(cfg, o.seed, buildVocab(corpus));
  if (cfg.simChannel) {
    if (!o.sentenceEmbedder) throw new Error("cfg.simChannel needs opts.sentenceEmbedder (the LocVTP text encoder)");
    model.sentenceEmbedder = o.sentenceEmbedder;
  }
  if (cfg.simSource === "relevance" || cfg.completion === "relevance") {
    if (!o.relevance) throw new Error('cfg.simSource / cfg.completion "relevance" need opts.relevance');
    model.relevance = o.relevance;
  }
  if (cfg.completion === "relevance") model.substitutions = substitutionIndex(corpus.queries.map((q) => splitWords(q.query)));
  const rng = new Rng(o.seed * 104729 + 3);
  const idf = o.maskBy === "idf" ? idfWeights(corpus.queries.map((q) => splitWords(q.query))) : null;
  const samples: CplSample[] = corpus.queries.map((q) => {
    const v = corpus.byId.get(q.video)!;
    const video = resampleClips(emb.get(q.video)!, cfg.nTokens, cfg.inDim);
    const s: CplSample = { video, enc: model.encode(q.query) };
    if (idf) s.maskWeights = Float32Array.from(s.enc.query.words, (w) => idf.get(w) ?? 1);
    if (model.substitutions) s.completion = completionTableOf(model, s.enc.query.words, emb.get(q.video)!);
    if (cfg.simChannel)
      s.sim = model.relevance && cfg.simSource === "relevance" ? relevanceScores(model.relevance, q.query, [emb.get(q.video)!], cfg.inDim) : tokenSimilarity(video, model.sentenceEmbedder!(q.query), cfg.nTokens, cfg.inDim);
    // timestamps are read ONLY by the supervised upper bound
    if (o.variant === "supervised" && q.start !== undefined && q.end !== undefined) {
      s.gt = { c: (q.start + q.end) / 2 / v.duration, w: (q.end - q.start) / v.duration };
    }
    return s;
  }).filter((s) => o.variant !== "supervised" || s.gt);
  const opt = tf.train.adam(o.lr);
  const vars = model.ps.list();
  const stepsPerEpoch = Math.ceil(samples.length / o.batch);
  const totalSteps = o.steps ?? o.epochs * stepsPerEpoch;
  const epochs = Math.ceil(totalSteps / stepsPerEpoch);
  const b = bar(`CPL(${o.variant})`, totalSteps, o.quiet);
  const t0 = Date.now();
  let step = 0;
  for (let e = 1; e <= epochs && step < totalSteps; e++) {
    const order = rng.shuffle(samples.map((_, i) => i));
    let sum = 0;
    let nInEpoch = 0;
    for (let s = 0; s < order.length && step < totalSteps; s += o.batch) {
      step++;
      nInEpoch++;
      // curriculum η = (e/e_max)^0.5 with e counted in (fractional) epochs of progress
      const et = eta(step, totalSteps);
      const batch = order.slice(s, s + o.batch).map((i) => samples[i]);
      let parts = { rec: 0, ivc: 0, div: 0 };
      const cost = opt.minimize(
        () => {
          const l = cplLoss(model, batch, o.variant, et, rng);
          parts = { rec: l.rec.dataSync()[0], ivc: l.ivc.dataSync()[0], div: l.div.dataSync()[0] };
          return l.total;
        },
        true,
        vars,
      );
      const total = cost!.dataSync()[0];
      cost!.dispose();
      sum += total;
      if (step % 5 === 0 || step === 1) o.sink?.log({ stage: `cpl-${o.variant}`, epoch: e, step, eta: et, loss: total, ...parts, sec: (Date.now() - t0) / 1000 });
      if (o.saveTo && step % o.saveTo.every === 0) saveCpl(model, o.saveTo.dir, `${o.saveTo.version}-partial-${step}`);
      b?.update(step, { info: `ep ${e} η ${et.toFixed(2)} L ${total.toFixed(3)} rec ${parts.rec.toFixed(2)} ivc ${parts.ivc.toFixed(2)} div ${parts.div.toFixed(3)}` });
    }
    const rec: Record<string, unknown> = { stage: `cpl-${o.variant}-epoch`, epoch: e, meanLoss: sum / Math.max(nInEpoch, 1), sec: (Date.now() - t0) / 1000 };
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

export function quickEval(model: CplModel, corpus: Corpus, emb: Map<string, Float32Array[]>, maxQueries: number) {
  const qs = corpus.queries.filter((q) => q.start !== undefined).slice(0, maxQueries);
  const vote = [];
  const loss = [];
  for (const q of qs) {
    const v = corpus.byId.get(q.video)!;
    const gt = { start: q.start!, end: q.end! };
    vote.push({ gt, predictions: groundWithModel(model, q.query, emb.get(q.video)!, v.duration, { method: "vote", topK: 5 }) });
    loss.push({ gt, predictions: groundWithModel(model, q.query, emb.get(q.video)!, v.duration, { method: "loss", topK: 5 }) });
  }
  return { vote: evaluateGrounding(vote), loss: evaluateGrounding(loss) };
}

export function saveCpl(model: CplModel, dir: string, version: string): void {
  const extra: Record<string, unknown> = { vocab: model.vocab };
  if (model.substitutions) extra.substitutions = substitutionIndexToJson(model.substitutions);
  model.ps.save(dir, { name: "cpl", version, config: model.cfg, extra });
}
