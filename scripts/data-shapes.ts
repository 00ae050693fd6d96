/**
 * Generates the Shapes corpus (datasets.md §3) in the moment-dataset format.
 *
 *   npm run data:shapes -- --out data/shapes --videos 800 --seed 1 [--split-ratios 0.8,0.1,0.1]
 *                          [--concurrency 2] [--crf 24] [--min-duration 10 --max-duration 90]
 *                          [--annotations-only] [--render-splits val,test] [--no-resume] [--event-kinds +bounce,+shake]
 *                          [--renderer default|variant]
 *                          [--bounce-seconds 1,3]
 *
 * --event-kinds +KIND,…: event kinds beyond the shipped world's (EXTRA_EVENT_KINDS: bounce, which
 * hops up and lands; shake, which wobbles side to side and ends where it started), for libraries
 * the shipped models never saw; without it the corpus renders exactly as before, and +bounce alone
 * plans as it did before shake existed. The order of the kinds does not matter.
 * --bounce-seconds MIN,MAX: how long a bounce lasts (default 1,3).
 *
 * --renderer variant: draw the same scenarios with render-variant.ts (textures, real blur, per-channel
 * and salt-and-pepper noise, camera drift, supersampled edges, its own codecs, frame rates and sizes),
 * a rendering no shipped model trained on; the default renderer's output is unchanged.
 *
 * Re-running with the same arguments keeps finished videos and renders the rest.
 */
import { parseArgs } from "node:util";
import { ffmpegBinaries } from "@/lib/media/ffmpeg";
import {
  SHAPES_RENDERERS,
  SPLITS,
  generateShapesDataset,
  type ShapesRenderer,
  type SplitName,
} from "@/ml/data/shapes/generate";
import { EXTRA_EVENT_KINDS, type ExtraEventKind } from "@/ml/data/shapes/vocabulary";

function fail(msg: string): never {
  console.error(`data:shapes: ${msg}`);
  process.exit(2);
}

function int(name: string, v: string | undefined, def?: number): number {
  if (v === undefined) {
    if (def === undefined) fail(`--${name} is required`);
    return def;
  }
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

function num(name: string, v: string | undefined, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${v}"`);
  return n;
}

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    videos: { type: "string" },
    seed: { type: "string" },
    "split-ratios": { type: "string" },
    concurrency: { type: "string" },
    crf: { type: "string" },
    "min-duration": { type: "string" },
    "max-duration": { type: "string" },
    "annotations-only": { type: "boolean", default: false },
    "render-splits": { type: "string" },
    "no-resume": { type: "boolean", default: false },
    "event-kinds": { type: "string" },
    renderer: { type: "string" },
    "bounce-seconds": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(
    "usage: npm run data:shapes -- --out DIR --videos N --seed S [--split-ratios 0.8,0.1,0.1]\n" +
      "       [--concurrency 2] [--crf 24] [--min-duration 10] [--max-duration 90] [--annotations-only] [--render-splits val,test] [--no-resume]\n" +
      `       [--event-kinds +${EXTRA_EVENT_KINDS.join(",+")}]  (extra event kinds the shipped models never saw; any of them)\n` +
      "       [--bounce-seconds 1,3]  (how long a bounce lasts)\n" +
      `       [--renderer ${SHAPES_RENDERERS.join("|")}]  (variant: an independent renderer no shipped model trained on)`,
  );
  process.exit(0);
}
if (!values.out) fail("--out is required");
const renderer = (values.renderer ?? "default") as ShapesRenderer;
if (!(SHAPES_RENDERERS as readonly string[]).includes(renderer))
  fail(`--renderer must be one of ${SHAPES_RENDERERS.join(", ")}, got "${values.renderer}"`);

let splitRatios: [number, number, number] = [0.8, 0.1, 0.1];
if (values["split-ratios"]) {
  const r = values["split-ratios"].split(",").map(Number);
  if (r.length !== 3 || r.some((x) => !Number.isFinite(x) || x < 0) || r[0] + r[1] + r[2] <= 0) {
    fail(`--split-ratios must be three non-negative numbers like 0.8,0.1,0.1, got "${values["split-ratios"]}"`);
  }
  splitRatios = [r[0], r[1], r[2]];
}
const minD = num("min-duration", values["min-duration"], 10);
const maxD = num("max-duration", values["max-duration"], 90);
if (maxD < minD) fail("--max-duration must be >= --min-duration");

function renderSplits(v: string | undefined): SplitName[] | undefined {
  if (v === undefined) return undefined;
  const names = v.split(",").map((x) => x.trim());
  for (const n of names) if (!(SPLITS as readonly string[]).includes(n)) fail(`--render-splits: unknown split "${n}"`);
  return names as SplitName[];
}

/** "+bounce" or "+bounce,+…": the shipped kinds plus these (removing shipped kinds is not offered). */
function extraKinds(v: string | undefined): ExtraEventKind[] {
  if (v === undefined) return [];
  const kinds = v.split(",").map((x) => x.trim());
  for (const k of kinds)
    if (!k.startsWith("+") || !(EXTRA_EVENT_KINDS as readonly string[]).includes(k.slice(1)))
      fail(`--event-kinds: "${k}" is not one of ${EXTRA_EVENT_KINDS.map((x) => `+${x}`).join(", ")}`);
  return [...new Set(kinds.map((k) => k.slice(1) as ExtraEventKind))];
}

/** "3,6": a bounce's shortest and longest duration in seconds (default 1,3). */
function bounceSeconds(v: string | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  const [lo, hi] = v.split(",").map(Number);
  if (!(lo > 0 && hi >= lo && v.split(",").length === 2))
    fail(`--bounce-seconds must be two numbers MIN,MAX with 0 < MIN <= MAX, got "${v}"`);
  return [lo, hi];
}

const videos = int("videos", values.videos);
const seed = int("seed", values.seed);
const t0 = Date.now();
const result = await generateShapesDataset({
  out: values.out,
  videos,
  seed,
  splitRatios,
  scenario: {
    durationRange: [minD, maxD],
    extraKinds: extraKinds(values["event-kinds"]),
    bounceSeconds: bounceSeconds(values["bounce-seconds"]),
  },
  concurrency: int("concurrency", values.concurrency, 2),
  crf: values.crf === undefined ? undefined : int("crf", values.crf),
  renderer,
  render: !values["annotations-only"],
  renderSplits: renderSplits(values["render-splits"]),
  // The app's resolver, so the corpus is encoded by the same binary the product uses.
  ffmpegPath: values["annotations-only"] ? undefined : ffmpegBinaries().ffmpeg,
  resume: !values["no-resume"],
  onProgress: (p) => {
    // One line every ~2 % (plus the last): readable both on a terminal and in a log file.
    const step = Math.max(1, Math.round(p.total / 50));
    if (p.done % step === 0 || p.done === p.total) {
      const el = (Date.now() - t0) / 1000;
      const eta = (el / p.done) * (p.total - p.done);
      console.log(
        `[${p.done}/${p.total}] ${p.split}/${p.id}${p.skipped ? " (exists)" : ` ${p.frames} frames ${p.seconds.toFixed(1)}s`}  elapsed ${el.toFixed(0)}s eta ${eta.toFixed(0)}s`,
      );
    }
  },
});
for (const [split, s] of Object.entries(result.splits))
  console.log(`${split}: ${s.videos} videos, ${s.queries} queries -> ${s.dir}`);
console.log(
  `rendered ${result.rendered} videos (${result.frames} frames), kept ${result.skipped} existing, in ${result.seconds.toFixed(1)}s`,
);
