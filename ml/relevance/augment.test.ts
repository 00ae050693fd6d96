import { describe, expect, it, beforeAll } from "vitest";
import { initBackend } from "../core/backend";
import { SMALL, batch } from "./test-fixtures";
import { RelevanceModel } from "./model";
import {
  augmentFromRecipe,
  flipSentence,
  flipSlots,
  permuteColours,
  permuteSlots,
  presentColours,
  reverseSentence,
  reverseSlots,
} from "./augment";
import { relevanceLoss } from "./train";
import { sampleRelevanceBatch, type RelevanceBatch } from "./batch";
import { Rng } from "../core/rng";

beforeAll(async () => {
  await initBackend();
});

describe("colour relabelling (augmentation)", () => {
  // OBJECT_COLOURS = red, green, blue, yellow, white; perm: red→blue, blue→red, others fixed
  const perm = [2, 1, 0, 3, 4];
  it("renames object colours in sentences, but not the background's dark green", () => {
    expect(permuteColours("the red square turns blue", perm)).toBe("the blue square turns red");
    expect(permuteColours("the background becomes dark green", [0, 3, 2, 1, 4])).toBe(
      "the background becomes dark green",
    );
    expect(permuteColours("a green circle appears", [0, 3, 2, 1, 4])).toBe("a yellow circle appears");
  });
  it("moves each colour's slot block to its new colour's place; the background slot stays", () => {
    // 1 clip, 6 slots of width 2: slot s holds [s, 10 + s]
    const slots = Float32Array.from({ length: 12 }, (_, i) => (i % 2 ? 10 : 0) + Math.floor(i / 2));
    expect(Array.from(permuteSlots(slots, 1, perm))).toEqual([2, 12, 1, 11, 0, 10, 3, 13, 4, 14, 5, 15]);
  });
  it("a permuted batch relabels a video's slots and sentences consistently", () => {
    const slots = Float32Array.from({ length: 2 * 6 }, (_, i) => i % 6); // 2 clips, width 1
    const b = sampleRelevanceBatch(
      ["a"],
      new Map([["a", ["the red box grows", "a white dot blinks"]]]),
      () => ({ slots, nClips: 2 }),
      1,
      2,
      new Rng(4),
      { permuteColours: true },
    );
    const red = Array.from(b.videos[0].slots.slice(0, 6)).indexOf(0); // where red's block went
    const white = Array.from(b.videos[0].slots.slice(0, 6)).indexOf(4);
    const names = ["red", "green", "blue", "yellow", "white"];
    expect(b.sentences.some((s) => s === `the ${names[red]} box grows`)).toBe(true);
    expect(b.sentences.some((s) => s === `a ${names[white]} dot blinks`)).toBe(true);
  });
});

describe("left–right mirroring (augmentation)", () => {
  it("mirrors a present component's centroid x and its change, keeps absent ones at 0, and swaps left/right", () => {
    // one slot of width 51 (no context): component 0 presence at 0, cx at 2; its last − first
    // at 17 and 19; component 1 (8, 10) absent; std block (34..50) untouched
    const mean = new Float32Array(51).fill(0);
    const std = new Float32Array(51).fill(1);
    mean[2] = 0.4;
    std[2] = 0.2; // raw cx = 0.4 + 0.2 z
    mean[0] = 0.5;
    std[0] = 0.5; // raw presence = 0.5 + 0.5 z
    const z = new Float32Array(51);
    z[0] = 1; // present in every frame
    z[2] = 1; // cx = 0.6 → mirrored 0.4 → z' = 0
    z[19] = 0.1; // Δx = 0.1 (Δ presence 0) → −0.1
    z[36] = 0.7;
    const f = flipSlots(z, mean, std);
    expect(f[2]).toBeCloseTo(0, 5);
    expect(f[19]).toBeCloseTo(-0.1, 5);
    expect(f[10]).toBeCloseTo(0, 5); // absent component: x stays 0
    expect(f[36]).toBe(z[36]);
    // flipping twice is the identity
    expect(Array.from(flipSlots(f, mean, std)).map((x) => Math.round(x * 1e5))).toEqual(
      Array.from(z).map((x) => Math.round(x * 1e5)),
    );
    expect(flipSentence("the red ball slides to the left")).toBe("the red ball slides to the right");
    expect(flipSentence("a box moves right")).toBe("a box moves left");
  });
});

describe("playing backwards (augmentation)", () => {
  it("reverses the clip order and negates every last − first statistic in raw units", () => {
    // 3 clips × 1 row of width 102 (clip block 0..50, window block 51..101): last − first at
    // 17..33 and 68..84; means and spreads elsewhere
    const w = 102;
    const mean = Float32Array.from({ length: w }, (_, k) => 0.01 * k);
    const std = Float32Array.from({ length: w }, (_, k) => 0.5 + 0.01 * k);
    const z = Float32Array.from({ length: 3 * w }, (_, i) => Math.sin(i) * 0.8);
    const r = reverseSlots(z, 3, mean, std);
    const raw = (a: Float32Array, i: number, k: number) => a[i * w + k] * std[k] + mean[k];
    for (const k of [0, 16, 34, 50, 51, 67, 85, 101]) expect(r[0 * w + k]).toBeCloseTo(z[2 * w + k], 6); // means, spreads: moved
    for (const k of [17, 33, 68, 84]) expect(raw(r, 0, k)).toBeCloseTo(-raw(z, 2, k), 5); // changes: negated
    expect(raw(r, 1, 20)).toBeCloseTo(-raw(z, 1, 20), 5);
    // backwards twice is the identity
    const back = reverseSlots(r, 3, mean, std);
    back.forEach((x, i) => expect(x).toBeCloseTo(z[i], 5));
  });
  it("says what the reversed event is, and gives up on colour changes", () => {
    expect(reverseSentence("the red square appears")).toBe("the red square disappears");
    expect(reverseSentence("a ball shows up")).toBe("a ball vanishes");
    expect(reverseSentence("the blue box fades out")).toBe("the blue box pops up");
    expect(reverseSentence("the box gets smaller")).toBe("the box gets bigger");
    expect(reverseSentence("a red disc slides to the left")).toBe("a red disc slides to the right");
    expect(reverseSentence("the triangle drifts upward")).toBe("the triangle drifts downward");
    expect(reverseSentence("a green dot moves up")).toBe("a green dot moves down");
    expect(reverseSentence("the white square spins")).toBe("the white square spins");
    expect(reverseSentence("The red square  appears.")).toBe("the red square disappears");
    expect(reverseSentence("the yellow circle flashes")).toBe("the yellow circle flashes");
    expect(reverseSentence("the red square turns blue")).toBeNull();
    expect(reverseSentence("the background becomes navy")).toBeNull();
    expect(reverseSentence("something else entirely")).toBeNull();
    for (const s of ["a ball comes into view", "the box expands", "the dot goes away", "a square travels right"])
      expect(reverseSentence(reverseSentence(s)!)).toBe(s);
  });
});

describe("colour-relabelled copies as hard negatives", () => {
  // 2 clips × 6 slots × 102 values; component 1's mean presence is value 0 of a slot
  const w = 102;
  const mean = new Float32Array(w).fill(0);
  const std = new Float32Array(w).fill(1);
  mean[0] = 0.3;
  std[0] = 0.5;
  const slots = new Float32Array(2 * 6 * w).fill(0);
  for (let i = 0; i < 2; i++) for (let c = 0; c < 6; c++) slots[(i * 6 + c) * w] = (0 - 0.3) / 0.5;
  slots[(1 * 6 + 0) * w] = (1 - 0.3) / 0.5; // red in clip 1
  slots[(0 * 6 + 2) * w] = (0.25 - 0.3) / 0.5; // blue in a quarter of clip 0's frames
  it("reads which colours a video shows", () => {
    expect([...presentColours(slots, 2, mean, std)].sort()).toEqual([0, 2]);
  });
  it("adds a relabelled copy that only sentences naming an absent colour compete against", () => {
    const sentences = new Map([
      ["a", ["the red square moves left", "the square grows", "the background turns navy", "a blue ball appears"]],
    ]);
    let sawIncluded = false;
    for (let seed = 1; seed <= 12; seed++) {
      const b = sampleRelevanceBatch(["a"], sentences, () => ({ slots, nClips: 2 }), 1, 4, new Rng(seed), {
        colourSwapNegatives: { videos: 1, mean, std },
      });
      expect(b.videos.length).toBe(2);
      expect(b.group.every((g) => g === 0)).toBe(true);
      const shown = new Set(
        [...presentColours(b.videos[1].slots, 2, mean, std)].map((c) => ["red", "green", "blue", "yellow", "white"][c]),
      );
      const excluded = new Set((b.exclude ?? []).map(([q, v]) => (expect(v).toBe(1), b.sentences[q])));
      for (const sentence of b.sentences) {
        const colour = ["red", "blue"].find((c) => sentence.includes(c));
        expect(excluded.has(sentence)).toBe(!colour || shown.has(colour));
        if (colour && !shown.has(colour)) sawIncluded = true;
      }
      const model = new RelevanceModel({ ...SMALL, slotInput: w }, 1);
      expect(Number.isFinite(relevanceLoss(model, b).total.dataSync()[0])).toBe(true);
      model.ps.dispose();
    }
    expect(sawIncluded).toBe(true);
  });
  it("a left-out pair does not change the loss", () => {
    const model = new RelevanceModel(SMALL, 3);
    const rng = new Rng(5);
    const b = batch(model, rng);
    const base = relevanceLoss(model, b).total.dataSync()[0];
    // a video no sentence may pick, left out of every softmax, is as if it were absent
    const extra: RelevanceBatch = {
      ...b,
      videos: [...b.videos, b.videos[0]],
      exclude: b.sentences.map((_, q) => [q, b.videos.length] as [number, number]),
    };
    expect(relevanceLoss(model, extra).total.dataSync()[0]).toBeCloseTo(base, 4);
    model.ps.dispose();
  });
});

describe("a recipe's augmentation names as trainer options", () => {
  it("turns each name on, with the standardisation where a copy needs it and swapped negatives for half a batch", () => {
    const st = { mean: Float32Array.of(0), std: Float32Array.of(1) };
    expect(augmentFromRecipe(["permute", "swapneg"], 9, st)).toEqual({
      permuteColours: true,
      flip: undefined,
      reverse: undefined,
      colourSwapNegatives: { videos: 4, ...st },
    });
    const all = augmentFromRecipe(["flip", "reverse"], 8, st);
    expect(all).toMatchObject({ permuteColours: false, colourSwapNegatives: undefined });
    expect(all.flip).toBe(st);
    expect(all.reverse).toBe(st);
  });
});
