/**
 * Pre-computed clip features as the grounding literature distributes them, so a user
 * with Charades-STA (I3D) or ActivityNet Captions (C3D) can train and evaluate CPL in
 * the paper's setting without videos:
 * - a folder of `<video_id>.npy` files, each [T, D] float32/float64 (npyjs reads them);
 * - one HDF5 file keyed by video id, each entry either a [T, D] dataset (Charades I3D)
 *   or a group holding one (ActivityNet's `<id>/c3d_features`) (h5wasm reads them).
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseNpy } from "npyjs";

export interface FeatureSequence {
  /** one row per feature step, in time order */
  rows: Float32Array[];
  dim: number;
}

export interface FeatureSource {
  /** features of one video, or null when the source has none for it */
  get(videoId: string): Promise<FeatureSequence | null>;
  close(): void;
}

function toRows(data: ArrayLike<number>, shape: number[], where: string): FeatureSequence {
  if (shape.length === 1) shape = [1, shape[0]];
  if (shape.length !== 2) throw new Error(`${where}: expected a [T, D] array, got shape [${shape.join(", ")}]`);
  const [t, d] = shape;
  const rows: Float32Array[] = [];
  for (let i = 0; i < t; i++) rows.push(Float32Array.from({ length: d }, (_, j) => Number(data[i * d + j])));
  return { rows, dim: d };
}

export async function openFeatureSource(location: string): Promise<FeatureSource> {
  if (!existsSync(location)) throw new Error(`features not found: ${location}`);
  if (statSync(location).isDirectory()) {
    return {
      async get(videoId) {
        const file = path.join(location, `${videoId}.npy`);
        if (!existsSync(file)) return null;
        const buf = await readFile(file);
        const arr = parseNpy(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
        if (arr.fortranOrder)
          throw new Error(`${file}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`);
        return toRows(arr.data as unknown as ArrayLike<number>, arr.shape, file);
      },
      close() {},
    };
  }
  if (!/\.(h5|hdf5)$/i.test(location))
    throw new Error(`${location}: expected a folder of .npy files or an .h5/.hdf5 file`);
  const h5wasm = (await import("h5wasm/node")).default;
  await h5wasm.ready;
  const file = new h5wasm.File(location, "r");
  return {
    async get(videoId) {
      let entry = file.get(videoId);
      if (!entry) return null;
      if (entry instanceof h5wasm.Group) {
        const first = entry
          .keys()
          .map((k) => (entry as InstanceType<typeof h5wasm.Group>).get(k))
          .find((e) => e instanceof h5wasm.Dataset);
        if (!first) throw new Error(`${location}:/${videoId} holds no dataset`);
        entry = first;
      }
      if (!(entry instanceof h5wasm.Dataset)) throw new Error(`${location}:/${videoId} is not a dataset`);
      return toRows(entry.value as ArrayLike<number>, entry.shape ?? [], `${location}:/${videoId}`);
    },
    close() {
      file.close();
    },
  };
}
