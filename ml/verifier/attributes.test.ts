import { describe, expect, it } from "vitest";
import { OBJECT_COLOURS } from "../features/lowlevel";
import { COLOURS } from "../data/shapes/vocabulary";
import { ATTRIBUTE_DIM, COLOUR_GATES, hasKindSlot, sentenceAttributes } from "./attributes";

/** positions of the ones */
const ones = (v: Float32Array | null) => (v ? [...v].flatMap((x, i) => (x === 1 ? [i] : [])) : null);

describe("span verifier: a sentence's attributes", () => {
  it("has one slot per kind, shape, colour, direction and target", () => {
    // 10 kinds (9 + bounce), 3 shapes, 5 colours, 4 directions, 5 colours + 4 backgrounds
    expect(ATTRIBUTE_DIM).toBe(10 + 3 + 5 + 4 + 9);
  });

  it("sets the one-hot positions a sentence asserts", () => {
    // spin = kind 5; square = shape 1 → 10 + 1; red = colour 0 → 13
    expect(ones(sentenceAttributes("the red square spins"))).toEqual([5, 11, 13]);
    // move = kind 2; circle = 10; no colour; left = direction 0 → 18
    expect(ones(sentenceAttributes("a circle moves left"))).toEqual([2, 10, 18]);
    // colour change = kind 7; triangle = 12; blue = 13 + 2; to yellow = target 3 → 22 + 3
    expect(ones(sentenceAttributes("the blue triangle turns yellow"))).toEqual([7, 12, 15, 25]);
  });

  it("swapping a colour change's colours changes the vector", () => {
    const a = sentenceAttributes("the blue triangle turns yellow")!;
    const b = sentenceAttributes("the yellow triangle turns blue")!;
    expect(ones(b)).toEqual([7, 12, 16, 24]);
    expect([...a]).not.toEqual([...b]);
  });

  it("says nothing about a sentence outside the grammar", () => {
    expect(sentenceAttributes("a dog on a beach")).toBeNull();
    expect(sentenceAttributes("asdf qwerty")).toBeNull();
  });

  it("keeps the shipped layout: bounce has its slot, a kind added later (shake) has none and reads null", () => {
    // bounce = kind 9; circle = 10; red = 13
    expect(ones(sentenceAttributes("the red ball bounces"))).toEqual([9, 10, 13]);
    expect(hasKindSlot({ kind: "bounce" })).toBe(true);
    expect(hasKindSlot({ kind: "shake" })).toBe(false);
    expect(sentenceAttributes("the red ball shakes")).toBeNull();
    expect(sentenceAttributes("A triangle wobbles.")).toBeNull();
    expect(sentenceAttributes("the blue box jiggles")).toBeNull();
    // the verifier's input width is baked into the shipped weights (models/verifier/manifest.json)
    expect(ATTRIBUTE_DIM).toBe(31);
  });
});

describe("span verifier: colour gates", () => {
  it("the colour and target blocks list the colours in the order of the object slots", () => {
    expect(COLOUR_GATES).toEqual({ colour: 13, target: 22 });
    // the slots of ml/features/lowlevel.ts and the grammar's colours must agree, one by one
    expect([...COLOURS]).toEqual([...OBJECT_COLOURS]);
    const a = sentenceAttributes("the blue triangle turns yellow")!;
    expect(a[COLOUR_GATES.colour + OBJECT_COLOURS.indexOf("blue")]).toBe(1);
    expect(a[COLOUR_GATES.target + OBJECT_COLOURS.indexOf("yellow")]).toBe(1);
  });
});
