/**
 * npx tsx scripts/sweep-relevance-readout.ts [--data data/shapes/val] [DIR ...]
 * How the relevance scorer's readout threshold (relevanceSpans: the run around a peak above
 * min + t·(peak − min)) trades off, per scorer folder (default models/relevance): R1@0.5 / mIoU /
 * R5@0.5 on a split with timestamps, for t = 0.6 … 0.9. The shipped RELEVANCE_THRESHOLD was
 * chosen this way on val (docs/models.md § Diagnostics, fourth session).
 */
import { parseArgs } from "node:util";
import { initBackend } from "../ml/backend";
import { loadCorpus } from "../ml/train/corpus";
import { clipVectors, loadLocVtp, loadRelevance, relevanceScores } from "../ml/index";
import { relevanceSpans } from "../ml/models/relevance";
import { evaluateGrounding } from "../ml/data/metrics";

const { values: a, positionals } = parseArgs({ options: { data: { type: "string", default: "data/shapes/val" }, locvtp: { type: "string", default: "models/locvtp" } }, allowPositionals: true });
await initBackend();
const corpus = await loadCorpus(a.data!, { quiet: true });
const loc = (await loadLocVtp(a.locvtp)).model;
const qs = corpus.queries.filter((q) => q.start !== undefined && q.end !== undefined);
for (const dir of positionals.length ? positionals : ["models/relevance"]) {
  const rel = await loadRelevance(dir);
  if (!rel) {
    console.error(`no relevance scorer in ${dir}`);
    continue;
  }
  const D = loc.cfg.clip.outDim;
  const vecs = new Map(corpus.videos.map((v) => [v.id, clipVectors(loc, rel.model, v.feats, v.nClips)]));
  const scores = qs.map((q) => relevanceScores(rel.model, q.query, [vecs.get(q.video)!], D));
  console.log(`${dir} (${rel.version}), ${qs.length} queries of ${a.data}`);
  for (const t of [0.6, 0.7, 0.75, 0.8, 0.85, 0.9]) {
    const m = evaluateGrounding(qs.map((q, i) => ({ gt: { start: q.start!, end: q.end! }, predictions: relevanceSpans(scores[i], corpus.byId.get(q.video)!.duration, 5, t) })));
    console.log(`  threshold ${t.toFixed(2)}: R1@0.5 ${m["R1@0.5"].toFixed(2)}  mIoU ${m.mIoU.toFixed(2)}  R5@0.5 ${m["R5@0.5"].toFixed(2)}`);
  }
}
process.exit(0);
