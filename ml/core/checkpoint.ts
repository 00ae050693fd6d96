/**
 * Training checkpoints a run resumes from where it stopped: the weights of its models
 * (ParamStore), the Adam moments and step count of its optimizers, and a JSON state the trainer
 * defines (its step, its RNG state, …). Each checkpoint goes to a fresh folder that
 * `latest.json` then names (written aside and renamed into place), so a crash while writing
 * leaves the previous checkpoint whole; older folders are removed afterwards.
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ParamStore } from "./params";

const LATEST = "latest.json";

interface Latest<S> {
  format: "momentsearch-checkpoint-1";
  folder: string;
  models: string[];
  optimizers: string[];
  state: S;
}

interface OptimizerFile {
  iterations: number;
  weights: { name: string; shape: number[]; offset: number }[];
}

export interface CheckpointParts<S> {
  /** name → weights (saved as a models folder each: manifest.json + weights.bin) */
  models: Record<string, { ps: ParamStore; config: unknown; extra?: Record<string, unknown> }>;
  /** name → optimizer whose moments and step count are kept */
  optimizers: Record<string, tf.Optimizer>;
  state: S;
}

export interface LoadedCheckpoint<S> {
  state: S;
  /** the folder a model's weights were saved in (ParamStore.loadFrom reads it) */
  modelDir(name: string): string;
  /** sets an optimizer (built alike: same type, same variables in the same order) to the saved moments */
  restoreOptimizer(name: string, opt: tf.Optimizer): Promise<void>;
}

/** Writes a checkpoint under `dir` (kept: this one only). */
export async function saveCheckpoint<S>(dir: string, parts: CheckpointParts<S>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const folder = `ckpt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const at = path.join(dir, folder);
  mkdirSync(at);
  for (const [name, m] of Object.entries(parts.models))
    m.ps.save(path.join(at, name), { name, version: `checkpoint-${name}`, config: m.config, extra: m.extra });
  for (const [name, opt] of Object.entries(parts.optimizers)) await saveOptimizer(opt, path.join(at, `${name}.adam`));
  const latest: Latest<S> = {
    format: "momentsearch-checkpoint-1",
    folder,
    models: Object.keys(parts.models),
    optimizers: Object.keys(parts.optimizers),
    state: parts.state,
  };
  writeFileSync(path.join(dir, `${LATEST}.tmp`), JSON.stringify(latest));
  renameSync(path.join(dir, `${LATEST}.tmp`), path.join(dir, LATEST));
  for (const f of readdirSync(dir))
    if (f.startsWith("ckpt-") && f !== folder) rmSync(path.join(dir, f), { recursive: true, force: true });
}

/** The checkpoint under `dir`, or null when there is none. */
export function loadCheckpoint<S>(dir: string): LoadedCheckpoint<S> | null {
  const file = path.join(dir, LATEST);
  if (!existsSync(file)) return null;
  const latest = JSON.parse(readFileSync(file, "utf8")) as Latest<S>;
  const at = path.join(dir, latest.folder);
  return {
    state: latest.state,
    modelDir(name) {
      if (!latest.models.includes(name)) throw new Error(`the checkpoint in ${dir} has no model "${name}"`);
      return path.join(at, name);
    },
    async restoreOptimizer(name, opt) {
      if (!latest.optimizers.includes(name)) throw new Error(`the checkpoint in ${dir} has no optimizer "${name}"`);
      await restoreOptimizer(opt, path.join(at, `${name}.adam`));
    },
  };
}

async function saveOptimizer(opt: tf.Optimizer, base: string): Promise<void> {
  const named = await opt.getWeights();
  const [iter, ...moments] = named;
  const weights: OptimizerFile["weights"] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const w of moments) {
    const data = (await w.tensor.data()) as Float32Array;
    weights.push({ name: w.name, shape: w.tensor.shape, offset });
    chunks.push(data);
    offset += data.length;
  }
  const all = new Float32Array(offset);
  chunks.reduce((o, c) => (all.set(c, o), o + c.length), 0);
  const meta: OptimizerFile = { iterations: (await iter.tensor.data())[0], weights };
  writeFileSync(`${base}.bin`, Buffer.from(all.buffer, all.byteOffset, all.byteLength));
  writeFileSync(`${base}.json`, JSON.stringify(meta));
}

async function restoreOptimizer(opt: tf.Optimizer, base: string): Promise<void> {
  const meta = JSON.parse(readFileSync(`${base}.json`, "utf8")) as OptimizerFile;
  const buf = readFileSync(`${base}.bin`);
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const named: Parameters<tf.Optimizer["setWeights"]>[0] = [
    { name: "iter", tensor: tf.scalar(meta.iterations, "int32") },
  ];
  for (const w of meta.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    named.push({ name: w.name, tensor: tf.tensor(all.slice(w.offset, w.offset + n), w.shape) });
  }
  await opt.setWeights(named);
  for (const t of named) t.tensor.dispose();
}
