/**
 * OCR with tesseract.js: a pool of tesseract workers (worker threads running the wasm
 * engine) fed through one scheduler. Language data comes from the npm packages
 * `@tesseract.js-data/<lang>` (English ships with the app), read from disk: nothing is
 * downloaded. Frames are handed over as PGM (grey) images, which the engine reads as is.
 */
import { mkdtemp, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createScheduler, createWorker, OEM, type Scheduler } from "tesseract.js";
import type { OcrWord } from "./cues";

const require = createRequire(import.meta.url);

/** Where a language's traineddata lives; a clear error when its package is not installed. */
export function languageDataDir(lang: string): string {
  if (!/^[a-z_]{3,12}$/.test(lang))
    throw new Error(`OCR language "${lang}" is not a tesseract language code (e.g. eng, deu, fra).`);
  try {
    const pkg = require(`@tesseract.js-data/${lang}`) as { langPath: string };
    return pkg.langPath;
  } catch {
    throw new Error(
      `OCR language "${lang}" is not installed: npm install @tesseract.js-data/${lang} (OCR_LANGS lists the languages to read).`,
    );
  }
}

export interface OcrEngine {
  /** the lines of words read on a grey frame */
  read(gray: Uint8Array, width: number, height: number): Promise<OcrWord[][]>;
  workers: number;
  close(): Promise<void>;
}

export function toPgm(gray: Uint8Array, width: number, height: number): Buffer {
  return Buffer.concat([
    Buffer.from(`P5\n${width} ${height}\n255\n`, "ascii"),
    Buffer.from(gray.buffer, gray.byteOffset, width * height),
  ]);
}

interface TesseractLine {
  words: { text: string; confidence: number }[];
}
interface TesseractBlock {
  paragraphs: { lines: TesseractLine[] }[];
}

/** Starts `workers` tesseract workers for `langs` (all from one data folder per language). */
export async function startOcrEngine(o: { langs: string[]; workers: number }): Promise<OcrEngine> {
  const dirs = o.langs.map(languageDataDir);
  // tesseract.js reads every language from one folder; each package has its own, so
  // several languages are linked side by side into one
  let langPath = dirs[0];
  if (dirs.length > 1) {
    langPath = await mkdtemp(path.join(os.tmpdir(), "moments-ocr-langs-"));
    await Promise.all(
      o.langs.map((lang, i) =>
        symlink(path.join(dirs[i], `${lang}.traineddata.gz`), path.join(langPath, `${lang}.traineddata.gz`)),
      ),
    );
  }
  const scheduler: Scheduler = createScheduler();
  const count = Math.max(1, o.workers);
  await Promise.all(
    Array.from({ length: count }, async () => {
      const worker = await createWorker(o.langs.join("+"), OEM.LSTM_ONLY, {
        langPath,
        gzip: true,
        cacheMethod: "none",
      });
      scheduler.addWorker(worker);
    }),
  );
  return {
    workers: count,
    async read(gray, width, height) {
      const r = await scheduler.addJob("recognize", toPgm(gray, width, height), {}, { text: false, blocks: true });
      const blocks = (r.data.blocks ?? []) as unknown as TesseractBlock[];
      return blocks.flatMap((b) =>
        b.paragraphs.flatMap((p) =>
          p.lines.map((l) => l.words.map((w) => ({ text: w.text, confidence: w.confidence }))),
        ),
      );
    },
    close: () => scheduler.terminate(),
  };
}
