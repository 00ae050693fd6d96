/**
 * npx tsx scripts/pack-features.ts DATASET_DIR...
 * Writes each dataset's low-level features into one compressed pack beside its
 * annotations.json (ml/data/feature-pack.ts), so training can run where the videos are not.
 */
import { statSync } from "node:fs";
import { CLIP_SPEC } from "@/ml/config";
import { loadCorpus } from "@/ml/data/corpus";
import { writeFeaturePack } from "@/ml/data/feature-pack";

for (const dir of process.argv.slice(2)) {
  const c = await loadCorpus(dir, { quiet: true });
  const file = writeFeaturePack(dir, CLIP_SPEC, c.videos);
  console.log(`${dir}: ${c.videos.length} videos → ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
}
