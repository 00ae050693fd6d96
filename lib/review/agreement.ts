/**
 * Inter-annotator agreement on spans: for one item, the mean IoU over every pair of its
 * judged spans (accepted or corrected; a rejection has no span); overall, the mean of
 * that over the items with at least two judged spans. IoU is the metrics module's, as
 * everywhere else.
 */
import { iou, type Span } from "@/ml/data/metrics";

/** Mean pairwise IoU (0–1) of `spans`; null with fewer than two. */
export function meanPairwiseIoU(spans: readonly Span[]): number | null {
  if (spans.length < 2) return null;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      sum += iou(spans[i], spans[j]);
      pairs++;
    }
  }
  return sum / pairs;
}

/** Each item's agreement and their mean over the items that have one. */
export function agreementOverall(spansByItem: ReadonlyMap<string, readonly Span[]>): {
  overall: number | null;
  items: number;
  byItem: Map<string, number>;
} {
  const byItem = new Map<string, number>();
  for (const [item, spans] of spansByItem) {
    const a = meanPairwiseIoU(spans);
    if (a !== null) byItem.set(item, a);
  }
  const values = [...byItem.values()];
  return {
    overall: values.length ? values.reduce((s, x) => s + x, 0) / values.length : null,
    items: values.length,
    byItem,
  };
}
