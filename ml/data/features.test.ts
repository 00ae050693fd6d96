import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openFeatureSource } from "./features";

const dir = mkdtempSync(path.join(os.tmpdir(), "features-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A version-1.0 .npy file, written byte by byte as numpy.save does. */
function writeNpy(file: string, data: Float32Array, shape: number[]): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const head = Buffer.alloc(10);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  writeFileSync(file, Buffer.concat([head, Buffer.from(header, "latin1"), Buffer.from(data.buffer)]));
}

describe("pre-computed features", () => {
  it("reads a folder of per-video .npy files as [T, D] rows", async () => {
    const npyDir = path.join(dir, "npy");
    mkdirSync(npyDir);
    writeNpy(path.join(npyDir, "3MSZA.npy"), Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    const src = await openFeatureSource(npyDir);
    const f = await src.get("3MSZA");
    expect(f!.dim).toBe(2);
    expect(f!.rows.map((r) => Array.from(r))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(await src.get("missing")).toBeNull();
  });

  it("reads Charades-style (dataset per id) and ActivityNet-style (group/c3d_features) HDF5", async () => {
    const h5wasm = (await import("h5wasm/node")).default;
    await h5wasm.ready;
    const file = path.join(dir, "feats.hdf5");
    const w = new h5wasm.File(file, "w");
    w.create_dataset({ name: "AO8RW", data: Float32Array.from([0.5, 1.5, 2.5, 3.5]), shape: [2, 2] });
    const g = w.create_group("v_QOlSCBRmfWY");
    g.create_dataset({ name: "c3d_features", data: Float32Array.from([1, 0, 0, 0, 1, 0]), shape: [2, 3] });
    w.close();
    const src = await openFeatureSource(file);
    expect((await src.get("AO8RW"))!.rows.map((r) => Array.from(r))).toEqual([
      [0.5, 1.5],
      [2.5, 3.5],
    ]);
    const anet = await src.get("v_QOlSCBRmfWY");
    expect(anet!.dim).toBe(3);
    expect(anet!.rows).toHaveLength(2);
    expect(await src.get("nope")).toBeNull();
    src.close();
  });

  it("refuses files that are neither .npy folders nor HDF5, naming them", async () => {
    const txt = path.join(dir, "x.txt");
    writeFileSync(txt, "hi");
    await expect(openFeatureSource(txt)).rejects.toThrow(/x\.txt: expected a folder of \.npy files or an \.h5/);
  });
});
