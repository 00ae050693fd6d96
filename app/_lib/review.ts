/** Words for the review pages, shared by the dashboard, the item page and the queue. */
import type { ReviewSourceName } from "./api";

export const REVIEW_SOURCES: ReviewSourceName[] = ["flagged", "batch", "described", "imported"];

export const SOURCE_LABELS: Record<ReviewSourceName, string> = {
  flagged: "Flagged from a search",
  batch: "Batch prediction",
  described: "Described by an annotator",
  imported: "Imported dataset",
};

/** A source's label; an unknown one (a newer server) as it is. */
export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source as ReviewSourceName] ?? source;
}
