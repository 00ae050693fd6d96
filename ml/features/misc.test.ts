import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { logSumExpRows } from "../core/nn";
import { candidateOrder, explainChoice, initBackend } from "../core/backend";
import { encodeText, wordBuckets, words } from "../core/tokenizer";
import { FRAME_FEATURE_DIM, GRID_H, GRID_W, classifyPixel, frameFeatures } from "../features/lowlevel";
import { EMBEDDING_DIM } from "../config";
import { resampleClips } from "../core/resample";

describe("backend", () => {
  it("falls back cleanly and is memoised", async () => {
    const a = await initBackend();
    const b = await initBackend();
    expect(a).toBe(b);
    expect(["tensorflow", "wasm", "cpu"]).toContain(a.name);
    expect(a.tried.at(-1)!.ok).toBe(true);
    for (const t of a.tried.slice(0, -1)) expect(t.reason).toBeTruthy();
    expect(a.candidate).toBe(a.tried.at(-1)!.name);
    expect(a.why).toContain(a.candidate);
  });
  it("says why a backend was chosen: the override, or what was skipped before it", () => {
    expect(explainChoice("tfjs-node-gpu", [{ name: "tfjs-node-gpu", ok: true }])).toBe(
      "the order is tfjs-node-gpu → tfjs-node → wasm → cpu; tfjs-node-gpu is the first candidate and it initialised",
    );
    const tried = [
      {
        name: "tfjs-node-gpu",
        ok: false,
        reason: "Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/ml/core/backend.ts",
      },
      { name: "tfjs-node", ok: false, reason: "libtensorflow.so.2: cannot open shared object file" },
      { name: "wasm", ok: true },
    ];
    expect(explainChoice("wasm", tried)).toBe(
      "the order is tfjs-node-gpu → tfjs-node → wasm → cpu; wasm is the first that initialised (skipped " +
        "tfjs-node-gpu: Cannot find package '@tensorflow/tfjs-node-gpu'; " +
        "tfjs-node: libtensorflow.so.2: cannot open shared object file)",
    );
    expect(explainChoice("wasm", [{ name: "wasm", ok: true }], "wasm")).toBe(
      "TFJS_BACKEND=wasm put wasm first; wasm is the first candidate and it initialised",
    );
  });
  it("TFJS_BACKEND puts the override first and keeps the rest as fallbacks", () => {
    expect(candidateOrder("cpu")).toEqual(["cpu", "tfjs-node-gpu", "tfjs-node", "wasm"]);
    expect(candidateOrder("bogus")).toEqual(["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]);
    expect(candidateOrder(undefined)[0]).toBe("tfjs-node-gpu");
    expect(EMBEDDING_DIM).toBe(128);
  });
});

describe("backend kernels", () => {
  it("transposed matmuls (what every matmul gradient uses) equal explicit transposes, 2-D and batched", async () => {
    await initBackend();
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]); // [3,2]
    const b = tf.tensor2d([
      [1, 0, 2],
      [0, 1, 3],
    ]); // [2,3]
    // aᵀ·bᵀ = [[1·1+3·0+5·2, 1·0+3·1+5·3], [2·1+4·0+6·2, 2·0+4·1+6·3]]
    expect(tf.matMul(a, b, true, true).arraySync()).toEqual([
      [11, 18],
      [14, 22],
    ]);
    expect(tf.matMul(a, a, true, false).arraySync()).toEqual([
      [35, 44],
      [44, 56],
    ]);
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    ]);
    const y = tf.tensor3d([
      [
        [1, 1],
        [0, 2],
      ],
      [
        [2, 3],
        [4, 5],
      ],
    ]);
    // batch 1: [[1,2],[3,4]]·[[1,0],[1,2]] ; batch 2: [[0,1],[1,0]]·[[2,4],[3,5]]
    expect(tf.matMul(x, y, false, true).arraySync()).toEqual([
      [
        [3, 4],
        [7, 8],
      ],
      [
        [3, 5],
        [2, 4],
      ],
    ]);
    const before = tf.memory().numTensors;
    tf.matMul(a, b, true, true).dispose();
    expect(tf.memory().numTensors).toBe(before); // the temporary transposes are freed
  });
  it("logSumExpRows: value and softmax gradient, stable with -1e9 padding", () => {
    const x = tf.tensor2d([
      [0, Math.log(3)],
      [-1e9, 2],
    ]);
    const v = logSumExpRows(x).arraySync() as number[];
    expect(v[0]).toBeCloseTo(Math.log(4), 5); // log(1 + 3)
    expect(v[1]).toBeCloseTo(2, 5);
    const g = tf
      .grad((y: tf.Tensor) => tf.sum(tf.mul(logSumExpRows(y), tf.tensor1d([1, 2]))))(x)
      .arraySync() as number[][];
    expect(g[0][0]).toBeCloseTo(0.25, 5);
    expect(g[0][1]).toBeCloseTo(0.75, 5);
    expect(g[1][0]).toBeCloseTo(0, 6);
    expect(g[1][1]).toBeCloseTo(2, 5);
  });
});

describe("tokenizer", () => {
  it("never crashes on unseen words and is deterministic", () => {
    expect(words("The RED circle, zooms-left!")).toEqual(["the", "red", "circle", "zooms", "left"]);
    expect(wordBuckets("qwxzzy", 4096)).toEqual(wordBuckets("qwxzzy", 4096));
    const e = encodeText("", 16, 4096);
    expect(e.mask[0]).toBe(1);
    const e2 = encodeText("a b c d e f g h i j k l m n o p q r s t", 16, 4096);
    expect(e2.words.length).toBe(16);
    for (const id of e2.ids) expect(id).toBeLessThan(4095);
  });
});

describe("low-level frame features", () => {
  it("classifies the Shapes palette", () => {
    expect(classifyPixel(222, 38, 38, 12, 12, 12)).toBe(0);
    expect(classifyPixel(40, 200, 64, 14, 72, 30)).toBe(1);
    expect(classifyPixel(48, 96, 240, 18, 24, 92)).toBe(2);
    expect(classifyPixel(242, 218, 36, 112, 112, 112)).toBe(3);
    expect(classifyPixel(245, 245, 245, 112, 112, 112)).toBe(4);
    expect(classifyPixel(112, 112, 112, 112, 112, 112)).toBe(-1);
  });
  it("finds a red square: grid occupancy, centroid and fill ratio", () => {
    const W = 32;
    const H = 24;
    const rgb = new Uint8Array(W * H * 3);
    for (let p = 0; p < W * H; p++) rgb.set([112, 112, 112], p * 3);
    for (let y = 4; y < 12; y++) for (let x = 4; x < 12; x++) rgb.set([222, 38, 38], (y * W + x) * 3);
    const out = new Float32Array(FRAME_FEATURE_DIM);
    frameFeatures(rgb, 0, W, H, out, 0);
    expect(out[3 + 1]).toBeGreaterThan(0.9); // gray background
    const grid = out.slice(7, 7 + GRID_W * GRID_H);
    expect(grid[1 * GRID_W + 1]).toBeCloseTo(1, 5); // cell (1,1) fully red
    const comp = 7 + GRID_W * GRID_H;
    expect(out[comp]).toBe(1); // present
    expect(out[comp + 2]).toBeCloseTo(7.5 / W, 5); // cx
    expect(out[comp + 6]).toBeCloseTo(1, 5); // fill of an axis-aligned square
    // radial fill: 64 px / π(farthest pixel centre from the centroid √(3.5² + 3.5²) + ½)² = 0.6456
    expect(out[comp + 7]).toBeCloseTo(64 / (Math.PI * (Math.hypot(3.5, 3.5) + 0.5) ** 2), 4);
  });
  it("radial fill names a rendered shape at any angle, where the fill ratio cannot", async () => {
    const { renderFrame } = await import("../data/shapes/render");
    const W = 96;
    const H = 72;
    const look = {
      noise: 0,
      blur: 1,
      shake: 0,
      shakeHz: [1, 2] as [number, number],
      shakePhase: [0, 0, 0, 0] as [number, number, number, number],
    };
    const read = (shape: "circle" | "square" | "triangle", size: number, angle: number) => {
      const sc = {
        seed: 1,
        duration: 1,
        fps: 4,
        width: W,
        height: H,
        background: "black" as const,
        look,
        objects: [{ id: 0, shape, colour: "white" as const, x: 0.5, y: 0.5, size, angle }],
        events: [],
      };
      const out = new Float32Array(FRAME_FEATURE_DIM);
      frameFeatures(renderFrame(sc, 0, W, H, undefined, { noise: false, shake: false }), 0, W, H, out, 0);
      const comp = 7 + 4 * (GRID_W * GRID_H + 17) + GRID_W * GRID_H; // white's first component
      return { fill: out[comp + 6], radial: out[comp + 7] };
    };
    const angles = [0, 0.2, 0.5, 0.785, 1.2];
    for (const size of [0.06, 0.1, 0.16]) {
      const circle = angles.map((a) => read("circle", size, a));
      const square = angles.map((a) => read("square", size, a));
      const triangle = angles.map((a) => read("triangle", size, a));
      for (const c of circle) expect(c.radial).toBeGreaterThan(0.85);
      for (const s of square) (expect(s.radial).toBeGreaterThan(0.55), expect(s.radial).toBeLessThan(0.8));
      for (const t of triangle) expect(t.radial).toBeLessThan(0.52);
    }
    // the fill ratio of a square turned by 0.2 rad is a circle's, and by 0.5 rad a triangle's
    expect(Math.abs(read("square", 0.1, 0.2).fill - read("circle", 0.1, 0).fill)).toBeLessThan(0.03);
    expect(Math.abs(read("square", 0.1, 0.5).fill - read("triangle", 0.1, 0).fill)).toBeLessThan(0.06);
  });
});

describe("clip resampling", () => {
  it("keeps relative time and interpolates", () => {
    const clips = [Float32Array.from([0]), Float32Array.from([1])];
    expect(Array.from(resampleClips(clips, 4, 1))).toEqual(
      [0, 0, 1, 1].map((_, j) => Math.min(Math.max(((j + 0.5) / 4) * 2 - 0.5, 0), 1)),
    );
  });
});

describe("mergeCorpora", () => {
  it("keeps videos of two renderings with the same ids apart, with their own sentences", async () => {
    const { mergeCorpora } = await import("../data/corpus");
    const mk = (dir: string, s: string) => {
      const v = { id: "v001", nClips: 2, duration: 2, feats: new Float32Array(0) };
      return {
        dir,
        videos: [v],
        byId: new Map([[v.id, v]]),
        queries: [{ video: "v001", query: s }],
        sentences: new Map([["v001", [s]]]),
      } as unknown as import("../data/corpus").Corpus;
    };
    const m = mergeCorpora([mk("a", "a red circle appears"), mk("b", "the blue box grows")]);
    expect(m.videos.map((v) => v.id)).toEqual(["0:v001", "1:v001"]);
    expect(m.sentences.get("1:v001")).toEqual(["the blue box grows"]);
    expect(m.queries.map((q) => q.video)).toEqual(["0:v001", "1:v001"]);
    expect(m.byId.get("0:v001")!.nClips).toBe(2);
  });
});
