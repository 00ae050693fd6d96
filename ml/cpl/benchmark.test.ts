import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { initBackend } from "../index";
import { evaluateOnFeatures, loadFeatureCorpus, trainOnFeatures } from "./benchmark";

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-feats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function npy(file: string, rows: number, dim: number, seed: number): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  header += " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
  const head = Buffer.alloc(10);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  const data = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(seed * 7.1 + i * 0.37));
  writeFileSync(file, Buffer.concat([head, Buffer.from(header, "latin1"), Buffer.from(data.buffer)]));
}

describe("CPL on pre-computed benchmark features", () => {
  it("trains on Charades-STA text + .npy I3D-style features and reports R@n/mIoU on the test file", async () => {
    await initBackend();
    const feats = path.join(dir, "i3d");
    mkdirSync(feats);
    const ids = ["AAAA1", "BBBB2", "CCCC3", "DDDD4"];
    ids.forEach((id, i) => npy(path.join(feats, `${id}.npy`), 20 + i * 5, 16, i));
    writeFileSync(
      path.join(dir, "train.txt"),
      ids
        .slice(0, 3)
        .map((id, i) => `${id} ${i + 1}.0 ${i + 6}.5##person opens the door.\n${id} 0.0 3.0##person sits down.`)
        .join("\n") + "\n",
    );
    writeFileSync(
      path.join(dir, "test.txt"),
      `DDDD4 2.0 9.0##person opens the door.\nMISSING 1 2##no features for me.\n`,
    );
    writeFileSync(
      path.join(dir, "durations.csv"),
      `id,subject,length\nAAAA1,x,20\nBBBB2,x,25\nCCCC3,x,30\nDDDD4,x,35\n`,
    );
    const train = await loadFeatureCorpus({
      format: "charades",
      annotations: path.join(dir, "train.txt"),
      features: feats,
      durations: path.join(dir, "durations.csv"),
    });
    expect(train.dim).toBe(16);
    expect(train.corpus.queries).toHaveLength(6);
    expect(train.corpus.byId.get("BBBB2")!.duration).toBe(25);
    const test = await loadFeatureCorpus({
      format: "charades",
      annotations: path.join(dir, "test.txt"),
      features: feats,
    });
    expect(test.missing).toEqual(["MISSING"]);
    const model = trainOnFeatures(train, {
      seed: 1,
      epochs: 1,
      steps: 2,
      batch: 4,
      lr: 4e-4,
      variant: "cpl",
      quiet: true,
      K: 4,
    });
    expect(model.cfg.inDim).toBe(16);
    const r = evaluateOnFeatures(model, test);
    expect(r.queries).toBe(1);
    expect(Object.keys(r.cpl_vote).sort()).toEqual(
      ["R1@0.3", "R1@0.5", "R1@0.7", "R5@0.3", "R5@0.5", "R5@0.7", "mIoU"].sort(),
    );
    expect(r.cpl.mIoU).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it("reads ActivityNet Captions JSON with C3D features in HDF5 groups", async () => {
    const h5wasm = (await import("h5wasm/node")).default;
    await h5wasm.ready;
    const h5 = path.join(dir, "c3d.hdf5");
    const f = new h5wasm.File(h5, "w");
    f.create_group("v_abc").create_dataset({
      name: "c3d_features",
      data: new Float32Array(12 * 8).fill(0.5),
      shape: [12, 8],
    });
    f.close();
    writeFileSync(
      path.join(dir, "anet.json"),
      JSON.stringify({
        v_abc: {
          duration: 60,
          timestamps: [
            [3, 20],
            [30, 55],
          ],
          sentences: ["A man rides a bike.", "He falls."],
        },
      }),
    );
    const c = await loadFeatureCorpus({
      format: "activitynet",
      annotations: path.join(dir, "anet.json"),
      features: h5,
    });
    expect(c.dim).toBe(8);
    expect(c.corpus.byId.get("v_abc")!.duration).toBe(60);
    expect(c.corpus.queries).toHaveLength(2);
  });
});
