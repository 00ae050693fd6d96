/**
 * npx tsx ml/experiments/variant-factors.ts [--seed 2031] [--videos 80] [--pick 12] [--max-duration 45]
 *     [--out data/shapes-variant-factors] [--models models] [--configs default,variant,without-blur,…]
 *
 * Diagnostic for issue 20, item 3: which of the variant renderer's differences from the training
 * renderer costs the shipped models most? Takes `pick` test videos of the variant test set
 * (seed, videos: as rendered with `npm run data:shapes -- --renderer variant --split-ratios 0,0,1`),
 * the shorter ones first, and renders them again several ways: with the default renderer, with
 * the full variant look, with the variant look minus one factor (`withoutFactor`), and with every
 * factor made plain. Each rendering is evaluated with every method (`ml/eval.ts`, grounding only);
 * the table printed (and written to <out>/results.json) is the relevance scorer's, with the
 * upper bound and sliding windows beside it.
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { loadCorpus } from "@/ml/data/corpus";
import { writeDataset } from "@/ml/data/format";
import { encodeScenario, planShapesDataset, shapesAnnotations } from "@/ml/data/shapes/generate";
import {
  sampleVariantLook,
  VARIANT_FACTORS,
  withoutFactor,
  type VariantFactor,
  type VariantLook,
} from "@/ml/data/shapes/render-variant";
import type { Scenario } from "@/ml/data/shapes/world";
import { evaluate } from "@/ml/eval";
import type { MetricRow } from "@/ml/data/metrics";
import { resolveFfmpeg } from "@/ml/features/ffmpeg";

const { values: a } = parseArgs({
  options: {
    seed: { type: "string", default: "2031" },
    videos: { type: "string", default: "80" },
    pick: { type: "string", default: "12" },
    "max-duration": { type: "string", default: "45" },
    out: { type: "string", default: "data/shapes-variant-factors" },
    models: { type: "string", default: "models" },
    configs: { type: "string" },
  },
});

type Config = { name: string; look: ((sc: Scenario) => VariantLook) | null };
const configs: Config[] = [
  { name: "default", look: null },
  { name: "variant", look: (sc) => sampleVariantLook(sc) },
  ...VARIANT_FACTORS.map((f) => ({
    name: `without-${f}`,
    look: (sc: Scenario) => withoutFactor(sampleVariantLook(sc), f, sc),
  })),
  {
    name: "plain",
    look: (sc: Scenario) =>
      VARIANT_FACTORS.filter((f) => f !== "antialias").reduce(
        (l, f: VariantFactor) => withoutFactor(l, f, sc),
        sampleVariantLook(sc),
      ),
  },
];
const wanted = a.configs?.split(",");
const run = wanted ? configs.filter((c) => wanted.includes(c.name)) : configs;

const plan = planShapesDataset({ videos: Number(a.videos), seed: Number(a.seed), splitRatios: [0, 0, 1] });
const picked = plan.test.filter((v) => v.scenario.duration <= Number(a["max-duration"])).slice(0, Number(a.pick));
const ffmpeg = resolveFfmpeg().ffmpeg;
await initBackend();
const resultsFile = path.join(a.out!, "results.json");
const results: Record<string, unknown> = existsSync(resultsFile)
  ? (JSON.parse(await fs.readFile(resultsFile, "utf8")) as Record<string, unknown>)
  : {};
const fmt = (x: number | undefined) => (x ?? NaN).toFixed(2).padStart(6);
console.log(
  `${picked.length} videos, ${picked.reduce((n, v) => n + v.scenario.events.length, 0)} queries: ${picked.map((v) => v.id).join(", ")}`,
);
for (const c of run) {
  const dir = path.join(a.out!, c.name, "test");
  await writeDataset(dir, shapesAnnotations(picked, `variant factors: ${c.name}`));
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < picked.length) {
      const v = picked[next++];
      const file = path.join(dir, v.file);
      if (existsSync(file)) continue;
      await encodeScenario(v.scenario, file, {
        ffmpeg,
        renderer: c.look ? "variant" : "default",
        variantLook: c.look?.(v.scenario),
      });
    }
  };
  await Promise.all([worker(), worker()]);
  const rendered = (Date.now() - t0) / 1000;
  const corpus = await loadCorpus(dir, { quiet: true });
  const r = await evaluate(corpus, { models: a.models, groundingOnly: true });
  results[c.name] = { queries: r.queries, methods: r.methods, renderSeconds: rendered };
  await fs.writeFile(resultsFile, JSON.stringify(results, null, 1) + "\n");
  const row = (m: string) => {
    const x = r.methods[m] as MetricRow | undefined;
    return `${fmt(x?.["R1@0.3"])} ${fmt(x?.["R1@0.5"])} ${fmt(x?.["R1@0.7"])} ${fmt(x?.mIoU)}`;
  };
  console.log(
    `${c.name.padEnd(20)} relevance ${row("relevance_scores")} | upper bound ${row("upper_bound_supervised")} | sliding ${row("sliding_window_locvtp")}  (${r.queries} q, render ${rendered.toFixed(0)}s)`,
  );
}
