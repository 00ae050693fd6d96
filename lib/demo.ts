/**
 * Demo content for an empty library, so a newcomer sees a working app at once.
 * Videos are rendered locally from the Shapes world (no downloads), with their
 * annotations kept in DATA_DIR/demo/test/annotations.json, then added like any upload.
 * Should the generator fail, plain ffmpeg test sources stand in.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { countVideos } from "@/db/repositories/videos";
import type { Context } from "./context";
import { readDataset, type MomentDataset } from "@/ml/data/format";
import { recordImportedDataset, type ImportedVideo } from "./datasets/import";
import { generateShapesDataset } from "@/ml/data/shapes/generate";
import { ffmpegBinaries, GENERATED_H264, runFfmpeg } from "./media/ffmpeg";
import { resolveOwner } from "./auth/accounts";
import { addLocalFile } from "./videos/service";

const TEST_SOURCES = [
  { name: "test-pattern.mp4", src: "testsrc=size=640x480:rate=25", seconds: 12 },
  { name: "colour-bars.mp4", src: "smptebars=size=640x480:rate=25", seconds: 8 },
  { name: "mandelbrot-zoom.mp4", src: "mandelbrot=size=480x360:rate=25", seconds: 10 },
  {
    name: "life.mp4",
    src: "life=size=320x240:rate=15:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00",
    seconds: 15,
  },
];

async function generateTestSources(dir: string, count: number): Promise<{ file: string; name: string }[]> {
  const files: { file: string; name: string }[] = [];
  for (const t of TEST_SOURCES.slice(0, count)) {
    const out = path.join(dir, t.name);
    if (!existsSync(out)) {
      await runFfmpeg([
        "-y",
        "-f",
        "lavfi",
        "-i",
        t.src,
        "-t",
        String(t.seconds),
        ...GENERATED_H264,
        "-movflags",
        "+faststart",
        out,
      ]);
    }
    files.push({ file: out, name: t.name });
  }
  return files;
}

export const DEMO_DATASET_NAME = "Demo library";

/** Seeded, so every fresh install shows the same demo library. */
export const DEMO_SEED = 20261122;

interface DemoFile {
  file: string;
  name: string;
  /** the video's id in the demo dataset (Shapes demos only) */
  datasetId?: string;
}

async function generateShapesDemo(
  dir: string,
  count: number,
): Promise<{ files: DemoFile[]; dataset: MomentDataset | null }> {
  const result = await generateShapesDataset({
    out: dir,
    videos: count,
    seed: DEMO_SEED,
    splitRatios: [0, 0, 1],
    ffmpegPath: ffmpegBinaries().ffmpeg,
  });
  const test = result.splits.test;
  if (!test) throw new Error("no demo split written");
  // Titles that do not pretend a video is only its first event: how many events it holds.
  const { dataset, videoPath } = await readDataset(test.dir);
  const files = dataset.videos.map((v, i) => {
    const events = dataset.queries.filter((q) => q.video === v.id).length;
    return { file: videoPath(v), name: `Shapes demo ${i + 1} (${events} events).mp4`, datasetId: v.id };
  });
  return { files, dataset };
}

/** Adds the demo videos when the library is empty; returns how many were queued. */
export async function seedDemoLibrary(ctx: Context, log: (m: string) => void = console.log): Promise<number> {
  if ((await countVideos(ctx.db)) > 0) return 0;
  const dir = path.join(ctx.config.dataDir, "demo");
  await mkdir(dir, { recursive: true });
  const count = Math.max(0, ctx.config.demoVideos);
  if (count === 0) return 0;
  log(`seeding ${count} demo videos into an empty library`);
  const { files, dataset } = await generateShapesDemo(dir, count).catch(async (err: Error) => {
    log(`Shapes demo generation failed (${err.message}); using ffmpeg test sources`);
    return { files: (await generateTestSources(dir, count)) as DemoFile[], dataset: null };
  });
  // Owned by the first admin; on a first run there is none yet, and creating it claims them.
  const owner = await resolveOwner(ctx);
  let added = 0;
  const imported: ImportedVideo[] = [];
  for (const f of files) {
    const r = await addLocalFile(ctx, f.file, { name: f.name, addedBy: owner?.id ?? null });
    if (r.created) added++;
    if (f.datasetId) imported.push({ datasetId: f.datasetId, videoId: r.video.id, created: r.created, captions: 0 });
  }
  // the demo's annotated events stay with the library: they verify the example queries
  // search suggests (lib/search/examples.ts) and can be reviewed like any dataset
  if (dataset)
    await recordImportedDataset(ctx, { dataset, skipped: [], format: "moments" }, imported, {
      name: DEMO_DATASET_NAME,
      addedBy: owner?.id ?? null,
    });
  return added;
}
