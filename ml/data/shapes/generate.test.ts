import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAnnotations, readDataset } from "../format";
import { resolveFfmpeg } from "../../features/ffmpeg";
import { sampleVariantLook } from "./render-variant";
import {
  generateShapesDataset,
  planShapesDataset,
  shapesAnnotations,
  splitCounts,
  SPLITS,
  type GenerateProgress,
} from "./generate";

/** ffprobe's view of a file (ml/ tests may not use lib/media, so ffprobe is run directly). */
function ffprobe(file: string) {
  const out = execFileSync(resolveFfmpeg().ffprobe, [
    "-v",
    "error",
    "-select_streams",
    "v:0",
    "-show_entries",
    "stream=codec_name,width,height,r_frame_rate:format=duration",
    "-of",
    "json",
    file,
  ]).toString();
  const j = JSON.parse(out) as {
    streams: { codec_name: string; width: number; height: number; r_frame_rate: string }[];
    format: { duration: string };
  };
  const [n, d] = j.streams[0].r_frame_rate.split("/").map(Number);
  return {
    duration: Number(j.format.duration),
    width: j.streams[0].width,
    height: j.streams[0].height,
    fps: n / (d || 1),
    codec: j.streams[0].codec_name,
  };
}

describe("splits", () => {
  it("splitCounts uses largest remainders and keeps val/test non-empty when possible", () => {
    expect(splitCounts(800, [0.8, 0.1, 0.1])).toEqual([640, 80, 80]);
    expect(splitCounts(10, [0.8, 0.1, 0.1])).toEqual([8, 1, 1]);
    expect(splitCounts(7, [0.8, 0.1, 0.1])).toEqual([5, 1, 1]);
    expect(splitCounts(3, [1, 0, 0])).toEqual([3, 0, 0]);
    expect(splitCounts(0, [0.8, 0.1, 0.1])).toEqual([0, 0, 0]);
    expect(() => splitCounts(5, [0, 0, 0])).toThrow();
  });

  it("plans deterministically by seed, with disjoint splits covering every video", () => {
    const opts = { videos: 40, seed: 7 };
    const a = planShapesDataset(opts);
    const b = planShapesDataset(opts);
    for (const s of SPLITS) expect(shapesAnnotations(b[s], s)).toEqual(shapesAnnotations(a[s], s));
    expect(shapesAnnotations(planShapesDataset({ videos: 40, seed: 8 }).train, "train")).not.toEqual(
      shapesAnnotations(a.train, "train"),
    );

    const ids = SPLITS.map((s) => a[s].map((v) => v.id));
    expect(ids.map((x) => x.length)).toEqual([32, 4, 4]);
    const all = ids.flat();
    expect(new Set(all).size).toBe(40);
    // scenarios too are distinct between splits (no video shared)
    const keys = SPLITS.flatMap((s) => a[s].map((v) => JSON.stringify(v.scenario.events)));
    expect(new Set(keys).size).toBe(40);
    // a video's content depends on (seed, index) only, not on the corpus size
    const bigger = planShapesDataset({ videos: 60, seed: 7 });
    const byId = new Map(SPLITS.flatMap((s) => bigger[s].map((v) => [v.id, v.scenario] as const)));
    for (const v of a.train) expect(byId.get(v.id)).toEqual(v.scenario);
  });

  it("plans the shipped seeds exactly as before extra event kinds existed (pinned digests)", () => {
    // Digests of the plans made before `extraKinds` was added (issue 22's bounce): the corpus the
    // shipped models were trained on, and its seeds, must render byte-identically.
    const digest = (o: Parameters<typeof planShapesDataset>[0]) =>
      createHash("sha256")
        .update(JSON.stringify(planShapesDataset(o)))
        .digest("hex");
    expect(digest({ videos: 40, seed: 1 })).toBe("fabee4c50e6be26a6be97289bc32c167fd9caa53f3130e226b8bcc61e7cf450d");
    expect(digest({ videos: 200, seed: 7 })).toBe("19b3688c1600e0c2794669d873ecd43d1c9fb812077b93543d132850b3cb6bd2");
    expect(digest({ videos: 40, seed: 1, scenario: { extraKinds: [] } })).toBe(
      "fabee4c50e6be26a6be97289bc32c167fd9caa53f3130e226b8bcc61e7cf450d",
    );
    const withBounce = planShapesDataset({ videos: 40, seed: 1, scenario: { extraKinds: ["bounce"] } });
    expect(SPLITS.flatMap((s) => withBounce[s]).some((v) => v.scenario.events.some((e) => e.kind === "bounce"))).toBe(
      true,
    );
    // --event-kinds +bounce plans as it did before shake was added
    expect(digest({ videos: 40, seed: 1, scenario: { extraKinds: ["bounce"] } })).toBe(
      "2550295dc0a97e00ae9ca20dce7fe88b5bd67a26aecb330214eb2f46a6097a30",
    );
  });

  it("plans shake only when asked for, and the same plan whatever the order of the extra kinds", () => {
    const kinds = (o: Parameters<typeof planShapesDataset>[0]) => {
      const plan = planShapesDataset(o);
      return new Set(SPLITS.flatMap((s) => plan[s]).flatMap((v) => v.scenario.events.map((e) => e.kind)));
    };
    expect(kinds({ videos: 40, seed: 1 }).has("shake")).toBe(false);
    expect(kinds({ videos: 40, seed: 1, scenario: { extraKinds: ["bounce"] } }).has("shake")).toBe(false);
    expect(kinds({ videos: 40, seed: 1, scenario: { extraKinds: ["shake"] } }).has("shake")).toBe(true);
    const both = kinds({ videos: 40, seed: 1, scenario: { extraKinds: ["bounce", "shake"] } });
    expect(both.has("shake") && both.has("bounce")).toBe(true);
    expect(planShapesDataset({ videos: 20, seed: 3, scenario: { extraKinds: ["shake", "bounce"] } })).toEqual(
      planShapesDataset({ videos: 20, seed: 3, scenario: { extraKinds: ["bounce", "shake"] } }),
    );
  });

  it("writes valid annotations: one timed query per event, captions per video", () => {
    const plan = planShapesDataset({ videos: 10, seed: 2 });
    const ds = parseAnnotations(shapesAnnotations(plan.train, "t"));
    expect(ds.videos).toHaveLength(8);
    expect(ds.queries.length).toBe(plan.train.reduce((n, v) => n + v.scenario.events.length, 0));
    for (const v of ds.videos) expect(v.captions!.length).toBeGreaterThanOrEqual(3);
    for (const q of ds.queries) expect(q.end! > q.start!).toBe(true);
  });
});

describe("generateShapesDataset (real ffmpeg)", () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "shapes-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("renders a video that ffprobe reads back with the annotated duration", async () => {
    const progress: GenerateProgress[] = [];
    const opts = {
      out,
      videos: 1,
      seed: 11,
      splitRatios: [1, 0, 0] as [number, number, number],
      scenario: { durationRange: [10, 10] as [number, number], fpsChoices: [12], sizes: [[192, 144, 1] as const] },
      onProgress: (p: GenerateProgress) => progress.push(p),
    };
    const res = await generateShapesDataset(opts);
    expect(res.rendered).toBe(1);
    expect(res.splits.train?.videos).toBe(1);
    expect(res.splits.val).toBeUndefined(); // zero-ratio splits are not written
    expect(existsSync(path.join(out, "val"))).toBe(false);
    expect(progress).toHaveLength(1);

    const { dataset, videoPath } = await readDataset(path.join(out, "train"), { checkFiles: true });
    const file = videoPath(dataset.videos[0]);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const info = ffprobe(file);
    expect(info.duration).toBeCloseTo(dataset.videos[0].duration!, 1);
    expect(Math.abs(info.duration - 10)).toBeLessThan(0.15);
    expect([info.width, info.height, info.fps, info.codec]).toEqual([192, 144, 12, "h264"]);

    // re-running keeps the finished file
    const again = await generateShapesDataset(opts);
    expect([again.rendered, again.skipped]).toEqual([0, 1]);
  });

  it("renders the variant renderer's look (size, frame rate, codec) for the same annotations", async () => {
    const common = {
      videos: 1,
      seed: 13,
      splitRatios: [1, 0, 0] as [number, number, number],
      scenario: { durationRange: [4, 4] as [number, number] },
    };
    const res = await generateShapesDataset({ ...common, out: path.join(out, "variant"), renderer: "variant" });
    expect(res.rendered).toBe(1);
    const { dataset, videoPath } = await readDataset(path.join(out, "variant", "train"), { checkFiles: true });
    const plan = planShapesDataset(common);
    const look = sampleVariantLook(plan.train[0].scenario);
    // the world is shared: the same queries and spans as the default renderer's annotations
    expect(dataset.queries).toEqual(shapesAnnotations(plan.train, "x").queries);
    expect(dataset.name).toMatch(/variant renderer/);
    const info = ffprobe(videoPath(dataset.videos[0]));
    expect([info.width, info.height, info.codec]).toEqual([look.width, look.height, look.codec.name]);
    expect(info.fps).toBeCloseTo(look.fps, 2);
    expect(Math.abs(info.duration - dataset.videos[0].duration!)).toBeLessThan(1 / look.fps + 0.05);
  });
});
