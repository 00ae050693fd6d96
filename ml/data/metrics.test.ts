import { describe, expect, it } from "vitest";
import {
  evaluateCorpus,
  evaluateGrounding,
  formatMetricsTable,
  iou,
  meanIoU,
  METRIC_KEYS,
  recallAtN,
  type CorpusSample,
  type GroundingSample,
} from "./metrics";

const S = (start: number, end: number) => ({ start, end });

describe("iou", () => {
  it("matches hand-computed values", () => {
    expect(iou(S(0, 10), S(0, 10))).toBe(1);
    expect(iou(S(0, 10), S(5, 15))).toBeCloseTo(5 / 15, 12);
    expect(iou(S(2, 4), S(0, 10))).toBeCloseTo(0.2, 12);
    expect(iou(S(0, 10), S(0, 5))).toBe(0.5);
    expect(iou(S(0, 10), S(10, 20))).toBe(0); // touching
    expect(iou(S(0, 1), S(5, 6))).toBe(0); // disjoint
    expect(iou(S(3, 3), S(3, 3))).toBe(0); // no extent
    expect(iou(S(5, 15), S(0, 10))).toBe(iou(S(0, 10), S(5, 15))); // symmetric
  });
});

// Four queries, worked out by hand:
//  q1 top-1 exact (IoU 1)
//  q2 top-1 IoU 1/3, top-2 IoU 0.8
//  q3 the only overlapping prediction is 6th (outside the top 5)
//  q4 no prediction at all
const grounding: GroundingSample[] = [
  { gt: S(0, 10), predictions: [S(0, 10)] },
  { gt: S(0, 10), predictions: [S(5, 15), S(0, 8)] },
  { gt: S(20, 30), predictions: [S(0, 5), S(40, 50), S(0, 1), S(2, 3), S(4, 5), S(20, 30)] },
  { gt: S(0, 10), predictions: [] },
];

describe("grounding metrics", () => {
  it("R@n at each IoU threshold", () => {
    expect(recallAtN(grounding, 1, 0.3)).toBe(50);
    expect(recallAtN(grounding, 1, 0.5)).toBe(25);
    expect(recallAtN(grounding, 1, 0.7)).toBe(25);
    expect(recallAtN(grounding, 5, 0.3)).toBe(50);
    expect(recallAtN(grounding, 5, 0.5)).toBe(50);
    expect(recallAtN(grounding, 5, 0.7)).toBe(50);
    // the 6th prediction counts for n >= 6 only
    expect(recallAtN(grounding, 6, 0.7)).toBe(75);
  });
  it("an IoU exactly at the threshold is a hit", () => {
    expect(recallAtN([{ gt: S(0, 10), predictions: [S(0, 5)] }], 1, 0.5)).toBe(100);
    expect(recallAtN([{ gt: S(0, 10), predictions: [S(0, 7)] }], 1, 0.7)).toBe(100);
  });
  it("mIoU of the top-1 span", () => {
    expect(meanIoU(grounding)).toBeCloseTo((100 * (1 + 1 / 3)) / 4, 10);
  });
  it("evaluateGrounding returns every key in percent", () => {
    const r = evaluateGrounding(grounding);
    expect(Object.keys(r)).toEqual([...METRIC_KEYS]);
    expect(r).toMatchObject({ "R1@0.3": 50, "R1@0.5": 25, "R1@0.7": 25, "R5@0.3": 50, "R5@0.5": 50, "R5@0.7": 50 });
    expect(r.mIoU).toBeCloseTo(33.3333, 3);
  });
  it("an empty list gives NaN, not a fake 0", () => {
    expect(Number.isNaN(evaluateGrounding([])["R1@0.5"])).toBe(true);
  });
});

describe("corpus moment retrieval", () => {
  const V = (video: string, start: number, end: number) => ({ video, start, end });
  const corpus: CorpusSample[] = [
    // right span in the wrong video first, then the right video with IoU 0.6
    { gt: V("a", 0, 10), predictions: [V("b", 0, 10), V("a", 0, 6)] },
    { gt: V("b", 5, 10), predictions: [V("b", 5, 10)] },
  ];
  it("needs the right video and IoU >= m", () => {
    const r = evaluateCorpus(corpus);
    expect(r).toEqual({
      "R1@0.3": 50,
      "R1@0.5": 50,
      "R1@0.7": 50,
      "R5@0.3": 100,
      "R5@0.5": 100,
      "R5@0.7": 50,
      mIoU: 50,
    });
  });
});

describe("formatMetricsTable", () => {
  it("prints two decimals per column and the query count", () => {
    const table = formatMetricsTable([
      { method: "vote", metrics: evaluateGrounding(grounding), queries: 4 },
      { method: "empty", metrics: evaluateGrounding([]), queries: 0 },
    ]);
    const lines = table.split("\n");
    expect(lines[0].split(/\s+/)).toEqual(["Method", ...METRIC_KEYS, "Queries"]);
    expect(lines[2].split(/\s+/)).toEqual(["vote", "50.00", "25.00", "25.00", "50.00", "50.00", "50.00", "33.33", "4"]);
    expect(lines[3]).toContain("n/a");
    const md = formatMetricsTable([{ method: "vote", metrics: evaluateGrounding(grounding), queries: 4 }], {
      markdown: true,
      title: "T",
    });
    expect(md.split("\n")[3]).toBe("| vote | 50.00 | 25.00 | 25.00 | 50.00 | 50.00 | 50.00 | 33.33 | 4 |");
  });
});
