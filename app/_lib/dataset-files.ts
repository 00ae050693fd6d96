/**
 * Sorting the files an annotator picks or drops for a dataset import: the videos, and the
 * annotations file (a folder's annotations.json is taken as it). Folders dropped on the
 * page are walked (the File System entry API; chromium, Firefox and Safari have it).
 */

/** The extensions the upload picker offers (as DropZone's); the server decides what is really a video. */
const VIDEO_EXTENSIONS = new Set([
  "mp4",
  "m4v",
  "mov",
  "mkv",
  "webm",
  "avi",
  "wmv",
  "flv",
  "mpg",
  "mpeg",
  "ts",
  "mts",
  "m2ts",
  "3gp",
  "ogv",
]);
const ANNOTATION_EXTENSIONS = new Set(["json", "txt"]);

export const VIDEO_ACCEPT = `video/*,${[...VIDEO_EXTENSIONS].map((e) => `.${e}`).join(",")}`;
export const ANNOTATIONS_ACCEPT = ".json,.txt,application/json,text/plain";
/** The shared format's annotations file inside a dataset folder. */
export const ANNOTATIONS_FILE = "annotations.json";

function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** Hidden files (.DS_Store, macOS's ._clip.mp4 companions) are never part of the dataset. */
const hidden = (f: File) => f.name.startsWith(".");

export function isVideoFile(f: File): boolean {
  // a .ts file is far more likely a video (MPEG-TS) than TypeScript in a dataset folder
  return !hidden(f) && (VIDEO_EXTENSIONS.has(extension(f.name)) || f.type.startsWith("video/"));
}

export function isAnnotationsFile(f: File): boolean {
  return !hidden(f) && ANNOTATION_EXTENSIONS.has(extension(f.name));
}

export interface SortedFiles {
  videos: File[];
  /** annotations.json if there is one, else the only .json/.txt among the files */
  annotations: File | null;
  /** neither a video nor the annotations */
  ignored: number;
}

/** Splits picked or dropped files into videos and the annotations file. */
export function sortDatasetFiles(files: File[]): SortedFiles {
  const videos = files.filter(isVideoFile);
  const texts = files.filter((f) => !isVideoFile(f) && isAnnotationsFile(f));
  const annotations =
    texts.find((f) => f.name.toLowerCase() === ANNOTATIONS_FILE) ?? (texts.length === 1 ? texts[0] : null);
  return { videos, annotations, ignored: files.length - videos.length - (annotations ? 1 : 0) };
}

/** Files with the same name and size are the same pick: adding a folder twice does not double it. */
export function mergeFiles(current: File[], added: File[]): File[] {
  const key = (f: File) => `${f.name}\u0000${f.size}`;
  const seen = new Set(current.map(key));
  const out = [...current];
  for (const f of added) {
    if (seen.has(key(f))) continue;
    seen.add(key(f));
    out.push(f);
  }
  return out;
}

function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries answers in batches (100 in chromium) until an empty one
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

/** The files of a drop, folders walked; without the entry API, the dropped files themselves. */
export async function droppedFiles(data: DataTransfer): Promise<File[]> {
  // the entries must be taken before the first await: the DataTransfer is emptied after the event
  const entries = Array.from(data.items)
    .filter((i) => i.kind === "file")
    .map((i) => (typeof i.webkitGetAsEntry === "function" ? i.webkitGetAsEntry() : null));
  const plain = Array.from(data.files);
  if (entries.length === 0 || entries.some((e) => e === null)) return plain;
  const out: File[] = [];
  try {
    for (const e of entries) await walk(e!, out);
  } catch {
    return plain;
  }
  return out;
}
