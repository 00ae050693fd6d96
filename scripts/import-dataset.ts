/**
 * npm run import:dataset -- DIR [--annotations FILE] [--format auto|moments|charades|activitynet]
 *                               [--name NAME] [--captions] [--review] [--as EMAIL]
 * Adds every video of a moment dataset to the library and keeps its queries with the
 * dataset. The annotations are DIR/annotations.json (the shared format) unless
 * --annotations names another file (Charades-STA text, ActivityNet Captions JSON), whose
 * videos are the files in DIR/videos (or DIR) named after the video ids.
 * --captions: timed sentences become searchable captions. --review: batch predictions
 * over the queries fill the review queue (they run in the app's workers once the videos
 * are processed). Videos are recorded as added by --as, else the first admin.
 */
import { parseArgs } from "node:util";
import { resolveOwner } from "@/lib/auth/accounts";
import { importDatasetDir } from "@/lib/datasets/import";
import { DATASET_FORMATS, type FormatChoice } from "@/lib/datasets/formats";
import { withCliContext } from "./lib/cli-context";

const usage = `usage: npm run import:dataset -- DIR [--annotations FILE] [--format auto|${DATASET_FORMATS.join("|")}] [--name NAME] [--captions] [--review] [--as EMAIL]`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    annotations: { type: "string" },
    format: { type: "string", default: "auto" },
    name: { type: "string" },
    captions: { type: "boolean", default: false },
    review: { type: "boolean", default: false },
    as: { type: "string" },
  },
});
if (positionals.length !== 1 || !["auto", ...DATASET_FORMATS].includes(values.format!)) {
  console.error(usage);
  process.exit(2);
}
const code = await withCliContext(async (ctx, { ownsDatabase }) => {
  const owner = await resolveOwner(ctx, values.as);
  let failed = 0;
  const r = await importDatasetDir(ctx, positionals[0], {
    annotations: values.annotations,
    format: values.format as FormatChoice,
    name: values.name,
    captions: values.captions,
    review: values.review,
    addedBy: owner?.id ?? null,
    onVideo: (v) => {
      if (v.error) failed++;
      console.log(v.error ? `✗ ${v.datasetId}: ${v.error}` : `${v.created ? "+" : "="} ${v.datasetId} → ${v.videoId}`);
    },
  });
  for (const s of r.skipped) console.log(`  skipped ${s.where}: ${s.reason}`);
  const captions = r.videos.reduce((n, v) => n + v.captions, 0);
  console.log(
    `dataset "${r.dataset.name}" (${r.dataset.id}): ${r.videos.length - failed} videos imported, ${failed} failed; ${r.dataset.queries} queries` +
      (captions ? `, ${captions} captions` : "") +
      (r.batch ? `; batch predictions ${r.batch.id} queued for ${r.batch.total} queries` : ""),
  );
  if (ownsDatabase)
    console.log("start the app (npm start) to process the videos" + (r.batch ? " and run the predictions" : ""));
  return failed ? 1 : 0;
});
process.exit(code);
