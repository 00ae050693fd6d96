/**
 * npx tsx ml/experiments/diagnose-relevance-kinds.ts [--data data/shapes/val] [DIR]
 * Where the relevance scorer (default models/relevance, default readout) fails on a rendered
 * Shapes split, from its scenarios.json: R1@0.5 per event kind (moves per direction), the share
 * of spans whose centre falls inside the annotation, and the geometric-mean width ratio
 * predicted / annotated; then the same for events of an object whose colour another object of the
 * video has at t = 0 (the low-level stage gives both one colour slot) against a unique colour;
 * then by wording: sentences that name a colour, and those that name only a shape, per shape
 * (only the shape cues can find those). docs/experiments/005-ensemble-and-readout.md to 007-shape-and-shared-colours.md.
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { initBackend } from "../core/backend";
import { loadCorpus } from "../data/corpus";
import { iou } from "../data/metrics";
import type { SceneEvent, SceneObject } from "../data/shapes/world";
import { clipVectors } from "../encoders";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { relevanceSpans } from "../relevance/readout";
import { tokenScores } from "../relevance/scores";

const { values: a, positionals } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes/val" },
    locvtp: { type: "string", default: "models/locvtp" },
  },
  allowPositionals: true,
});
await initBackend();
const corpus = await loadCorpus(a.data!, { quiet: true });
const scenarios = JSON.parse(readFileSync(path.join(a.data!, "scenarios.json"), "utf8")) as {
  id: string;
  objects: SceneObject[];
  events: SceneEvent[];
}[];
const kindOf = new Map<string, string>();
const colourOf = new Map<string, string>();
const wordingOf = new Map<string, string>();
const COLOUR_WORDS = new Set(["red", "green", "blue", "yellow", "white"]);
for (const s of scenarios) {
  for (const e of s.events) {
    const key = `${s.id}|${e.sentence}|${e.start}`;
    kindOf.set(key, e.kind === "move" ? `move ${e.direction}` : e.kind);
    const obj = s.objects.find((o) => o.id === e.object);
    colourOf.set(
      key,
      !obj
        ? "background"
        : s.objects.filter((o) => o.colour === obj.colour).length > 1
          ? "colour shared"
          : "colour unique",
    );
    const named = e.sentence
      .toLowerCase()
      .split(" ")
      .some((w) => COLOUR_WORDS.has(w));
    wordingOf.set(key, !obj ? "background" : named ? "names a colour" : `shape only: ${obj.shape}`);
  }
}
const loc = (await loadLocVtp(a.locvtp)).model;
const rel = await loadRelevance(positionals[0] ?? "models/relevance");
if (!rel) throw new Error(`no relevance scorer in ${positionals[0] ?? "models/relevance"}`);
const vecs = new Map(corpus.videos.map((v) => [v.id, clipVectors(loc, rel.model, v.feats, v.nClips)]));
type Tally = { n: number; hit: number; centre: number; logWidth: number };
const byKind = new Map<string, Tally>();
const byColour = new Map<string, Tally>();
const byWording = new Map<string, Tally>();
for (const q of corpus.queries) {
  if (q.start === undefined || q.end === undefined) continue;
  const key = `${q.video}|${q.query}|${q.start}`;
  const p = relevanceSpans(
    tokenScores(rel.model, q.query, [vecs.get(q.video)!.map((c) => c.relevance)]),
    corpus.byId.get(q.video)!.duration,
    1,
  )[0];
  if (!p) continue;
  const centre = (p.start + p.end) / 2;
  for (const [table, group] of [
    [byKind, kindOf.get(key) ?? "?"],
    [byColour, colourOf.get(key) ?? "?"],
    [byWording, wordingOf.get(key) ?? "?"],
  ] as const) {
    const t = table.get(group) ?? { n: 0, hit: 0, centre: 0, logWidth: 0 };
    t.n++;
    t.hit += +(iou(p, { start: q.start, end: q.end }) >= 0.5);
    t.centre += +(centre >= q.start && centre <= q.end);
    t.logWidth += Math.log(Math.max(p.end - p.start, 1e-3) / Math.max(q.end - q.start, 1e-3));
    table.set(group, t);
  }
}
console.log(`${positionals[0] ?? "models/relevance"} (${rel.version}) on ${a.data}`);
for (const table of [byKind, byColour, byWording]) {
  console.log(`  ${"group".padEnd(16)} ${"queries".padStart(7)}  R1@0.5  centre in  width`);
  for (const [g, t] of [...table].sort((x, y) => y[1].n - x[1].n)) {
    console.log(
      `  ${g.padEnd(16)} ${String(t.n).padStart(7)}  ${((100 * t.hit) / t.n).toFixed(1).padStart(6)}  ${((100 * t.centre) / t.n).toFixed(1).padStart(9)}  ${Math.exp(t.logWidth / t.n).toFixed(2)}×`,
    );
  }
}
process.exit(0);
