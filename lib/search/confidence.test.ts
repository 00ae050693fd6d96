import { describe, expect, it } from "vitest";
import { combineConfidence, confidenceLevel, textConfidence } from "./confidence";

describe("confidence of text evidence", () => {
  it("the whole sentence on screen or in the subtitles; every word; fuzzy", () => {
    expect(textConfidence("the Red square", { text: "Now the red square, spinning", rank: 1.2 })).toBe(0.97);
    expect(textConfidence("red square", { text: "the square is red", rank: 1.05 })).toBe(0.9);
    expect(textConfidence("revenve", { text: "revenue", rank: 0.6 })).toBeCloseTo(0.5, 12);
    expect(textConfidence("revenve", { text: "revenue", rank: 1 - 1e-9 })).toBeCloseTo(0.85, 6);
  });

  it("independent evidence combines as a noisy-OR; words for a confidence", () => {
    expect(combineConfidence(0.5, 0.5)).toBe(0.75);
    expect(combineConfidence(0, 0.3)).toBeCloseTo(0.3, 12);
    expect(confidenceLevel(0.8, 0.5)).toBe("strong");
    expect(confidenceLevel(0.6, 0.5)).toBe("possible");
    expect(confidenceLevel(0.49, 0.5)).toBe("weak");
    expect(confidenceLevel(0.7, 0.8)).toBe("weak");
  });
});
