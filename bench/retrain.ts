/**
 * npm run bench:retrain -- --dataset DIR --models DIR [--base models] [--kind bounce|shake]
 *                          [--method NAME] [--min-gain 10] [--max-loss 3] [--out result.json]
 *
 * Issue 22's measurement (docs/experiments/022-library-retraining.md): a version retrained from
 * a library against the one it started from (default: the shipped `models/`), on held-out
 * videos of a moment dataset, with the queries split by the event kind they name (the Shapes
 * grammar's parseSentence): the new kind (default `bounce`, or `shake`: extra kinds the shipped
 * models never saw) and the old ones (every other kind the queries name, so with a library of
 * both extra kinds, the other one too). Prints R1@0.3/0.5/0.7 and mIoU of the default method's
 * best span (or --method's, e.g. `relevance`: the scorer's own spans) for both versions
 * (ml/finetune/evaluate.ts, what the training job and the activation gate use), their difference
 * in points and their ratio (retrained / base, so the verdict does not depend on the machine).
 * Exit code 1 when R1@0.5 on the new kind gains less than --min-gain points or on the old kinds
 * loses more than --max-loss points (the margins the experiment states).
 *
 * The retraining itself is not part of the bench (minutes of rendering, ingestion and training
 * on this machine): the experiment's note says how to make the version it reads.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus } from "../ml/data/corpus";
import { EXTRA_EVENT_KINDS, EVENT_KINDS, parseSentence } from "../ml/data/shapes/world";
import { evaluateModels, type GroundingScores, type SpanQuery } from "../ml/finetune/evaluate";
import { parseGroundMethod } from "../ml/grounders/registry";
import { GROUND_METHODS } from "../ml/types";
import { corpusOptions, initMlBackend, mlConfig } from "../scripts/lib/ml";

const { values: a } = parseArgs({
  options: {
    dataset: { type: "string" },
    models: { type: "string" },
    base: { type: "string" },
    kind: { type: "string", default: "bounce" },
    method: { type: "string" },
    "min-gain": { type: "string", default: "10" },
    "max-loss": { type: "string", default: "3" },
    out: { type: "string" },
  },
});
const usage = `usage: npm run bench:retrain -- --dataset DIR --models DIR [--base models] [--kind ${EXTRA_EVENT_KINDS.join("|")}] [--method NAME] [--min-gain 10] [--max-loss 3] [--out FILE]`;
if (!a.dataset || !a.models) {
  console.error(usage);
  process.exit(2);
}
const kinds: readonly string[] = [...EVENT_KINDS, ...EXTRA_EVENT_KINDS];
if (!kinds.includes(a.kind!)) {
  console.error(`--kind: "${a.kind}" is not one of ${kinds.join(", ")}`);
  process.exit(2);
}
const method = a.method === undefined ? undefined : parseGroundMethod(a.method);
if (a.method !== undefined && !method) {
  console.error(`--method: "${a.method}" is not one of ${GROUND_METHODS.join(", ")}`);
  process.exit(2);
}
const minGain = Number(a["min-gain"]);
const maxLoss = Number(a["max-loss"]);
if (!Number.isFinite(minGain) || !Number.isFinite(maxLoss)) {
  console.error(usage);
  process.exit(2);
}

await initMlBackend();
const corpus = await loadCorpus(a.dataset, { quiet: true, ...corpusOptions() });
const spans: (SpanQuery & { kind: string | null })[] = corpus.queries
  .filter((q) => q.start !== undefined && q.end !== undefined)
  .map((q) => ({
    video: q.video,
    sentence: q.query,
    start: q.start!,
    end: q.end!,
    kind: parseSentence(q.query)?.kind ?? null,
  }));
const groups = {
  [`new kind (${a.kind})`]: spans.filter((q) => q.kind === a.kind),
  "old kinds": spans.filter((q) => q.kind !== null && q.kind !== a.kind),
};
const base = a.base ?? mlConfig().modelsDir;
const versions = { base: path.resolve(base), retrained: path.resolve(a.models) };

type Row = { group: string; version: string; models: string; method: string; scores: GroundingScores };
const rows: Row[] = [];
for (const [group, qs] of Object.entries(groups))
  for (const [version, dir] of Object.entries(versions)) {
    const r = await evaluateModels(dir, corpus.videos, { annotated: qs, heldOut: [], method });
    rows.push({ group, version, models: r.version, method: r.method, scores: r.annotated });
  }

const METRICS = ["r1_03", "r1_05", "r1_07", "miou"] as const;
const fmt = (x: number | null, d = 2) => (x === null ? "—" : x.toFixed(d));
const line = (cells: string[], widths: number[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
const widths = [22, 10, 5, 8, 8, 8, 8];
console.log(
  `\n${corpus.videos.length} held-out videos of ${a.dataset}; method ${rows[0].method}; base ${versions.base}, retrained ${versions.retrained}`,
);
console.log(line(["queries", "version", "n", "R1@0.3", "R1@0.5", "R1@0.7", "mIoU"], widths));
for (const r of rows)
  console.log(line([r.group, r.version, String(r.scores.n), ...METRICS.map((m) => fmt(r.scores[m]))], widths));
console.log(line(["", "Δ points", "", "", "", "", ""], widths));
const verdict: Record<string, { delta: Record<string, number | null>; ratio: Record<string, number | null> }> = {};
for (const group of Object.keys(groups)) {
  const b = rows.find((r) => r.group === group && r.version === "base")!.scores;
  const t = rows.find((r) => r.group === group && r.version === "retrained")!.scores;
  const delta = Object.fromEntries(
    METRICS.map((m) => [m, b[m] === null || t[m] === null ? null : Math.round((t[m]! - b[m]!) * 100) / 100]),
  );
  // ratios keep the bench's verdict independent of the machine and of the queries' count
  const ratio = Object.fromEntries(
    METRICS.map((m) => [m, b[m] === null || t[m] === null || b[m] === 0 ? null : t[m]! / b[m]!]),
  );
  verdict[group] = { delta, ratio };
  console.log(line([group, "Δ", "", ...METRICS.map((m) => fmt(delta[m]))], widths));
  console.log(line([group, "ratio", "", ...METRICS.map((m) => fmt(ratio[m], 3))], widths));
}
const [newGroup, oldGroup] = Object.keys(groups);
const gain = verdict[newGroup].delta.r1_05;
const loss = verdict[oldGroup].delta.r1_05;
const ok = gain !== null && gain >= minGain && (loss === null || loss >= -maxLoss);
console.log(
  `\nR1@0.5: ${fmt(gain)} points on the new kind (needs ≥ +${minGain}), ${fmt(loss)} on the old kinds (needs ≥ −${maxLoss}): ${ok ? "met" : "NOT met"}`,
);
if (a.out) writeFileSync(a.out, JSON.stringify({ dataset: a.dataset, versions, rows, verdict, ok }, null, 1) + "\n");
process.exit(ok ? 0 : 1);
