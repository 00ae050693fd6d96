/**
 * npm run bench:ocr [-- --workers 1]
 *
 * On-screen text, measured on generated videos whose burned-in text and times are known:
 * 1. throughput: frames read per second and wall time × the video's duration, at
 *    640×480 and 1280×720, with the change test and without it (every frame read) —
 *    on a still background (slides, title cards) and on a moving one (testsrc2);
 * 2. word accuracy: the share of each sentence's words found in the OCR cues overlapping
 *    its time, over fonts, sizes, colours, boxes and moving text;
 * 3. search hit rate: each sentence (and a misspelt copy) as a query against all the cues
 *    in a real database (PGlite): a hit when the top cue is in the right video and
 *    overlaps the sentence's time.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrate } from "@/db/migrate";
import { closePools, getPool } from "@/db/pool";
import { replaceCues, searchCues, type Cue } from "@/db/repositories/cues";
import { GENERATED_H264, runFfmpeg } from "@/lib/media/ffmpeg";
import { startOcrEngine } from "@/lib/ocr/engine";
import { extractOnScreenText } from "@/lib/ocr/extract";

const { values } = parseArgs({ options: { workers: { type: "string", default: "1" } } });
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-ocr-"));
const FONTS = ["DejaVuSans-Bold", "DejaVuSerif", "DejaVuSansMono"]
  .map((f) => `/usr/share/fonts/truetype/dejavu/${f}.ttf`)
  .filter(existsSync);
const fontArg = (i: number) => (FONTS.length ? `fontfile=${FONTS[i % FONTS.length]}:` : "");

interface Sentence {
  text: string;
  start: number;
  end: number;
}
interface Variant {
  name: string;
  background: string;
  size: string;
  style: (i: number) => string;
  sentences: Sentence[];
}

// every sentence fits its frame at its size (text cut off by the frame's edge is not OCR's fault)
const SENTENCES = [
  ["Quarterly revenue grew by twelve percent", "Our new factory opens in March"],
  ["Welcome to the annual meeting", "Questions from the audience"],
  ["Safety first on the building site", "Lunch break until two"],
  ["The results are better than expected", "Thank you for watching"],
  ["Chapter two the long journey home", "Press the red button to stop"],
  ["Install the update before Friday", "The museum closes at six"],
];
const timed = (pair: string[]): Sentence[] => [
  { text: pair[0], start: 2, end: 8 },
  { text: pair[1], start: 11, end: 17 },
];
const enable = (s: Sentence) => `enable='between(t,${s.start},${s.end - 0.01})'`;

const VARIANTS: Variant[] = [
  {
    name: "white on a dark box, still slide",
    background: "color=c=0x2a3b4c",
    size: "640x480",
    style: (i) => `${fontArg(i)}fontsize=26:fontcolor=white:box=1:boxborderw=12:boxcolor=black@0.8:x=30:y=380`,
    sentences: timed(SENTENCES[0]),
  },
  {
    name: "black on white, large, still",
    background: "color=c=white",
    size: "640x480",
    style: (i) => `${fontArg(i + 1)}fontsize=32:fontcolor=black:x=20:y=200`,
    sentences: timed(SENTENCES[1]),
  },
  {
    name: "yellow, small, moving background",
    background: "testsrc2",
    size: "640x480",
    style: (i) => `${fontArg(i)}fontsize=24:fontcolor=yellow:box=1:boxborderw=8:boxcolor=black@0.6:x=20:y=420`,
    sentences: timed(SENTENCES[2]),
  },
  {
    name: "white with a shadow on video, 720p",
    background: "testsrc2",
    size: "1280x720",
    style: (i) => `${fontArg(i + 2)}fontsize=44:fontcolor=white:shadowcolor=black:shadowx=3:shadowy=3:x=60:y=600`,
    sentences: timed(SENTENCES[3]),
  },
  {
    name: "scrolling text (moves 20 px/s)",
    background: "color=c=0x101010",
    size: "640x480",
    style: (i) => `${fontArg(i)}fontsize=24:fontcolor=white:x=20+20*(t-${i === 0 ? 2 : 11}):y=240`,
    sentences: timed(SENTENCES[4]),
  },
  {
    name: "lower third on noise",
    background: "color=c=0x406080,noise=alls=25:allf=t",
    size: "640x480",
    style: (i) => `${fontArg(i + 1)}fontsize=26:fontcolor=white:box=1:boxborderw=14:boxcolor=0x202020@0.9:x=30:y=390`,
    sentences: timed(SENTENCES[5]),
  },
];

async function render(file: string, background: string, size: string, seconds: number, draws: string[]): Promise<void> {
  const [src, ...filters] = background.split(",");
  const input = src.includes("=") ? `${src}:size=${size}:rate=25` : `${src}=size=${size}:rate=25`;
  const vf = [...filters, ...draws].join(",") || "null";
  await runFfmpeg(["-y", "-f", "lavfi", "-i", input, "-t", String(seconds), "-vf", vf, ...GENERATED_H264, file]);
}

const words = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && a.end > b.start;
/** a typist's slip: two neighbouring letters swapped in the sentence's longest word */
const misspell = (t: string) => {
  const ws = t.split(" ");
  const i = ws.reduce((best, w, k) => (w.length > ws[best].length ? k : best), 0);
  const w = ws[i];
  ws[i] = w.slice(0, 2) + w[3] + w[2] + w.slice(4);
  return ws.join(" ");
};

const engine = await startOcrEngine({ langs: ["eng"], workers: Number(values.workers) });
try {
  // 1. throughput
  console.log(
    `\nOCR throughput (${engine.workers} tesseract worker${engine.workers > 1 ? "s" : ""}, 1 frame/s; × = OCR wall time / video duration)`,
  );
  for (const [size, background] of [
    ["640x480", "color=c=0x2a3b4c"],
    ["1280x720", "color=c=0x2a3b4c"],
    ["640x480", "testsrc2"],
    ["1280x720", "testsrc2"],
  ]) {
    const file = path.join(dir, `tp-${size}-${background.split("=")[0]}.mp4`);
    const slides = [0, 1, 2].map(
      (k) =>
        `drawtext=${fontArg(k)}text='Slide ${k + 1} of three about the budget':fontsize=40:fontcolor=white:x=40:y=100:enable='between(t,${k * 20},${k * 20 + 19.99})'`,
    );
    await render(file, background, size, 60, slides);
    const [w, h] = size.split("x").map(Number);
    for (const change of [true, false]) {
      const r = await extractOnScreenText(
        engine,
        file,
        { width: w, height: h, duration: 60 },
        { changeTest: change ? undefined : null },
      );
      console.log(
        `  ${size.padEnd(9)} ${(background === "testsrc2" ? "moving" : "still").padEnd(7)} change test ${change ? "on " : "off"}: ${r.stats.read}/${r.stats.frames} frames read, ${(r.stats.frames / r.stats.seconds).toFixed(2)} frames/s, ${r.stats.seconds.toFixed(1)} s = ×${(r.stats.seconds / 60).toFixed(2)} real time`,
      );
    }
  }

  // 2. word accuracy, 3. search hit rate
  const embedded = await startEmbeddedDatabase(null);
  const db = getPool(embedded.url);
  await migrate(db);
  const all: { videoId: string; variant: string; s: Sentence }[] = [];
  console.log("\nWord accuracy (share of a sentence's words found in the cues overlapping its time)");
  let total = 0;
  let found = 0;
  for (const v of VARIANTS) {
    const file = path.join(dir, `${v.name.replace(/\W+/g, "-")}.mp4`);
    await render(
      file,
      v.background,
      v.size,
      20,
      v.sentences.map((s, i) => `drawtext=${v.style(i)}:text='${s.text.replace(/'/g, "\u2019")}':${enable(s)}`),
    );
    const [w, h] = v.size.split("x").map(Number);
    const r = await extractOnScreenText(engine, file, { width: w, height: h, duration: 20 });
    const id = randomUUID();
    await db.query(
      "INSERT INTO videos (id, original_name, stored_path, sha256, bytes, status) VALUES ($1, $2, $3, $4, 1, 'ready')",
      [id, `${v.name}.mp4`, `media/${id}/x.mp4`, id],
    );
    await replaceCues(db, id, r.cues, "ocr");
    let vTotal = 0;
    let vFound = 0;
    const missed: string[] = [];
    for (const s of v.sentences) {
      const read = new Set(r.cues.filter((c: Cue) => overlaps(c, s)).flatMap((c) => words(c.text)));
      const want = words(s.text.replace(/'/g, "\u2019"));
      vTotal += want.length;
      vFound += want.filter((x) => read.has(x)).length;
      missed.push(...want.filter((x) => !read.has(x)));
      all.push({ videoId: id, variant: v.name, s });
    }
    total += vTotal;
    found += vFound;
    console.log(
      `  ${v.name.padEnd(38)} ${((100 * vFound) / vTotal).toFixed(1).padStart(5)} %  (${r.cues.length} cues${missed.length ? `; missed: ${missed.join(", ")}` : ""})`,
    );
  }
  console.log(`  ${"all".padEnd(38)} ${((100 * found) / total).toFixed(1).padStart(5)} %  (${total} words)`);

  console.log("\nSearch hit rate (top cue in the right video, overlapping the sentence's time)");
  for (const [label, q] of [
    ["typed as shown", (s: string) => s],
    ["misspelt (letters swapped)", misspell],
  ] as const) {
    let hits = 0;
    for (const a of all) {
      const [top] = await searchCues(db, q(a.s.text), { limit: 1 });
      if (top && top.videoId === a.videoId && overlaps(top, a.s)) hits++;
    }
    console.log(`  ${label.padEnd(28)} ${hits}/${all.length} = ${((100 * hits) / all.length).toFixed(1)} %`);
  }
  await closePools();
  await embedded.close();
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
