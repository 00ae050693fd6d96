import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CALIBRATION_FORMAT,
  calibratorFromManifest,
  loadCalibrator,
  uncalibratedCalibrator,
  type CalibrationManifest,
} from "./calibrator";
import { poolEvidence, type MomentEvidence } from "./evidence";

const e = (o: Partial<MomentEvidence> = {}): MomentEvidence => ({
  sentence: "the red square spins",
  videoScore: 1,
  pool: poolEvidence([1, 0, -1]),
  spanScore: 0.2,
  spanRank: 0,
  similarity: 0.5,
  start: 0,
  end: 2,
  duration: 10,
  ...o,
});

function manifest(): CalibrationManifest {
  return {
    format: CALIBRATION_FORMAT,
    name: "calibration",
    version: "calibration-test",
    models: { relevance: "rel-1", locvtp: "loc-1", grounder: "relevance" },
    calibrators: {
      // library: σ(1·(margin − 0)/1 − 1·unknownWords·…): margin 1 → σ(1) when every word is known
      library: {
        kind: "logistic",
        features: ["margin", "unknownWords"],
        mean: [0, 0],
        std: [1, 0.25],
        weights: [1, -2],
        bias: 0,
      },
      single: { kind: "logistic", features: ["similarity"], mean: [0.5], std: [1], weights: [2], bias: -1 },
    },
    threshold: 0.4,
    thresholdRule: "test",
    vocabulary: ["the", "red", "square", "spins"],
    recipe: {},
    fit: {},
  };
}

describe("calibrator", () => {
  it("reads the library fit for a pool of several videos and the single fit for one", () => {
    const c = calibratorFromManifest(manifest());
    expect(c).toMatchObject({ version: "calibration-test", calibrated: true, threshold: 0.4 });
    // margin = 1 − median 0 = 1; no unknown word → σ(1)
    expect(c.confidence(e())).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    // one unknown word in four: z = 1 − 2·(0.25/0.25) = −1
    expect(c.confidence(e({ sentence: "the red dog spins" }))).toBeCloseTo(1 / (1 + Math.exp(1)), 12);
    // a pool of one: σ(−1 + 2·(0.5 − 0.5)) = σ(−1)
    expect(c.confidence(e({ pool: poolEvidence([1]) }))).toBeCloseTo(1 / (1 + Math.exp(1)), 12);
  });

  it("refuses a manifest with features it does not know", () => {
    const m = manifest();
    (m.calibrators.single.features as string[]) = ["nonsense"];
    expect(() => calibratorFromManifest(m)).toThrow(/unknown features/);
  });

  it("stands in, labelled uncalibrated, without a manifest or for other models", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cal-"));
    const none = loadCalibrator(path.join(dir, "missing"));
    expect(none.calibrated).toBe(false);
    expect(none.version).toBe("uncalibrated-v1");
    expect(none.reason).toMatch(/no calibration/);
    mkdirSync(path.join(dir, "calibration"));
    writeFileSync(path.join(dir, "calibration", "manifest.json"), JSON.stringify(manifest()));
    expect(loadCalibrator(path.join(dir, "calibration"), { relevance: "rel-1", locvtp: "loc-1" }).calibrated).toBe(
      true,
    );
    const stale = loadCalibrator(path.join(dir, "calibration"), { relevance: "rel-2", locvtp: "loc-1" });
    expect(stale.calibrated).toBe(false);
    expect(stale.reason).toMatch(/other models.*rel-2/);
    // the span verifier: another one is stale; none, or a fit from before verifiers, is not
    writeFileSync(
      path.join(dir, "calibration", "manifest.json"),
      JSON.stringify({ ...manifest(), models: { ...manifest().models, verifier: "ver-1" } }),
    );
    const installed = { relevance: "rel-1", locvtp: "loc-1" };
    expect(loadCalibrator(path.join(dir, "calibration"), { ...installed, verifier: "ver-1" }).calibrated).toBe(true);
    expect(loadCalibrator(path.join(dir, "calibration"), { ...installed, verifier: null }).calibrated).toBe(true);
    const otherVerifier = loadCalibrator(path.join(dir, "calibration"), { ...installed, verifier: "ver-2" });
    expect(otherVerifier.calibrated).toBe(false);
    expect(otherVerifier.reason).toMatch(/verifier ver-1 ≠ installed ver-2/);
    writeFileSync(path.join(dir, "calibration", "manifest.json"), JSON.stringify(manifest()));
    expect(loadCalibrator(path.join(dir, "calibration"), { ...installed, verifier: "ver-2" }).calibrated).toBe(true);
  });

  it("asks search for the contrast and the verifier's edit margins only when the fit reads them", () => {
    const plain = calibratorFromManifest(manifest());
    expect(plain).toMatchObject({ contrastVideos: 0, verifierEdits: false });
    const m = manifest();
    m.contrastVideos = 4;
    m.calibrators.library = { ...m.calibrators.library, features: ["margin", "verifierEditMargin"] };
    expect(calibratorFromManifest(m)).toMatchObject({ contrastVideos: 4, verifierEdits: true });
    m.calibrators.library = { ...m.calibrators.library, features: ["margin", "editMargin"] };
    expect(calibratorFromManifest(m)).toMatchObject({ contrastVideos: 4, verifierEdits: false });
  });

  it("the stand-in rises with the evidence and stays in [0, 1]", () => {
    const u = uncalibratedCalibrator("test");
    // σ(margin 1 + 2·0.5 − 1) = σ(1)
    expect(u.confidence(e())).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(u.confidence(e({ videoScore: 3 }))).toBeGreaterThan(u.confidence(e()));
    expect(u.confidence(e({ similarity: 0.9 }))).toBeGreaterThan(u.confidence(e()));
    expect(u.confidence(e({ spanRank: 1 }))).toBeLessThan(u.confidence(e()));
    expect(u.confidence(e({ videoScore: 1e6 }))).toBeLessThanOrEqual(1);
    expect(u.confidence(e({ videoScore: -1e6 }))).toBeGreaterThanOrEqual(0);
  });

  it("the shipped calibration: strong evidence is a likely match for a Shapes sentence, never for one the models cannot read", () => {
    const c = loadCalibrator(path.resolve("models/calibration"));
    expect(c.calibrated).toBe(true);
    // a first span in the best of 12 videos, well ahead of the pool; the span verifier's logit
    // where it reads the sentence (null: a sentence outside its grammar)
    const strong = (
      sentence: string,
      pool = poolEvidence([6, 3, 2, 1, 0.5, 0, 0, -0.5, -1, -1, -2, -3]),
      verifierLogit: number | null = null,
    ) =>
      c.confidence(
        e({
          sentence,
          videoScore: 6,
          pool,
          spanScore: 0.6,
          similarity: 0.5,
          start: 10,
          end: 14,
          duration: 40,
          verifierLogit,
        }),
      );
    expect(strong("the red square spins", undefined, 4)).toBeGreaterThan(c.threshold);
    // the same evidence, but the verifier says the span shows something else: an absent combination
    expect(strong("the red square spins", undefined, -4)).toBeLessThan(c.threshold);
    for (const s of ["a dog on a beach", "asdf qwerty"]) {
      expect(strong(s)).toBeLessThan(c.threshold);
      expect(strong(s, poolEvidence([6]))).toBeLessThan(c.threshold);
    }
    expect(strong("the red dog spins")).toBeLessThan(strong("the red square spins", undefined, 4) / 2);
  });
});
