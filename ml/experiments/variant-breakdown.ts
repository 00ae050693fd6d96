/**
 * npx tsx ml/experiments/variant-breakdown.ts --variant data/shapes-variant/test
 *     --default data/shapes-2031-default/test [--models models] [--grounder upper-bound]
 *
 * Diagnostic for issue 20, item 3: the same scenarios rendered by both renderers (`npm run
 * data:shapes -- --split-ratios 0,0,1 --seed S`, once with `--renderer variant`), so every query
 * is paired. Grounds every query in its own video on both renderings with the relevance scorer
 * (and the upper bound with `--grounder upper-bound`), and prints R1@0.5 / mIoU on each and their
 * difference, grouped by each of the variant's per-video choices (codec, texture, blur kind,
 * noise level, dead pixels, frame rate, size, camera drift, the queried object's fill) and by
 * event kind: which variant factor costs the most, measured without rendering anything again.
 * The overall differences get a 95 % interval from a bootstrap over videos (2000 resamples).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { Rng } from "@/ml/core/rng";
import { loadCorpus, type Corpus } from "@/ml/data/corpus";
import { iou } from "@/ml/data/metrics";
import type { VariantLook } from "@/ml/data/shapes/render-variant";
import type { Scenario } from "@/ml/data/shapes/world";
import { clipVectors } from "@/ml/encoders";
import { cplGrounder } from "@/ml/grounders/cpl";
import { BASELINE_DIRS, loadTrainedCpl } from "@/ml/grounders/registry";
import { relevanceGrounder } from "@/ml/grounders/relevance";
import { loadLocVtp } from "@/ml/locvtp/load";
import { loadRelevance } from "@/ml/relevance/load";
import type { Grounder } from "@/ml/types";

const { values: a } = parseArgs({
  options: {
    variant: { type: "string", default: "data/shapes-variant/test" },
    default: { type: "string", default: "data/shapes-2031-default/test" },
    models: { type: "string", default: "models" },
    grounder: { type: "string" },
  },
});
await initBackend();
const mdir = a.models!;
const loc = await loadLocVtp(path.join(mdir, "locvtp"));
const rel = await loadRelevance(path.join(mdir, "relevance"));
if (!rel) throw new Error(`no relevance scorer in ${mdir}`);
const grounders: [string, Grounder][] = [["relevance", relevanceGrounder(rel, null)]];
if (a.grounder === "upper-bound") {
  const g = await loadTrainedCpl(path.join(mdir, BASELINE_DIRS["upper-bound"]), mdir);
  if (g) grounders.push(["upper-bound", cplGrounder("upper-bound", g, "vote")]);
}

/** top-1 IoU per query (in the corpus's query order) for each grounder */
function ious(c: Corpus): Record<string, number[]> {
  const emb = new Map(c.videos.map((v) => [v.id, clipVectors(loc.model, rel!.model, v.feats, v.nClips)]));
  const out: Record<string, number[]> = {};
  for (const [name, g] of grounders) {
    out[name] = c.queries.map((q) => {
      const v = c.byId.get(q.video)!;
      const s = g.ground(q.query, [{ clips: emb.get(v.id)!, durationSeconds: v.duration }], { topK: 1 })[0].spans[0];
      return s ? iou({ start: q.start!, end: q.end! }, s) : 0;
    });
  }
  return out;
}

const variant = await loadCorpus(a.variant!, { quiet: true });
const plain = await loadCorpus(a.default!, { quiet: true });
const key = (q: { video: string; query: string; start?: number }) => `${q.video}|${q.query}|${q.start}`;
const pIdx = new Map(plain.queries.map((q, i) => [key(q), i]));
const iv = ious(variant);
const ip = ious(plain);
const scenarios = new Map(
  (
    JSON.parse(readFileSync(path.join(a.variant!, "scenarios.json"), "utf8")) as (Scenario & {
      id: string;
      variantLook: VariantLook;
    })[]
  ).map((s) => [s.id, s]),
);

/** The variant's choices for one query, as factor → level. */
function levels(q: Corpus["queries"][number]): Record<string, string> {
  const sc = scenarios.get(q.video)!;
  const l = sc.variantLook;
  const ev = sc.events.find((e) => e.sentence === q.query && Math.abs(e.start - q.start!) < 1e-6);
  const drift = Math.max(
    Math.abs(l.camera.pan[0]),
    Math.abs(l.camera.pan[1]),
    Math.abs(l.camera.zoom[1] - l.camera.zoom[0]),
  );
  return {
    codec: l.codec.name,
    texture: l.texture.kind,
    "texture amplitude": l.texture.amplitude >= 15 ? "15–22" : "8–14",
    blur: l.blur[0] === l.blur[1] ? "gaussian-like" : "motion",
    "blur radius": Math.max(...l.blur) >= 2 ? ">= 2 px @240" : "< 2 px @240",
    "noise max sigma": l.noise.sigma[1] > 8 ? "9–13" : "4–8",
    "salt and pepper": l.noise.saltPepper > 0 ? "yes" : "no",
    fps: l.fps <= 9 ? "8–9" : l.fps <= 18 ? "14–18" : "29.97",
    size: l.height <= 156 ? "<= 208x156" : l.height <= 300 ? "288x216–480x270" : ">= 544x408",
    "camera drift": drift >= 0.05 ? ">= 0.05" : drift >= 0.025 ? "0.025–0.05" : "< 0.025",
    "object fill": ev?.object == null ? "(background)" : (l.fills[ev.object]?.kind ?? "?"),
    "event kind": ev?.kind ?? "?",
  };
}

type Acc = { n: number; hitP: number; hitV: number; iouP: number; iouV: number };
const groups = new Map<string, Map<string, Record<string, Acc>>>();
const total: Record<string, Acc> = {};
variant.queries.forEach((q, i) => {
  const j = pIdx.get(key(q));
  if (j === undefined) return;
  for (const [f, lv] of Object.entries({ all: "all", ...levels(q) })) {
    if (!groups.has(f)) groups.set(f, new Map());
    const g = groups.get(f)!;
    if (!g.has(lv)) g.set(lv, {});
    for (const [name] of grounders) {
      const acc = (g.get(lv)![name] ??= { n: 0, hitP: 0, hitV: 0, iouP: 0, iouV: 0 });
      acc.n++;
      acc.hitP += ip[name][j] >= 0.5 ? 1 : 0;
      acc.hitV += iv[name][i] >= 0.5 ? 1 : 0;
      acc.iouP += ip[name][j];
      acc.iouV += iv[name][i];
      if (f === "all") total[name] = acc;
    }
  }
});

const pct = (x: number, n: number) => ((100 * x) / n).toFixed(2).padStart(6);
for (const [name] of grounders) {
  console.log(`\n${name}: R1@0.5 and mIoU, default renderer → variant (same scenarios, paired queries)`);
  console.log(`${"factor".padEnd(18)} ${"level".padEnd(18)} queries  R1@0.5 def  var     Δ   | mIoU def  var     Δ`);
  for (const [f, g] of groups)
    for (const [lv, r] of [...g].sort()) {
      const x = r[name];
      console.log(
        `${f.padEnd(18)} ${lv.padEnd(18)} ${String(x.n).padStart(7)}  ${pct(x.hitP, x.n)} ${pct(x.hitV, x.n)} ${pct(x.hitV - x.hitP, x.n)} | ${pct(x.iouP, x.n)} ${pct(x.iouV, x.n)} ${pct(x.iouV - x.iouP, x.n)}`,
      );
    }
}

/** 95 % bootstrap interval over videos (queries of a video resampled together) of the mean paired difference. */
function bootstrap(diffs: { video: string; d: number }[], resamples = 2000): [number, number] {
  const byVideo = new Map<string, number[]>();
  for (const x of diffs) byVideo.set(x.video, [...(byVideo.get(x.video) ?? []), x.d]);
  const vids = [...byVideo.values()];
  const rng = new Rng(2031);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    let n = 0;
    for (let k = 0; k < vids.length; k++) {
      const v = vids[Math.floor(rng.next() * vids.length)];
      for (const d of v) sum += d;
      n += v.length;
    }
    means.push(sum / n);
  }
  means.sort((p, q) => p - q);
  return [means[Math.floor(0.025 * resamples)], means[Math.floor(0.975 * resamples)]];
}

console.log("\nPaired difference variant − default over all queries, 95 % bootstrap interval over videos:");
for (const [name] of grounders) {
  const hits: { video: string; d: number }[] = [];
  const mious: { video: string; d: number }[] = [];
  variant.queries.forEach((q, i) => {
    const j = pIdx.get(key(q));
    if (j === undefined) return;
    hits.push({ video: q.video, d: 100 * ((iv[name][i] >= 0.5 ? 1 : 0) - (ip[name][j] >= 0.5 ? 1 : 0)) });
    mious.push({ video: q.video, d: 100 * (iv[name][i] - ip[name][j]) });
  });
  const mean = (xs: { d: number }[]) => xs.reduce((t, x) => t + x.d, 0) / xs.length;
  const [h0, h1] = bootstrap(hits);
  const [m0, m1] = bootstrap(mious);
  console.log(
    `${name.padEnd(12)} R1@0.5 ${mean(hits).toFixed(2)} [${h0.toFixed(2)}, ${h1.toFixed(2)}]   mIoU ${mean(mious).toFixed(2)} [${m0.toFixed(2)}, ${m1.toFixed(2)}]`,
  );
}
