/**
 * TEMPORARY stand-ins for the model registry's helpers (lib/models/versions.ts,
 * lib/models/activation.ts on branch `registry`) until that branch lands: the same names and
 * semantics, minimal. Replace the imports in lib/training/job.ts and delete this file then.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config";
import type { Context } from "../context";

const SHIPPED_VERSION = 1;
const PREPARED_MARK = ".prepared";

export function versionDir(config: Pick<Config, "dataDir" | "ml">, version: number): string {
  return version === SHIPPED_VERSION ? config.ml.modelsDir : path.join(config.dataDir, "models", String(version));
}

export async function prepareVersionDir(
  config: Pick<Config, "dataDir" | "ml">,
  version: number,
  parent: number,
): Promise<string> {
  const dir = versionDir(config, version);
  if (existsSync(path.join(dir, PREPARED_MARK))) return dir;
  const from = versionDir(config, parent);
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await cp(from, staging, {
    recursive: true,
    filter: (src) => !/(^|[/\\])(\.prepared|checkpoints?)$/.test(path.relative(from, src)),
  });
  await writeFile(path.join(staging, PREPARED_MARK), `${JSON.stringify({ version, parent })}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return dir;
}

export async function removeVersionDir(config: Pick<Config, "dataDir" | "ml">, version: number): Promise<void> {
  if (version === SHIPPED_VERSION) return;
  await rm(versionDir(config, version), { recursive: true, force: true });
}

/** The registry's gate decides; until it lands, a trained version stays 'ready'. */
export async function activateIfNotWorse(
  ctx: Context,
  version: number,
): Promise<{ started: boolean; gate: { reason: string } }> {
  void ctx;
  return { started: false, gate: { reason: `no activation gate in this build yet: version ${version} stays ready` } };
}
