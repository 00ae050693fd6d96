/**
 * npm run export:dataset -- OUT [--status accepted,corrected[,rejected]]
 * Writes what annotators decided as a moment dataset folder (shared/datasets.md §1):
 * OUT/annotations.json with one query per decision (the annotator's span, the prediction
 * it judged, the model version, the annotator) and OUT/videos/ (hard links, or copies
 * across file systems). `npm run eval -- --dataset OUT` measures on it.
 */
import { parseArgs } from "node:util";
import { parseExportStatuses, writeExport } from "@/lib/datasets/export";
import { withCliContext } from "./lib/cli-context";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { status: { type: "string" } } });
if (positionals.length !== 1) {
  console.error("usage: npm run export:dataset -- OUT [--status accepted,corrected,rejected]");
  process.exit(2);
}
const code = await withCliContext(async (ctx) => {
  const doc = await writeExport(ctx, positionals[0], parseExportStatuses(values.status));
  console.log(`wrote ${doc.queries.length} queries over ${doc.videos.length} videos to ${positionals[0]}`);
  return 0;
});
process.exit(code);
