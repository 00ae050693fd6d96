import { describe, expect, it } from "vitest";
import { describeModelVersion, modelLabel } from "@/lib/model-names";

describe("model versions as people read them", () => {
  it("names the shipped models with their corpus and seed", () => {
    expect(modelLabel("locvtp-slots-ctx2-ll3-shapes-s1")).toBe(
      "LocVTP clip and text encoder (trained on Shapes, seed 1)",
    );
    expect(modelLabel("relevance-mil-x5-slots-ctx2-ll3-shapes2320v-s1")).toBe(
      "Relevance scorer (trained on Shapes, seed 1)",
    );
    expect(
      describeModelVersion(
        "cpl-cpl-pointer-conv-slots-ctx2-ll3-shapes-s1+relevance-mil-x5-slots-ctx2-ll3-shapes2320v-s1#relevance",
      ).map((m) => [m.name, m.detail]),
    ).toEqual([
      ["CPL grounder", "trained on Shapes, seed 1"],
      ["Relevance scorer", "trained on Shapes, seed 1; relevance grounding"],
    ]);
    expect(modelLabel("cpl-cnm-pointer-conv-slots-ctx2-ll3-shapes-s1")).toBe(
      "Single-Gaussian baseline (trained on Shapes, seed 1)",
    );
  });

  it("says when a model is untrained, and never hides an unknown one", () => {
    expect(modelLabel("locvtp-untrained")).toBe("LocVTP clip and text encoder (untrained, random weights)");
    expect(modelLabel("mystery-v2")).toBe("mystery (trained)");
    expect(modelLabel(null)).toBe("—");
  });
});
