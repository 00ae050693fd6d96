/** Text tables and the reliability diagram of a calibration evaluation (npm run eval, npm run calibrate). */
import { renderPanels, type Series } from "../plot";
import type { CalibrationEvaluation, ThresholdRow } from "./evaluate";
import type { ReliabilityBin } from "./metrics";

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(2) : "n/a");
const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : "n/a");

export function formatReliability(bins: readonly ReliabilityBin[]): string {
  const lines = ["  bin            n   mean conf   share true   |gap|"];
  for (const b of bins) {
    if (!b.count) continue;
    lines.push(
      `  ${b.lo.toFixed(3)}–${b.hi.toFixed(3)}  ${String(b.count).padStart(6)}   ${b.confidence.toFixed(4).padStart(9)}   ${b.accuracy.toFixed(4).padStart(10)}   ${Math.abs(b.accuracy - b.confidence).toFixed(4)}`,
    );
  }
  return lines.join("\n");
}

function thresholdLine(r: ThresholdRow): string {
  return `  ${r.threshold.toFixed(2).padStart(5)}   ${pct(r.realKeepsCorrect).padStart(7)}   ${pct(r.realKeepsAnnotated).padStart(7)}   ${pct(r.realAnyAbove).padStart(7)}   ${pct(r.absentNoMatch).padStart(7)}   ${pct(r.oovNoMatch).padStart(7)}   ${pct(r.noMatchPrecision).padStart(7)}   ${pct(r.noMatchRecall).padStart(7)}`;
}

export function formatCalibration(e: CalibrationEvaluation, title: string): string {
  const m = e.moments;
  const out = [
    title,
    `confidence: ${e.calibrator}${e.calibrated ? "" : " (UNCALIBRATED stand-in)"}; threshold ${e.threshold}`,
    `queries: ${e.queries.real} real, ${e.queries.absent} absent-combination, ${e.queries.oov} out-of-vocabulary`,
    `candidate moments of the real queries: ${m.samples} (${m.positives} true: the sentence is true in the video, IoU ≥ 0.5)`,
    `  ECE (15 equal-width bins) ${f4(m.ece)}   ECE (15 equal-mass) ${f4(m.eceMass)}   Brier ${f4(m.brier)}   log loss ${f4(m.logLoss)}   AUC ${f4(m.auc)}`,
    `  other labels: IoU ≥ 0.3 ECE ${f4(e.momentsIou03.ece)} (mass ${f4(e.momentsIou03.eceMass)}, ${e.momentsIou03.positives} true); annotated moment only ECE ${f4(e.momentsAnnotated.ece)} (mass ${f4(e.momentsAnnotated.eceMass)}, ${e.momentsAnnotated.positives} true)`,
    `  each real query's most confident moment: mean confidence ${f4(e.top1.meanConfidence)}, ${e.top1.positives}/${e.top1.samples} true; ECE ${f4(e.top1.ece)} (mass ${f4(e.top1.eceMass)}), AUC ${f4(e.top1.auc)}`,
    "reliability (equal-width bins):",
    formatReliability(m.bins),
    "reliability (equal-mass bins):",
    formatReliability(m.massBins),
    `"no good match" (no moment at or above the threshold), % of queries:`,
    "  thr.   real:     real:     real:     absent:   OOV:      no-match  no-match",
    "         keeps     keeps     any       no        no        precision recall",
    "         a true    annot.    above     match     match",
    thresholdLine(e.noGoodMatch) + "   ← default",
    ...e.sweep.map(thresholdLine),
    "corpus moment retrieval of the real queries, % (several moments per video: temporal NMS at IoU > 0.5):",
    "                       R1@0.5   R5@0.5   R1@0.3   R5@0.3   R1@0.5 any true video   R5@0.5 any true video",
    ...(["onePerVideo", "byConfidence"] as const).map((k) => {
      const r = e.retrieval[k];
      return `  ${(k === "onePerVideo" ? "one per video (score)" : "by confidence, NMS").padEnd(21)}${[r["R1@0.5"], r["R5@0.5"], r["R1@0.3"], r["R5@0.3"]].map((x) => x.toFixed(2).padStart(7)).join("  ")}  ${r["R1@0.5 any true video"].toFixed(2).padStart(22)}  ${r["R5@0.5 any true video"].toFixed(2).padStart(22)}`;
    }),
  ];
  return out.join("\n");
}

/**
 * A reliability diagram as a PNG: left, share true against mean confidence per equal-width bin
 * (one line per evaluation, the diagonal in gray); right, log10 of each bin's count.
 */
export function reliabilityPng(curves: { bins: readonly ReliabilityBin[]; color: [number, number, number] }[]): Buffer {
  const diagonal: Series = {
    points: [
      [0, 0],
      [1, 1],
    ],
    color: [170, 170, 170],
  };
  const lines: Series[] = curves.map((c) => ({
    points: c.bins.filter((b) => b.count > 0).map((b) => [b.confidence, b.accuracy] as [number, number]),
    color: c.color,
  }));
  const counts: Series[] = curves.map((c) => ({
    points: c.bins.map((b) => [(b.lo + b.hi) / 2, Math.log10(Math.max(b.count, 1))] as [number, number]),
    color: c.color,
  }));
  return renderPanels(
    [
      { series: [diagonal, ...lines] },
      {
        series: [
          {
            points: [
              [0, 0],
              [1, 0],
            ],
            color: [170, 170, 170],
          },
          ...counts,
        ],
      },
    ],
    420,
    360,
  );
}
