import { describe, expect, it } from "vitest";
import {
  brierScore,
  calibrationReport,
  eceOfBins,
  expectedCalibrationError,
  logLoss,
  reliabilityBins,
  rocAuc,
} from "./metrics";

// four moments: confidences and whether each truly matched
const p = [0.1, 0.2, 0.8, 0.9];
const y = [0, 1, 1, 1];

describe("calibration metrics", () => {
  it("ECE of a tiny case, by hand", () => {
    // 2 equal-width bins: [0.1, 0.2] mean 0.15, half true → |0.5 − 0.15| = 0.35; [0.8, 0.9] mean 0.85, all true → 0.15
    // ECE = ½·0.35 + ½·0.15 = 0.25
    expect(expectedCalibrationError(p, y, 2, "width")).toBeCloseTo(0.25, 12);
    // 15 bins: each moment alone → (0.1 + 0.8 + 0.2 + 0.1) / 4 = 0.3
    expect(expectedCalibrationError(p, y, 15, "width")).toBeCloseTo(0.3, 12);
    // 2 equal-mass bins: the same two groups here
    expect(expectedCalibrationError(p, y, 2, "mass")).toBeCloseTo(0.25, 12);
  });

  it("reliability bins: counts, mean confidence and share true; a confidence of 1 falls in the last bin", () => {
    const bins = reliabilityBins([0, 0.05, 0.5, 1], [0, 0, 1, 1], 4, "width");
    expect(bins.map((b) => b.count)).toEqual([2, 0, 1, 1]);
    expect(bins[0]).toMatchObject({ lo: 0, hi: 0.25, confidence: 0.025, accuracy: 0 });
    expect(Number.isNaN(bins[1].confidence)).toBe(true);
    expect(bins[2]).toMatchObject({ lo: 0.5, hi: 0.75, confidence: 0.5, accuracy: 1 });
    expect(bins[3]).toMatchObject({ confidence: 1, accuracy: 1 });
    // |0 − 0.025|·½ + |1 − 0.5|·¼ + 0
    expect(eceOfBins(bins)).toBeCloseTo(0.0125 + 0.125, 12);
  });

  it("equal-mass bins split by rank and report each bin's range", () => {
    const bins = reliabilityBins([0.9, 0.1, 0.3, 0.7, 0.5, 0.2], [1, 0, 0, 1, 1, 0], 3, "mass");
    expect(bins.map((b) => [b.lo, b.hi, b.count])).toEqual([
      [0.1, 0.2, 2],
      [0.3, 0.5, 2],
      [0.7, 0.9, 2],
    ]);
    expect(bins[1].accuracy).toBe(0.5);
  });

  it("Brier, log loss and AUC by hand", () => {
    expect(brierScore(p, y)).toBeCloseTo((0.01 + 0.64 + 0.04 + 0.01) / 4, 12);
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12);
    // positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5, 12);
    expect(Number.isNaN(rocAuc([0.5], [1]))).toBe(true);
  });

  it("a report carries both ECEs and both bin tables", () => {
    const r = calibrationReport(p, y, 2);
    expect(r.samples).toBe(4);
    expect(r.positives).toBe(3);
    expect(r.ece).toBeCloseTo(0.25, 12);
    expect(r.eceMass).toBeCloseTo(0.25, 12);
    expect(r.bins).toHaveLength(2);
    expect(r.massBins).toHaveLength(2);
  });
});
