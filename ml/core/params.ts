/**
 * A tiny named-variable store: deterministic seeded init (so an untrained model is the same
 * everywhere), and save/load as a JSON manifest + one little-endian float32 binary file.
 */
import * as tf from "@tensorflow/tfjs";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { Rng, hashString } from "./rng";

export type Init = "glorot" | "zeros" | "ones" | { normal: number } | { const: number } | { values: number[] };

export interface WeightEntry {
  name: string;
  shape: number[];
  offset: number;
}

export interface Manifest<C = unknown> {
  format: "momentsearch-weights-1";
  name: string;
  version: string;
  config: C;
  weights: WeightEntry[];
  /** anything else the model needs (input normalisation stats, vocabulary, …) */
  extra?: Record<string, unknown>;
}

function initValues(shape: number[], init: Init, rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  if (init === "zeros") return out;
  if (init === "ones") return out.fill(1);
  if (typeof init === "object" && "const" in init) return out.fill(init.const);
  if (typeof init === "object" && "values" in init) return out.map((_, i) => init.values[i % init.values.length]);
  let std: number;
  if (init === "glorot") {
    const fanIn = shape.length >= 2 ? shape[shape.length - 2] : shape[0];
    const fanOut = shape[shape.length - 1];
    std = Math.sqrt(2 / (fanIn + fanOut));
  } else std = init.normal;
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}

export class ParamStore {
  readonly vars = new Map<string, tf.Variable>();
  constructor(readonly seed: number) {}

  /** Create (or return) a variable. Its init depends only on (seed, name): order-independent. */
  get(name: string, shape: number[], init: Init = "glorot"): tf.Variable {
    const v = this.vars.get(name);
    if (v) return v;
    const rng = new Rng(hashString(name, this.seed >>> 0));
    const variable = tf.variable(
      tf.tensor(initValues(shape, init, rng), shape),
      true,
      `${name}_${this.seed}_${Math.random().toString(36).slice(2)}`,
    );
    this.vars.set(name, variable);
    return variable;
  }

  list(): tf.Variable[] {
    return [...this.vars.values()];
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }

  /** Overwrite values from a name → (shape, data) source; unknown names are an error. */
  assign(name: string, shape: number[], data: Float32Array): void {
    const v = this.vars.get(name);
    if (!v) {
      const variable = tf.variable(
        tf.tensor(data, shape),
        true,
        `${name}_${this.seed}_${Math.random().toString(36).slice(2)}`,
      );
      this.vars.set(name, variable);
      return;
    }
    if (v.shape.join() !== shape.join()) throw new Error(`weight ${name}: shape ${shape} != ${v.shape}`);
    v.assign(tf.tensor(data, shape));
  }

  save<C>(dir: string, meta: Omit<Manifest<C>, "format" | "weights">): void {
    mkdirSync(dir, { recursive: true });
    const weights: WeightEntry[] = [];
    const chunks: Float32Array[] = [];
    let offset = 0;
    for (const [name, v] of [...this.vars.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const data = v.dataSync() as Float32Array;
      weights.push({ name, shape: v.shape, offset });
      chunks.push(data);
      offset += data.length;
    }
    const all = new Float32Array(offset);
    let o = 0;
    for (const c of chunks) {
      all.set(c, o);
      o += c.length;
    }
    const manifest: Manifest<C> = { format: "momentsearch-weights-1", ...meta, weights };
    writeFileSync(path.join(dir, "weights.bin"), Buffer.from(all.buffer, all.byteOffset, all.byteLength));
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 1));
  }

  static exists(dir: string): boolean {
    return existsSync(path.join(dir, "manifest.json")) && existsSync(path.join(dir, "weights.bin"));
  }

  static readManifest<C>(dir: string): Manifest<C> {
    return JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest<C>;
  }

  /** Load every weight of a saved manifest into this store (creating missing variables). */
  loadFrom(dir: string): Manifest {
    const manifest = ParamStore.readManifest(dir);
    const buf = readFileSync(path.join(dir, "weights.bin"));
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    for (const w of manifest.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      this.assign(w.name, w.shape, all.slice(w.offset, w.offset + n));
    }
    return manifest;
  }
}
