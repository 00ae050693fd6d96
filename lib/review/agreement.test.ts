import { describe, expect, it } from "vitest";
import { agreementOverall, meanPairwiseIoU } from "@/lib/review/agreement";
import { evaluateJudged, scoreRecordedPredictions } from "@/lib/review/evaluation";
import type { JudgedAnnotation } from "@/db/repositories/review";

describe("inter-annotator agreement", () => {
  it("is the mean IoU over every pair of spans (hand-computed)", () => {
    // [0,4]·[2,6]: 2/6; [0,4]·[0,4]: 1; [2,6]·[0,4]: 2/6 → (1/3 + 1 + 1/3) / 3 = 5/9
    expect(
      meanPairwiseIoU([
        { start: 0, end: 4 },
        { start: 2, end: 6 },
      ]),
    ).toBeCloseTo(1 / 3, 12);
    expect(
      meanPairwiseIoU([
        { start: 0, end: 4 },
        { start: 2, end: 6 },
        { start: 0, end: 4 },
      ]),
    ).toBeCloseTo(5 / 9, 12);
    expect(
      meanPairwiseIoU([
        { start: 0, end: 1 },
        { start: 3, end: 4 },
      ]),
    ).toBe(0);
    expect(meanPairwiseIoU([{ start: 0, end: 1 }])).toBeNull();
    expect(meanPairwiseIoU([])).toBeNull();
  });

  it("overall is the mean over items with two or more spans", () => {
    const r = agreementOverall(
      new Map([
        [
          "a",
          [
            { start: 0, end: 4 },
            { start: 2, end: 6 },
          ],
        ], // 1/3
        [
          "b",
          [
            { start: 0, end: 2 },
            { start: 0, end: 2 },
          ],
        ], // 1
        ["c", [{ start: 0, end: 2 }]], // one span: no agreement
      ]),
    );
    expect(r.items).toBe(2);
    expect(r.overall).toBeCloseTo(2 / 3, 12);
    expect([...r.byItem.keys()]).toEqual(["a", "b"]);
  });
});

const judged = (
  o: Partial<JudgedAnnotation> & Pick<JudgedAnnotation, "itemId" | "decision" | "span" | "prediction">,
): JudgedAnnotation => ({
  id: `${o.itemId}-${o.annotatorId ?? "x"}`,
  annotatorId: "x",
  sentence: "s",
  notInVideo: false,
  modelVersion: "v1",
  createdAt: new Date("2026-12-01T10:00:00Z"),
  undoneAt: null,
  source: "batch",
  videoId: "vid",
  videoName: "v.mp4",
  annotatorEmail: null,
  ...o,
});

describe("the evaluation dashboard's numbers", () => {
  const rows = [
    judged({ itemId: "i1", decision: "accept", prediction: { start: 0, end: 10 }, span: { start: 0, end: 10 } }),
    // IoU 5/15 = 1/3, a day later, from another source
    judged({
      itemId: "i2",
      decision: "correct",
      prediction: { start: 0, end: 10 },
      span: { start: 5, end: 15 },
      source: "flagged",
      createdAt: new Date("2026-12-02T09:00:00Z"),
    }),
    judged({ itemId: "i3", decision: "reject", prediction: { start: 1, end: 2 }, span: null }),
  ];

  it("per version and source, cumulative per day, worst misses first, decisions counted", () => {
    const e = evaluateJudged(rows);
    expect(e.versions).toEqual([
      { modelVersion: "v1", count: 2, "R1@0.3": 100, "R1@0.5": 50, "R1@0.7": 50, mIoU: 66.67 },
    ]);
    expect(e.bySource).toEqual([
      { modelVersion: "v1", source: "batch", count: 1, "R1@0.3": 100, "R1@0.5": 100, "R1@0.7": 100, mIoU: 100 },
      { modelVersion: "v1", source: "flagged", count: 1, "R1@0.3": 100, "R1@0.5": 0, "R1@0.7": 0, mIoU: 33.33 },
    ]);
    expect(e.timeline).toEqual([
      { day: "2026-12-01", modelVersion: "v1", count: 1, "R1@0.3": 100, "R1@0.5": 100, "R1@0.7": 100, mIoU: 100 },
      { day: "2026-12-02", modelVersion: "v1", count: 2, "R1@0.3": 100, "R1@0.5": 50, "R1@0.7": 50, mIoU: 66.67 },
    ]);
    expect(e.worst.map((w) => [w.itemId, w.iou])).toEqual([
      ["i2", 1 / 3],
      ["i1", 1],
    ]);
    expect(e.decisions).toEqual({ accept: 1, correct: 1, reject: 1 });
    expect(e.agreement).toEqual({ overall: null, items: 0 });
  });

  it("an exported dataset's recorded predictions score the same as the dashboard", () => {
    const doc = {
      videos: [{ id: "vid", file: "videos/vid.mp4" }],
      queries: [
        { video: "vid", query: "s", start: 0, end: 10, modelVersion: "v1", prediction: { start: 0, end: 10 } },
        { video: "vid", query: "s", start: 5, end: 15, modelVersion: "v1", prediction: { start: 0, end: 10 } },
        // rejected (no span) and foreign queries do not count
        { video: "vid", query: "s", modelVersion: "v1", prediction: { start: 1, end: 2 } },
        { video: "vid", query: "t", start: 1, end: 2 },
      ],
    };
    expect(scoreRecordedPredictions(doc)).toEqual(evaluateJudged(rows).versions);
    expect(scoreRecordedPredictions({})).toEqual([]);
  });
});
