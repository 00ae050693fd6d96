/**
 * Optional pre-trained per-frame backbone (config switch: LOCVTP_BACKBONE_DIR=<folder with a
 * tfjs model.json + weight shards>). It replaces the fixed low-level stage: its input is
 * [nFrames, H, W, 3] float in [0, 1], its output [nFrames, F] (any F); the learned temporal
 * head of the clip encoder then runs on it. Loaded from local files only (no network).
 */
import * as tf from "@tensorflow/tfjs";
import { scoped } from "../core/nn";
import { readFileSync } from "node:fs";
import path from "node:path";
import { backboneId } from "./featurizer";

export type FrameFeaturizer = (rgb: Uint8Array, nFrames: number, width: number, height: number) => Float32Array;

interface ModelJson {
  format?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export interface LoadedBackbone {
  featurize: FrameFeaturizer;
  /** per-frame output width F */
  dim: number;
  /** ml/features/featurizer.ts backboneId */
  id: string;
}

const loaded = new Map<string, Promise<LoadedBackbone>>();

/** The backbone in `dir`, loaded once per process (again when its files change). */
export function loadBackbone(dir: string): Promise<LoadedBackbone> {
  const id = backboneId(dir);
  const key = `${path.resolve(dir)}\u0000${id}`;
  let p = loaded.get(key);
  if (!p) {
    p = readBackbone(dir, id);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

async function readBackbone(dir: string, id: string): Promise<LoadedBackbone> {
  const mj = JSON.parse(readFileSync(path.join(dir, "model.json"), "utf8")) as ModelJson;
  const specs = mj.weightsManifest.flatMap((g) => g.weights);
  const bufs = mj.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(dir, p))));
  const all = Buffer.concat(bufs);
  const handler = tf.io.fromMemory({
    modelTopology: mj.modelTopology,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  });
  const isGraph = mj.format === "graph-model";
  const model = isGraph ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  const run = (x: tf.Tensor) => (model.predict(x) as tf.Tensor).reshape([x.shape[0], -1]);
  const featurize: FrameFeaturizer = (rgb, n, w, h) =>
    // scoped, not tf.tidy: tidy walks a returned typed array element by element
    scoped(
      () =>
        run(
          tf.div(tf.tensor4d(rgb.subarray(0, n * w * h * 3), [n, h, w, 3], "int32").toFloat(), 255),
        ).dataSync() as Float32Array,
    ).slice();
  const probe = featurize(new Uint8Array(64 * 48 * 3), 1, 64, 48);
  return { featurize, dim: probe.length, id };
}
