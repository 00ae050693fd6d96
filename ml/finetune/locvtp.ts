/**
 * LocVTP (the clip and text encoder) retrained on a library's (video, sentence) pairs, one step
 * at a time (the job checkpoints and reports between steps), with the Shapes-corpus training's
 * weak objective (ml/locvtp/train.ts: L_c + L_f + L_t, no timestamps).
 *
 * On the featurizer the parent was trained on, it starts from the parent's weights (a
 * fine-tune). On another one (a frame backbone configured with LOCVTP_BACKBONE_DIR, or the
 * built-in stage again after one), the clip head's input is another width and meaning: it
 * starts afresh over the new features, with the new features' standardisation, while the text
 * tower and the context-warping head keep the parent's weights (they never read frames).
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { ParamStore } from "../core/params";
import { Rng } from "../core/rng";
import type { Corpus } from "../data/corpus";
import { encoderFeaturizer } from "../features/featurizer";
import { LOCVTP_HPARAMS, defaultLocVtpConfig, type LocVtpConfig } from "../locvtp/config";
import { loadLocVtp } from "../locvtp/load";
import { LocVtpModel } from "../locvtp/model";
import { featureStats, locvtpLoss, makeLocVtpBatch, slotFeatureStats } from "../locvtp/train";

export interface LocVtpFinetuneSettings {
  seed: number;
  steps: number;
  /** videos per step, clips sampled per video */
  batch: number;
  clipsPerVideo: number;
  /** learning rate from the parent's weights / for a clip head that starts afresh */
  lr: number;
  freshLr: number;
}

/** The features a run's corpus holds: their featurizer, its folder (a backbone's) and width per frame. */
export interface CorpusFeaturizer {
  id: string;
  backboneDir: string | null;
  dim: number;
}

/**
 * The LocVTP a run starts from: the parent's (same featurizer), or a fresh clip head over the
 * corpus's featurizer with the parent's text tower; `weightsDir`: a checkpoint's weights instead.
 */
export async function locvtpStart(
  parentDir: string,
  corpus: Corpus,
  featurizer: CorpusFeaturizer,
  seed: number,
  weightsDir?: string,
): Promise<{ model: LocVtpModel; fresh: boolean }> {
  const dir = path.join(parentDir, "locvtp");
  const parent = await loadLocVtp(dir, featurizer.backboneDir ? { backboneDir: featurizer.backboneDir } : {});
  const same = encoderFeaturizer(parent.model.cfg.clip) === featurizer.id;
  let model: LocVtpModel;
  if (same) {
    // a copy: the loaders' instance is shared with search and must not change
    model = new LocVtpModel(parent.model.cfg, 0);
    if (ParamStore.exists(dir)) model.ps.loadFrom(dir);
    model.featMean = parent.model.featMean.slice();
    model.featStd = parent.model.featStd.slice();
    model.slotMean = parent.model.slotMean.slice();
    model.slotStd = parent.model.slotStd.slice();
  } else {
    const cfg: LocVtpConfig = { ...defaultLocVtpConfig(featurizer.backboneDir), text: parent.model.cfg.text };
    cfg.clip = {
      ...cfg.clip,
      frameDim: featurizer.dim,
      ...(featurizer.backboneDir ? { backboneId: featurizer.id } : {}),
    };
    model = new LocVtpModel(cfg, seed);
    if (ParamStore.exists(dir)) copyMatching(dir, model.ps, (name) => !name.startsWith("clip/"));
    if (cfg.clip.kind === "lowlevel-slots") {
      const s = slotFeatureStats(corpus, cfg);
      model.slotMean = s.mean;
      model.slotStd = s.std;
    } else {
      const s = featureStats(corpus, cfg.clip.frameDim);
      model.featMean = s.mean;
      model.featStd = s.std;
    }
  }
  if (weightsDir) model.ps.loadFrom(weightsDir);
  return { model, fresh: !same };
}

/** Copies the weights saved in `dir` whose name passes `keep` and whose shape matches. */
function copyMatching(dir: string, into: ParamStore, keep: (name: string) => boolean): void {
  const saved = new ParamStore(0);
  saved.loadFrom(dir);
  for (const [name, v] of saved.vars) {
    const to = into.vars.get(name);
    if (keep(name) && to && to.shape.join() === v.shape.join())
      into.assign(name, v.shape, v.dataSync() as Float32Array);
  }
  saved.dispose();
}

export interface LocVtpTrainer {
  optimizer: tf.Optimizer;
  rng: Rng;
  readonly step: number;
  next(): { step: number; total: number };
}

/** One LocVTP step per `next()`, from `from` (a checkpoint's step and RNG state) or the start. */
export function locvtpTrainer(
  model: LocVtpModel,
  corpus: Corpus,
  o: LocVtpFinetuneSettings & { fresh: boolean },
  from?: { step: number; rngState: number },
): LocVtpTrainer & { videoIds: string[] } {
  const rng = from ? Rng.fromState(from.rngState) : new Rng(o.seed * 7919 + 11);
  const optimizer = tf.train.adam(o.fresh ? o.freshLr : o.lr);
  const vars = model.ps.list();
  const videoIds = corpus.videos.filter((v) => (corpus.sentences.get(v.id)?.length ?? 0) > 0).map((v) => v.id);
  let step = from?.step ?? 0;
  return {
    optimizer,
    rng,
    videoIds,
    get step() {
      return step;
    },
    next() {
      step += 1;
      // each step's videos drawn from the RNG alone: a run resumed from its state draws alike
      const ids = rng.shuffle([...videoIds]).slice(0, Math.min(o.batch, videoIds.length));
      const batch = makeLocVtpBatch(model, corpus, ids, o.clipsPerVideo, rng);
      const cost = optimizer.minimize(() => locvtpLoss(model, batch, LOCVTP_HPARAMS).total, true, vars);
      const total = cost!.dataSync()[0];
      cost!.dispose();
      batch.clips.dispose();
      return { step, total };
    },
  };
}
