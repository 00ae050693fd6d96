import { describe, expect, it } from "vitest";
import type { MomentEvidence } from "./evidence";
import { fitCalibration, fitIsotonic, fitLogistic, interpolate, predict, sigmoid, solve } from "./fit";

function evidence(o: Partial<MomentEvidence>): MomentEvidence {
  return {
    sentence: "a red circle appears",
    videoScore: 0,
    pool: { size: 1, median: 0, max: 0, logSumExp: 0 },
    spanScore: 0,
    spanRank: 0,
    similarity: 0,
    start: 0,
    end: 1,
    duration: 10,
    ...o,
  };
}

describe("calibration fit", () => {
  it("a 2-point logistic fit: x = 0 true 1 time in 4, x = 1 true 3 times in 4 → bias ln(1/3), weight 2·ln 3", () => {
    // by hand: the MLE matches each point's rate, σ(b) = 1/4 and σ(b + w) = 3/4
    const fit = fitLogistic([[0], [0], [1], [1]], [1, 0, 1, 0], { weights: [1, 3, 3, 1] });
    expect(fit.converged).toBe(true);
    expect(fit.bias).toBeCloseTo(-Math.log(3), 8);
    expect(fit.weights[0]).toBeCloseTo(2 * Math.log(3), 8);
    expect(sigmoid(fit.bias)).toBeCloseTo(0.25, 8);
  });

  it("fitCalibration standardises the features and predicts the same rates", () => {
    const samples = [
      ...Array.from({ length: 4 }, (_, i) => ({
        evidence: evidence({ similarity: 0 }),
        label: (i === 0 ? 1 : 0) as 0 | 1,
      })),
      ...Array.from({ length: 4 }, (_, i) => ({
        evidence: evidence({ similarity: 1 }),
        label: (i === 0 ? 0 : 1) as 0 | 1,
      })),
    ];
    const m = fitCalibration(samples, { features: ["similarity"], l2: 0 });
    // standardised: mean 0.5, std 0.5, so x ↦ ±1 and the weight is ln 3
    expect(m.mean).toEqual([0.5]);
    expect(m.std).toEqual([0.5]);
    expect(m.weights[0]).toBeCloseTo(Math.log(3), 8);
    expect(m.bias).toBeCloseTo(0, 8);
    expect(predict(m, evidence({ similarity: 0 }))).toBeCloseTo(0.25, 8);
    expect(predict(m, evidence({ similarity: 1 }))).toBeCloseTo(0.75, 8);
  });

  it("the ridge keeps a separable fit finite", () => {
    const fit = fitLogistic([[0], [1]], [0, 1], { l2: 1e-3 });
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(5);
  });

  it("a constant feature gets standard deviation 1 (no division by zero)", () => {
    const m = fitCalibration(
      [
        { evidence: evidence({}), label: 1 },
        { evidence: evidence({}), label: 0 },
      ],
      { features: ["similarity"] },
    );
    expect(m.std).toEqual([1]);
    expect(predict(m, evidence({}))).toBeCloseTo(0.5, 6);
  });

  it("solves a small positive definite system", () => {
    const x = solve(
      [
        [4, 2],
        [2, 3],
      ],
      [2, 1],
    );
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it("isotonic regression pools adjacent violators (by hand: [0, 1, 0, 1] → 0, ½, 1)", () => {
    const iso = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
    expect(iso.x).toEqual([1, 2.5, 4]);
    expect(iso.y).toEqual([0, 0.5, 1]);
    expect(interpolate(iso.x, iso.y, 0)).toBe(0);
    expect(interpolate(iso.x, iso.y, 1.75)).toBeCloseTo(0.25, 12);
    expect(interpolate(iso.x, iso.y, 9)).toBe(1);
  });
});
