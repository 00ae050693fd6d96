/**
 * Charades-STA annotations: one `<video_id> <start> <end>##<sentence>` per line, e.g.
 *   3MSZA 24.3 30.4##person turn a light on.
 * Durations are not in that file; Charades ships them in Charades_v1_{train,test}.csv
 * (column `length`), which `parseCharadesDurationsCsv` reads.
 */
import { promises as fs } from "node:fs";
import { parseAnnotations, type DatasetQuery, type DatasetVideo } from "../format";
import { videoFile, type ImportOptions, type ImportResult, type SkippedEntry } from "./common";

export interface CharadesOptions extends ImportOptions {
  /** video id -> duration in seconds; spans are clipped to it when known */
  durations?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
}

const LINE = /^(\S+)\s+(\S+)\s+(\S+?)\s*##(.*)$/;

function lookup(d: CharadesOptions["durations"], id: string): number | undefined {
  if (!d) return undefined;
  return d instanceof Map ? d.get(id) : (d as Record<string, number>)[id];
}

/**
 * Parses the text of a Charades-STA file. A line that is not in the format at all throws
 * (it means the wrong file was given); a well-formed line with an unusable span is
 * skipped and reported.
 */
export function parseCharadesSta(text: string, opts: CharadesOptions = {}): ImportResult {
  const videos = new Map<string, DatasetVideo>();
  const queries: DatasetQuery[] = [];
  const skipped: SkippedEntry[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = `line ${i + 1}`;
    const m = LINE.exec(line);
    if (!m)
      throw new Error(
        `Charades-STA ${where}: expected "<video_id> <start> <end>##<sentence>", got "${line.slice(0, 80)}"`,
      );
    const [, id, s, e, sentenceRaw] = m;
    const start = Number(s);
    let end = Number(e);
    if (!Number.isFinite(start) || !Number.isFinite(end)) {
      throw new Error(`Charades-STA ${where}: start/end are not numbers ("${s}", "${e}")`);
    }
    const sentence = sentenceRaw.trim();
    if (!sentence) {
      skipped.push({ where, reason: "empty sentence" });
      return;
    }
    const duration = lookup(opts.durations, id);
    if (duration !== undefined && end > duration) end = duration;
    if (start < 0) {
      skipped.push({ where, reason: `negative start ${start}` });
      return;
    }
    if (end <= start) {
      skipped.push({ where, reason: `end ${end} not after start ${start}` });
      return;
    }
    if (!videos.has(id)) {
      videos.set(id, { id, file: videoFile(id, opts), ...(duration !== undefined ? { duration } : {}) });
    }
    queries.push({ video: id, query: sentence, start, end });
  });
  const dataset = parseAnnotations(
    { ...(opts.name !== undefined ? { name: opts.name } : {}), videos: [...videos.values()], queries },
    "Charades-STA import",
  );
  return { dataset, skipped };
}

export async function importCharadesSta(file: string, opts: CharadesOptions = {}): Promise<ImportResult> {
  return parseCharadesSta(await fs.readFile(file, "utf8"), opts);
}

/** Minimal RFC-4180 CSV reader (the Charades CSVs quote fields that contain commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== "");
}

/** Reads video durations from a Charades_v1_*.csv (columns `id` and `length`). */
export function parseCharadesDurationsCsv(text: string): Map<string, number> {
  const rows = parseCsv(text.replace(/^\uFEFF/, ""));
  if (!rows.length) return new Map();
  const header = rows[0].map((h) => h.trim());
  const idCol = header.indexOf("id");
  const lenCol = header.indexOf("length");
  if (idCol < 0 || lenCol < 0)
    throw new Error(`Charades CSV: expected columns "id" and "length", got ${header.join(",")}`);
  const out = new Map<string, number>();
  for (const r of rows.slice(1)) {
    const len = Number(r[lenCol]);
    if (r[idCol] && Number.isFinite(len) && len > 0) out.set(r[idCol].trim(), len);
  }
  return out;
}
