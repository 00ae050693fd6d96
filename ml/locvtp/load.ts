/** LocVTP weights from a models folder, or the seeded untrained model when there are none. */
import { CLIP_SPEC, LOWLEVEL_VERSION } from "../config";
import { initBackend } from "../core/backend";
import { cachedLoader } from "../core/loader";
import { ParamStore } from "../core/params";
import { loadBackbone } from "../features/backbone";
import { backboneId } from "../features/featurizer";
import { FRAME_FEATURE_DIM } from "../features/lowlevel";
import type { ClipSpec } from "../types";
import { LOCVTP_UNTRAINED_VERSION, defaultLocVtpConfig, type LocVtpConfig } from "./config";
import { LocVtpModel } from "./model";

export interface LoadedLocVtp {
  model: LocVtpModel;
  version: string;
  spec: ClipSpec;
  trained: boolean;
}

/** What a LocVTP manifest carries besides its weights. */
interface LocVtpExtra {
  featMean: number[];
  featStd: number[];
  slotMean?: number[];
  slotStd?: number[];
  spec: ClipSpec;
}

export interface LocVtpLoadOptions {
  /** the untrained model's frame backbone (trained weights name theirs in their config) */
  backboneDir: string | null;
}

/** Load LocVTP weights from dir (or build the seeded untrained model if none are there); once per folder. */
export const loadLocVtp = cachedLoader<LoadedLocVtp, LocVtpLoadOptions>(async (dir, o) => {
  await initBackend();
  if (!ParamStore.exists(dir)) {
    const config = defaultLocVtpConfig(o.backboneDir);
    // an untrained head over a backbone reads the backbone's width, whatever it is
    if (o.backboneDir)
      config.clip = {
        ...config.clip,
        frameDim: (await loadBackbone(o.backboneDir)).dim,
        backboneId: backboneId(o.backboneDir),
      };
    return { model: new LocVtpModel(config, 0), version: LOCVTP_UNTRAINED_VERSION, spec: CLIP_SPEC, trained: false };
  }
  const man = ParamStore.readManifest<LocVtpConfig>(dir);
  const c = man.config.clip;
  // weights trained on another version of the fixed low-level vector would read wrong positions
  if (c.kind.startsWith("lowlevel") && c.frameDim !== FRAME_FEATURE_DIM)
    throw new Error(
      `${dir}: trained on ${c.frameDim}-value low-level frames, but this build computes ${FRAME_FEATURE_DIM} (${LOWLEVEL_VERSION}); retrain with npm run train`,
    );
  const model = new LocVtpModel(man.config, 0);
  model.ps.loadFrom(dir);
  const extra = man.extra as unknown as LocVtpExtra;
  model.featMean = Float32Array.from(extra.featMean);
  model.featStd = Float32Array.from(extra.featStd);
  if (extra.slotMean && extra.slotStd) {
    model.slotMean = Float32Array.from(extra.slotMean);
    model.slotStd = Float32Array.from(extra.slotStd);
  }
  return { model, version: man.version, spec: extra.spec ?? CLIP_SPEC, trained: true };
});
