/**
 * Which per-frame featurizer a set of features, or a model, belongs to: the built-in low-level
 * stage (`lowlevel-ll3`: its version, since another version reads different positions) or a
 * pre-trained frame backbone (`backbone-<hash>`: a hash of its model.json and weight files, so
 * the same backbone in another folder is the same, and a folder whose files were replaced is
 * not). Features and trained clip encoders of two featurizers are never mixed: the training
 * feature cache is keyed by it, a LocVTP trained on a backbone records it in its manifest, and
 * a model version trained on another featurizer than the configured one is not activated.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { LOWLEVEL_VERSION } from "../config";
import { ParamStore } from "../core/params";
import type { ClipEncoderConfig, LocVtpConfig } from "../locvtp/config";

/** The built-in low-level stage's identity. */
export const LOWLEVEL_FEATURIZER = `lowlevel-${LOWLEVEL_VERSION}`;

const ids = new Map<string, { stamp: string; id: string }>();

/** The identity of the tfjs backbone in `dir` (model.json + weight shards); throws when the folder has none. */
export function backboneId(dir: string): string {
  const modelJson = path.join(path.resolve(dir), "model.json");
  let text: string;
  try {
    text = readFileSync(modelJson, "utf8");
  } catch {
    throw new Error(`the frame backbone folder ${dir} has no model.json (LOCVTP_BACKBONE_DIR)`);
  }
  const mj = JSON.parse(text) as { weightsManifest?: { paths: string[] }[] };
  const files = [modelJson, ...(mj.weightsManifest ?? []).flatMap((g) => g.paths.map((p) => path.join(dir, p)))];
  // hashing a big backbone takes a while: once per process unless its files change
  const stamp = files.map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`).join("|");
  const known = ids.get(modelJson);
  if (known?.stamp === stamp) return known.id;
  const h = createHash("sha1");
  for (const f of files) h.update(readFileSync(f));
  const id = `backbone-${h.digest("hex").slice(0, 12)}`;
  ids.set(modelJson, { stamp, id });
  return id;
}

/** The featurizer this process is configured with (lib/config.ts: LOCVTP_BACKBONE_DIR, or none). */
export function configuredFeaturizer(backboneDir: string | null | undefined): string {
  return backboneDir ? backboneId(backboneDir) : LOWLEVEL_FEATURIZER;
}

/**
 * The featurizer a clip encoder reads: the low-level stage, or its backbone (by the identity
 * recorded at training; an older manifest without one, by its folder's current files).
 */
export function encoderFeaturizer(c: ClipEncoderConfig): string {
  if (c.kind !== "backbone") return LOWLEVEL_FEATURIZER;
  if (c.backboneId) return c.backboneId;
  if (!c.backboneDir) throw new Error("a backbone clip encoder without its backbone's folder");
  return backboneId(c.backboneDir);
}

/**
 * The featurizer a models folder's clip encoder was trained on (its locvtp/manifest.json);
 * a folder without trained LocVTP weights uses the configured one (its untrained encoder does).
 */
export function modelsFeaturizer(modelsDir: string, backboneDir: string | null | undefined): string {
  const dir = path.join(modelsDir, "locvtp");
  if (!ParamStore.exists(dir)) return configuredFeaturizer(backboneDir);
  return encoderFeaturizer(ParamStore.readManifest<LocVtpConfig>(dir).config.clip);
}

/** How messages name a featurizer. */
export function describeFeaturizer(id: string): string {
  return id.startsWith("backbone-") ? `the frame backbone ${id}` : `the built-in low-level stage (${id})`;
}
