/**
 * Writes a Shapes corpus in the moment-dataset format (datasets.md §1):
 *   <out>/{train,val,test}/annotations.json
 *   <out>/{train,val,test}/scenarios.json   (the exact scenarios, for re-rendering/debugging)
 *   <out>/{train,val,test}/videos/<id>.mp4
 *
 * Video i of seed S is sampled from hashSeed(S, i) alone, and a video belongs to exactly
 * one split, so a model is never evaluated on a video it trained on.
 */
import { spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { resolveFfmpeg } from "../../features/ffmpeg";
import { writeDataset, type MomentDataset } from "../format";
import { renderFrame } from "./render";
import { renderVariantFrame, sampleVariantLook, variantCodecArgs, type VariantLook } from "./render-variant";
import { hashSeed, Rng } from "../../core/rng";
import { sampleScenario, type Scenario, type ScenarioOptions } from "./world";

export const SPLITS = ["train", "val", "test"] as const;
/**
 * "default": render.ts, the renderer every shipped model trained on. "variant":
 * render-variant.ts, an independent renderer (textures, noise, blur, codec, camera drift,
 * anti-aliasing, frame rates and sizes of its own) for testing on pixels never trained on.
 */
export const SHAPES_RENDERERS = ["default", "variant"] as const;
export type ShapesRenderer = (typeof SHAPES_RENDERERS)[number];
export type SplitName = (typeof SPLITS)[number];

export interface PlannedVideo {
  id: string;
  split: SplitName;
  /** relative to the split folder */
  file: string;
  scenario: Scenario;
}

export interface PlanOptions {
  videos: number;
  seed: number;
  /** train/val/test fractions (normalised; default 0.8, 0.1, 0.1) */
  splitRatios?: readonly [number, number, number];
  scenario?: ScenarioOptions;
}

export interface GenerateShapesOptions extends PlanOptions {
  /** output folder (created) */
  out: string;
  /** false: write annotations only, no video files (fast) */
  render?: boolean;
  /** render only these splits' videos (every split's annotations are still written); default all */
  renderSplits?: readonly SplitName[];
  /** parallel ffmpeg encoders (default: 2) */
  concurrency?: number;
  /** skip videos whose .mp4 already exists (default true) */
  resume?: boolean;
  /** x264 constant rate factor (default 24; the variant renderer picks its own codec and quality) */
  crf?: number;
  /** which renderer draws the pixels (default "default"); the scenarios and annotations are the same */
  renderer?: ShapesRenderer;
  /** ffmpeg binary; the app passes lib/media/ffmpeg.ts's choice (the configured one). Default: resolveFfmpeg()'s */
  ffmpegPath?: string;
  onProgress?: (p: GenerateProgress) => void;
  signal?: AbortSignal;
}

export interface GenerateProgress {
  done: number;
  total: number;
  id: string;
  split: SplitName;
  /** true when the file already existed (resume) */
  skipped: boolean;
  frames: number;
  /** seconds spent on this video */
  seconds: number;
}

export interface GenerateShapesResult {
  out: string;
  /** splits with a zero ratio are neither written nor listed */
  splits: Partial<Record<SplitName, { dir: string; videos: number; queries: number }>>;
  rendered: number;
  skipped: number;
  frames: number;
  seconds: number;
}

/** Video counts per split by largest remainder; val/test get at least one when possible. */
export function splitCounts(n: number, ratios: readonly [number, number, number]): [number, number, number] {
  if (ratios.some((r) => !(r >= 0)) || ratios.every((r) => r === 0))
    throw new Error(`bad split ratios ${ratios.join(",")}`);
  const sum = ratios[0] + ratios[1] + ratios[2];
  const exact = ratios.map((r) => (n * r) / sum);
  const counts = exact.map(Math.floor) as [number, number, number];
  const order = [0, 1, 2].sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let k = 0, left = n - counts[0] - counts[1] - counts[2]; left > 0; k++, left--) counts[order[k % 3]]++;
  for (const i of [1, 2]) {
    if (ratios[i] > 0 && counts[i] === 0) {
      const donor = [0, 1, 2].filter((j) => j !== i).sort((a, b) => counts[b] - counts[a])[0];
      if (counts[donor] > 1) {
        counts[donor]--;
        counts[i]++;
      }
    }
  }
  return counts;
}

export function shapesVideoId(seed: number, index: number): string {
  return `shapes-${seed}-${String(index).padStart(5, "0")}`;
}

/** Pure planning step: which scenario goes to which split. Deterministic in the options. */
export function planShapesDataset(opts: PlanOptions): Record<SplitName, PlannedVideo[]> {
  const { videos: n, seed } = opts;
  if (!Number.isInteger(n) || n < 0) throw new Error(`videos must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);
  const counts = splitCounts(n, opts.splitRatios ?? [0.8, 0.1, 0.1]);
  const order = Rng.hashed(hashSeed(seed, 0x5b117)).shuffle([...Array(n).keys()]);
  const plan: Record<SplitName, PlannedVideo[]> = { train: [], val: [], test: [] };
  let k = 0;
  SPLITS.forEach((split, si) => {
    const indices = order.slice(k, k + counts[si]).sort((a, b) => a - b);
    k += counts[si];
    for (const i of indices) {
      const id = shapesVideoId(seed, i);
      plan[split].push({
        id,
        split,
        file: `videos/${id}.mp4`,
        scenario: sampleScenario(hashSeed(seed, i), opts.scenario),
      });
    }
  });
  return plan;
}

/** The annotations.json content of one split: one query per event, captions per video. */
export function shapesAnnotations(videos: readonly PlannedVideo[], name: string): MomentDataset {
  return {
    name,
    videos: videos.map((v) => ({
      id: v.id,
      file: v.file,
      duration: Math.round(v.scenario.duration * 1000) / 1000,
      captions: v.scenario.events.map((e) => e.sentence),
    })),
    queries: videos.flatMap((v) =>
      v.scenario.events.map((e) => ({ video: v.id, query: e.sentence, start: e.start, end: e.end })),
    ),
  };
}

export interface EncodeOptions {
  ffmpeg: string;
  crf?: number;
  /** default "default"; "variant" renders with render-variant.ts at its look's codec */
  renderer?: ShapesRenderer;
  /** the variant renderer's look (default: sampleVariantLook(scenario)) */
  variantLook?: VariantLook;
  /** defaults: the scenario's own size and frame rate (the variant look's for the variant renderer) */
  width?: number;
  height?: number;
  fps?: number;
  signal?: AbortSignal;
}

/**
 * Renders a scenario and pipes raw rgb24 frames into ffmpeg (H.264, yuv420p, faststart).
 * Writes to a temporary name and renames on success, so a file that exists is complete.
 * Returns the number of frames written.
 */
export async function encodeScenario(sc: Scenario, file: string, opts: EncodeOptions): Promise<number> {
  const variant = opts.renderer === "variant" ? (opts.variantLook ?? sampleVariantLook(sc)) : null;
  const width = opts.width ?? variant?.width ?? sc.width;
  const height = opts.height ?? variant?.height ?? sc.height;
  const fps = opts.fps ?? variant?.fps ?? sc.fps;
  const frames = Math.max(1, Math.round(sc.duration * fps));
  const tmp = `${file}.partial`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "rawvideo",
    "-pix_fmt",
    "rgb24",
    "-s",
    `${width}x${height}`,
    "-r",
    String(fps),
    "-i",
    "-",
    "-an",
    ...(variant
      ? [...variantCodecArgs(variant), "-pix_fmt", "yuv420p"]
      : ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", String(opts.crf ?? 24)]),
    "-movflags",
    "+faststart",
    "-f",
    "mp4",
    tmp,
  ];
  const child = spawn(opts.ffmpeg, args, { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? -1));
  });
  // A dying ffmpeg closes the pipe; the exit code below carries the real error.
  child.stdin.on("error", () => {});
  const onAbort = () => child.kill("SIGKILL");
  opts.signal?.addEventListener("abort", onAbort);
  try {
    const bytes = width * height * 3;
    for (let k = 0; k < frames; k++) {
      if (opts.signal?.aborted) throw new Error("aborted");
      if (child.exitCode !== null || child.stdin.destroyed) break;
      // A fresh buffer per frame: the pipe keeps a reference until the bytes are sent.
      const frame = variant
        ? renderVariantFrame(sc, variant, k / fps, { width, height, out: Buffer.allocUnsafe(bytes) })
        : renderFrame(sc, k / fps, width, height, Buffer.allocUnsafe(bytes));
      if (!child.stdin.write(frame)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            child.stdin.off("drain", done);
            child.off("close", done);
            resolve();
          };
          child.stdin.on("drain", done);
          child.on("close", done);
        });
      }
    }
    child.stdin.end();
    const code = await exited;
    if (code !== 0) throw new Error(`ffmpeg exited with ${code} for ${file}: ${stderr.trim() || "(no output)"}`);
    await fs.rename(tmp, file);
    return frames;
  } catch (err) {
    child.kill("SIGKILL");
    await fs.rm(tmp, { force: true });
    throw err;
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Generates a Shapes corpus: plans it, writes every split's annotations.json (first, so
 * they exist while videos render), then renders the videos with `concurrency` ffmpeg
 * processes. Safe to re-run: finished videos are kept (resume).
 */
export async function generateShapesDataset(opts: GenerateShapesOptions): Promise<GenerateShapesResult> {
  const t0 = Date.now();
  const out = path.resolve(opts.out);
  const plan = planShapesDataset(opts);
  const ratios = opts.splitRatios ?? [0.8, 0.1, 0.1];
  const splits: GenerateShapesResult["splits"] = {};
  for (const [si, split] of SPLITS.entries()) {
    if (ratios[si] === 0) continue;
    const dir = path.join(out, split);
    const variant = opts.renderer === "variant";
    const ds = shapesAnnotations(
      plan[split],
      `shapes seed=${opts.seed} ${split}${variant ? " (variant renderer)" : ""}`,
    );
    await writeDataset(dir, ds);
    // The variant's look is derived from the scenario; it is written beside it for debugging.
    await fs.writeFile(
      path.join(dir, "scenarios.json"),
      JSON.stringify(
        plan[split].map((v) =>
          variant
            ? { id: v.id, ...v.scenario, variantLook: sampleVariantLook(v.scenario) }
            : { id: v.id, ...v.scenario },
        ),
      ) + "\n",
    );
    await fs.mkdir(path.join(dir, "videos"), { recursive: true });
    splits[split] = { dir, videos: ds.videos.length, queries: ds.queries.length };
  }
  const result: GenerateShapesResult = { out, splits, rendered: 0, skipped: 0, frames: 0, seconds: 0 };
  if (opts.render === false) {
    result.seconds = (Date.now() - t0) / 1000;
    return result;
  }

  const ffmpeg = opts.ffmpegPath ?? resolveFfmpeg().ffmpeg;
  // Longest first: keeps the encoders busy until the end instead of one long straggler.
  const queue = SPLITS.filter((s) => !opts.renderSplits || opts.renderSplits.includes(s))
    .flatMap((s) => plan[s])
    .map((v) => {
      const size = opts.renderer === "variant" ? sampleVariantLook(v.scenario) : v.scenario;
      return { v, cost: v.scenario.duration * size.width * size.height };
    })
    .sort((a, b) => b.cost - a.cost)
    .map((x) => x.v);
  const total = queue.length;
  let done = 0;
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < queue.length) {
      const v = queue[next++];
      const file = path.join(out, v.split, v.file);
      const started = Date.now();
      let frames = 0;
      const skipped = opts.resume !== false && existsSync(file);
      if (!skipped) {
        try {
          frames = await encodeScenario(v.scenario, file, {
            ffmpeg,
            crf: opts.crf,
            renderer: opts.renderer,
            signal: opts.signal,
          });
        } catch (err) {
          failed = true; // stop the other workers from starting new videos
          throw err;
        }
        result.rendered++;
        result.frames += frames;
      } else result.skipped++;
      done++;
      opts.onProgress?.({
        done,
        total,
        id: v.id,
        split: v.split,
        skipped,
        frames,
        seconds: (Date.now() - started) / 1000,
      });
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 2, total || 1));
  await Promise.all(Array.from({ length: n }, worker));
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}
