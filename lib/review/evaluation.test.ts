import { describe, expect, it } from "vitest";
import { scoreVersions } from "@/lib/review/evaluation";

describe("evaluation against reviewed spans", () => {
  it("matches a hand computation per model version; rejected items do not count", () => {
    const rows = scoreVersions([
      // A: accepted → IoU 1; corrected [0,10]→[5,15]: 5/15; corrected [2,4]→[2,5]: 2/3
      { modelVersion: "A", prediction: { start: 0, end: 10 }, span: { start: 0, end: 10 } },
      { modelVersion: "A", prediction: { start: 0, end: 10 }, span: { start: 5, end: 15 } },
      { modelVersion: "A", prediction: { start: 2, end: 4 }, span: { start: 2, end: 5 } },
      { modelVersion: "A", prediction: { start: 1, end: 2 }, span: null },
      // B: disjoint → IoU 0
      { modelVersion: "B", prediction: { start: 0, end: 2 }, span: { start: 4, end: 6 } },
    ]);
    expect(rows).toEqual([
      { modelVersion: "A", count: 3, "R1@0.3": 100, "R1@0.5": 66.67, "R1@0.7": 33.33, mIoU: 66.67 },
      { modelVersion: "B", count: 1, "R1@0.3": 0, "R1@0.5": 0, "R1@0.7": 0, mIoU: 0 },
    ]);
  });
});
