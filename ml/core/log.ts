/** Training logs: JSON lines next to the weights, and a progress bar on a terminal. */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";

export interface LogSink {
  log(rec: Record<string, unknown>): void;
}

/** A fresh JSON-lines file; each record gets the wall-clock time `t`. */
export function jsonlSink(file: string): LogSink {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "");
  return { log: (rec) => appendFileSync(file, JSON.stringify({ t: Date.now(), ...rec }) + "\n") };
}

export function bar(label: string, total: number, quiet?: boolean) {
  if (quiet) return null;
  const b = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} | {info} | eta {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { info: "" });
  return b;
}
