/**
 * Where each model version's weights live. Version 1 is the shipped `models/` folder
 * (MODELS_DIR); version N ≥ 2 is `DATA_DIR/models/<N>/`, with the same layout (locvtp/,
 * relevance/, cpl/, baselines/, calibration/), so every version folder loads on its own with
 * ml/'s loaders. A new version starts as a copy of its parent; training then overwrites the
 * components it retrains.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { SUPERVISED_SCORER_DIR } from "@/ml/config";
import type { Config } from "../config";

/** The shipped models' version. */
export const SHIPPED_VERSION = 1;

/** Written last into a prepared folder: without it the folder is a half-finished copy. */
const PREPARED_MARK = ".prepared";

/** Where trained versions live (each in a numbered folder). */
export function versionsRoot(config: Pick<Config, "dataDir">): string {
  return path.join(config.dataDir, "models");
}

/** The folder of `version`'s models. */
export function versionDir(config: Pick<Config, "dataDir" | "ml">, version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new Error(`not a model version: ${version}`);
  return version === SHIPPED_VERSION ? config.ml.modelsDir : path.join(versionsRoot(config), String(version));
}

/**
 * Creates `version`'s folder as a copy of `parent`'s (every component; training overwrites the
 * ones it retrains) and returns it. The copy is made beside it and renamed into place, so a
 * crash leaves no half-copied folder; a folder already prepared (a resumed training run, whose
 * checkpoints may be in it) is kept as it is.
 */
export async function prepareVersionDir(
  config: Pick<Config, "dataDir" | "ml">,
  version: number,
  parent: number,
): Promise<string> {
  if (version === SHIPPED_VERSION) throw new Error("version 1 is the shipped models; it is never written");
  const dir = versionDir(config, version);
  if (existsSync(path.join(dir, PREPARED_MARK))) return dir;
  const from = versionDir(config, parent);
  if (!existsSync(from)) throw new Error(`the models of version ${parent} are missing (${from})`);
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await cp(from, staging, {
    recursive: true,
    // the parent's own bookkeeping (its mark, checkpoints) is not part of its models, nor is the
    // evaluation-only upper bound (no version serves it, and training never retrains it)
    filter: (src) => {
      const rel = path.relative(from, src);
      return !/(^|[/\\])(\.prepared|checkpoints?)$/.test(rel) && rel !== SUPERVISED_SCORER_DIR;
    },
  });
  await writeFile(path.join(staging, PREPARED_MARK), `${JSON.stringify({ version, parent })}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return dir;
}

/** Whether `version`'s folder exists and is complete (version 1: the shipped folder exists). */
export function versionDirExists(config: Pick<Config, "dataDir" | "ml">, version: number): boolean {
  const dir = versionDir(config, version);
  return version === SHIPPED_VERSION ? existsSync(dir) : existsSync(path.join(dir, PREPARED_MARK));
}

/** Removes a trained version's folder (never version 1's). */
export async function removeVersionDir(config: Pick<Config, "dataDir" | "ml">, version: number): Promise<void> {
  if (version === SHIPPED_VERSION) return;
  await rm(versionDir(config, version), { recursive: true, force: true });
}

/** The numbered version folders present under DATA_DIR/models (backups copy them). */
export async function storedVersions(config: Pick<Config, "dataDir">): Promise<number[]> {
  const root = versionsRoot(config);
  if (!existsSync(root)) return [];
  return (await readdir(root)).filter((n) => /^\d+$/.test(n)).map(Number);
}
