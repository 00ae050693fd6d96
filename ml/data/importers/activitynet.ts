/**
 * ActivityNet Captions annotations (train.json / val_1.json / val_2.json):
 *   { "v_QOlSCBRmfWY": { "duration": 82.73, "timestamps": [[0.83, 19.86], …],
 *                        "sentences": ["An indoor climbing gym is shown.", …] }, … }
 * Every sentence becomes a timed query; all of a video's sentences also become its
 * `captions` (the paragraph, usable for weak training).
 */
import { promises as fs } from "node:fs";
import { parseAnnotations, type DatasetQuery, type DatasetVideo } from "../format";
import { videoFile, type ImportOptions, type ImportResult, type SkippedEntry } from "./common";

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Converts parsed ActivityNet Captions JSON. A file whose shape is wrong throws; spans
 * that leave the video are clipped to [0, duration], and spans that are empty after
 * that are skipped and reported (the raw release has a few of each).
 */
export function convertActivityNetCaptions(json: unknown, opts: ImportOptions = {}): ImportResult {
  if (!isRecord(json)) throw new Error("ActivityNet Captions: expected a JSON object keyed by video id");
  const videos: DatasetVideo[] = [];
  const queries: DatasetQuery[] = [];
  const skipped: SkippedEntry[] = [];
  for (const [id, entry] of Object.entries(json)) {
    if (!isRecord(entry)) throw new Error(`ActivityNet Captions: "${id}" is not an object`);
    const { duration, timestamps, sentences } = entry;
    if (typeof duration !== "number" || !(duration > 0))
      throw new Error(`ActivityNet Captions: "${id}".duration must be a positive number`);
    if (!Array.isArray(timestamps) || !Array.isArray(sentences)) {
      throw new Error(`ActivityNet Captions: "${id}" needs "timestamps" and "sentences" arrays`);
    }
    if (timestamps.length !== sentences.length) {
      throw new Error(
        `ActivityNet Captions: "${id}" has ${timestamps.length} timestamps but ${sentences.length} sentences`,
      );
    }
    const captions: string[] = [];
    timestamps.forEach((ts, i) => {
      const where = `${id}[${i}]`;
      const sentence = typeof sentences[i] === "string" ? (sentences[i] as string).trim() : "";
      if (!Array.isArray(ts) || ts.length !== 2 || typeof ts[0] !== "number" || typeof ts[1] !== "number") {
        throw new Error(`ActivityNet Captions: ${where} timestamp must be [start, end]`);
      }
      if (!sentence) {
        skipped.push({ where, reason: "empty sentence" });
        return;
      }
      captions.push(sentence);
      const start = Math.max(0, ts[0]);
      const end = Math.min(duration, ts[1]);
      if (!(end > start)) {
        skipped.push({ where, reason: `span [${ts[0]}, ${ts[1]}] is empty within duration ${duration}` });
        return;
      }
      queries.push({ video: id, query: sentence, start, end });
    });
    videos.push({ id, file: videoFile(id, opts), duration, ...(captions.length ? { captions } : {}) });
  }
  const dataset = parseAnnotations(
    { ...(opts.name !== undefined ? { name: opts.name } : {}), videos, queries },
    "ActivityNet Captions import",
  );
  return { dataset, skipped };
}

export function parseActivityNetCaptions(text: string, opts: ImportOptions = {}): ImportResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`ActivityNet Captions: not valid JSON: ${(err as Error).message}`);
  }
  return convertActivityNetCaptions(json, opts);
}

export async function importActivityNetCaptions(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return parseActivityNetCaptions(await fs.readFile(file, "utf8"), opts);
}
