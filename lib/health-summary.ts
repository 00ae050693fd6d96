/** The health report in a few sentences for people (pure; lib/health.ts gathers the facts). */
import type { healthDetails } from "./health";

export type HealthLevel = "ok" | "warning" | "error";

export interface HealthSummary {
  level: HealthLevel;
  /** one sentence: does search work? */
  headline: string;
  /** what a person may want to know or do, most important first */
  notes: { level: HealthLevel; text: string }[];
}

type Report = Awaited<ReturnType<typeof healthDetails>>;

/**
 * The report in a few sentences for people: green when search and processing work,
 * amber when something needs attention but search still answers, red when it does not.
 * Optional accelerators that are not installed are information, not faults.
 */
export function summarizeHealth(r: Report): HealthSummary {
  const notes: HealthSummary["notes"] = [];
  if (r.status === "unavailable")
    notes.push({
      level: "error",
      text: "The database does not answer: search and uploads are unavailable until it is back.",
    });
  if ("error" in r.models.clipEncoder || "error" in r.models.grounder)
    notes.push({ level: "error", text: "The models could not be loaded: search and processing do not work." });
  if (r.ffmpeg.source === "none")
    notes.push({ level: "error", text: "No ffmpeg was found: new videos cannot be processed." });
  for (const d of r.disk)
    if (d.low)
      notes.push({
        level: "warning",
        text: `The disk holding ${d.dir} is nearly full: uploads are refused until space is freed.`,
      });
  const failed = (r.queue.jobs.failed ?? 0) + (r.queue.jobs.cancelled ?? 0);
  if (failed > 0)
    notes.push({
      level: "warning",
      text: `${failed} processing job${failed === 1 ? "" : "s"} failed; see the failed videos in the library to reprocess them.`,
    });
  const waiting = (r.queue.jobs.created ?? 0) + (r.queue.jobs.retry ?? 0) + (r.queue.jobs.active ?? 0);
  if (waiting > 0)
    notes.push({ level: "ok", text: `${waiting} video${waiting === 1 ? " is" : "s are"} waiting or being processed.` });
  const pending = r.models.pending;
  if (pending)
    notes.push({
      level: "ok",
      text: `Model version ${pending.version} is being prepared (${pending.done} of ${pending.total} videos re-embedded); searches use version ${r.models.version} until every video is done.`,
    });
  // tfjs-node is TensorFlow on the CPU: only tfjs-node-gpu means the GPU is in use
  const { backend, candidate } = r.tfjs;
  if (candidate !== "tfjs-node-gpu") {
    const cpu = candidate === "tfjs-node" ? "native TensorFlow" : backend === "wasm" ? "WebAssembly" : backend;
    notes.push({
      level: "ok",
      text: `GPU acceleration is not available on this machine; the models run on the CPU (${cpu}). Processing is slower, search works the same.`,
    });
  }
  const level: HealthLevel = notes.some((n) => n.level === "error")
    ? "error"
    : notes.some((n) => n.level === "warning")
      ? "warning"
      : "ok";
  const headline =
    level === "error"
      ? "Something is broken: see below."
      : level === "warning"
        ? "Search works; something needs your attention."
        : "Everything works: search, uploads and processing.";
  const order: Record<HealthLevel, number> = { error: 0, warning: 1, ok: 2 };
  return { level, headline, notes: notes.sort((a, b) => order[a.level] - order[b.level]) };
}
