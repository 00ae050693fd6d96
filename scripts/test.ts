/**
 * npm test — every suite, in order: types and lint, unit, integration against PGlite,
 * integration against a throw-away PostgreSQL + pgvector, and Playwright e2e in
 * Chromium. Runs them all even when one fails, then prints one summary line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const reports = path.resolve(".tmp/test-reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

interface Stage {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  /** counts tests from a JSON report; without one the stage counts as one check */
  report?: { file: string; kind: "vitest" | "playwright" };
}

const only = process.argv.slice(2);
const vitestJson = (name: string) => [
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${path.join(reports, name)}`,
];
const allStages: Stage[] = [
  { name: "typecheck", cmd: ["npx", "tsc", "--noEmit", "-p", "."] },
  { name: "lint", cmd: ["npx", "eslint", "."] },
  { name: "format", cmd: ["npx", "prettier", "--check", "."] },
  {
    name: "unit",
    cmd: ["npx", "vitest", "run", "--project", "unit", ...vitestJson("unit.json")],
    report: { file: "unit.json", kind: "vitest" },
  },
  {
    name: "pglite",
    cmd: ["npx", "vitest", "run", "--project", "integration", ...vitestJson("pglite.json")],
    report: { file: "pglite.json", kind: "vitest" },
  },
  {
    name: "postgres",
    cmd: ["npx", "tsx", "scripts/test-postgres.ts", ...vitestJson("postgres.json")],
    report: { file: "postgres.json", kind: "vitest" },
  },
  {
    name: "e2e",
    cmd: ["npx", "playwright", "test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, "e2e.json") },
    report: { file: "e2e.json", kind: "playwright" },
  },
];
const stages = allStages.filter((s) => only.length === 0 || only.includes(s.name));

function count(report: Stage["report"]): { passed: number; failed: number; skipped: number } | null {
  if (!report) return null;
  const file = path.join(reports, report.file);
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, "utf8"));
  if (report.kind === "vitest") {
    return {
      passed: data.numPassedTests,
      failed: data.numFailedTests,
      skipped: data.numPendingTests + (data.numTodoTests ?? 0),
    };
  }
  const s = data.stats ?? {};
  return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0), skipped: s.skipped ?? 0 };
}

let passed = 0;
let failed = 0;
let skipped = 0;
const lines: string[] = [];
for (const stage of stages) {
  console.log(`\n━━ ${stage.name}: ${stage.cmd.join(" ")}`);
  const t0 = Date.now();
  const r = spawnSync(stage.cmd[0], stage.cmd.slice(1), { stdio: "inherit", env: { ...process.env, ...stage.env } });
  const ok = r.status === 0;
  const c = count(stage.report);
  if (c) {
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    // A runner that died before reporting failures still fails the stage.
    if (!ok && c.failed === 0) failed += 1;
  } else if (ok) passed += 1;
  else failed += 1;
  lines.push(
    `${ok ? "ok  " : "FAIL"} ${stage.name.padEnd(9)} ${c ? `${c.passed} passed, ${c.failed} failed` : ok ? "passed" : "failed"} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
}
console.log(`\n━━ summary\n${lines.join("\n")}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
