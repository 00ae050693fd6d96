/**
 * npm run bench:load [-- --seconds 60 --uploads 20 --searches 50 --port 3390]
 * The real app (`npm start`: web server, a worker, the embedded database) on a throw-away
 * DATA_DIR, under a bounded mixed load from this process over loopback: `uploads`
 * concurrent uploaders (distinct generated videos, plus one duplicate each) and
 * `searches` concurrent searchers for `seconds`. Prints the status counts, search
 * latency under load, whether every upload ended ready or failed with none lost or
 * duplicated, and the RSS of every process of the app before and after.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { GENERATED_H264, runFfmpeg } from "../lib/media/ffmpeg";
import { percentile } from "./stats";

const { values: a } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    uploads: { type: "string", default: "20" },
    searches: { type: "string", default: "50" },
    port: { type: "string", default: "3390" },
  },
});
const SECONDS = Number(a.seconds);
const UPLOADERS = Number(a.uploads);
const SEARCHERS = Number(a.searches);
const PORT = Number(a.port);
const BASE = `http://127.0.0.1:${PORT}`;
const EMAIL = "load@bench.example";
const PASSWORD = "load bench password";
const QUERIES = [
  "the red square spins",
  "a blue circle moves to the left",
  "the disc drifts upward",
  "a green triangle grows",
  "purple elephant",
  "asdf qwerty",
];

const dataDir = mkdtempSync(path.join(os.tmpdir(), "momentsearch-load-"));
const media = path.join(dataDir, "fixtures");
const log = (m: string) => console.log(`[bench:load] ${m}`);

/** RSS (MiB) of the launcher and every process below it. */
function rssTree(root: number): Record<string, number> {
  const parent = new Map<number, number>();
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone */
    }
  }
  const out: Record<string, number> = {};
  const visit = (pid: number) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      const has = (part: string) => cmd.some((c) => c.includes(part));
      const name = has("worker.ts")
        ? "worker"
        : has("start.ts")
          ? "launcher + embedded database"
          : has("next/dist")
            ? "web server"
            : has("esbuild")
              ? "esbuild (tsx)"
              : path.basename(cmd[0] ?? "?");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      out[`${name} ${pid}`] = Math.round(kb / 1024);
    } catch {
      return;
    }
    for (const [child, pp] of parent) if (pp === pid) visit(child);
  };
  visit(root);
  return out;
}

log(`generating ${UPLOADERS} distinct videos`);
const files: string[] = [];
mkdirSync(media, { recursive: true });
for (let i = 0; i < UPLOADERS; i++) {
  const f = path.join(media, `load-${i}.mp4`);
  // a tone of its own per file: distinct bytes, so each is a video of its own
  await runFfmpeg([
    "-y",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=320x240:rate=25",
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=${200 + i * 10}`,
    "-t",
    String(4 + (i % 5)),
    ...GENERATED_H264,
    "-c:a",
    "aac",
    "-shortest",
    f,
  ]);
  files.push(f);
}

log(`starting the app on port ${PORT} (DATA_DIR=${dataDir})`);
const app = spawn("npm", ["start"], {
  env: {
    ...process.env,
    PORT: String(PORT),
    DATA_DIR: dataDir,
    SEED_DEMO: "0",
    ADMIN_EMAIL: EMAIL,
    ADMIN_PASSWORD: PASSWORD,
  },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let appLog = "";
app.stdout.on("data", (d) => (appLog += d));
app.stderr.on("data", (d) => (appLog += d));
const stopApp = () => {
  try {
    process.kill(-app.pid!, "SIGTERM");
  } catch {
    /* already gone */
  }
};
process.on("exit", stopApp);

const deadline = Date.now() + 600_000;
for (;;) {
  const ok = await fetch(`${BASE}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (Date.now() > deadline || app.exitCode !== null) {
    console.error(appLog.slice(-4000));
    throw new Error("the app did not start");
  }
  await new Promise((r) => setTimeout(r, 500));
}
const login = await fetch(`${BASE}/api/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
});
const cookie = /moments_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")![0];
const tokenRes = await fetch(`${BASE}/api/tokens`, {
  method: "POST",
  headers: { "content-type": "application/json", cookie, origin: BASE },
  body: JSON.stringify({ name: "load" }),
});
const { token } = (await tokenRes.json()) as { token: string };
const auth = { authorization: `Bearer ${token}` };
// warm up: models load on the first search
await fetch(`${BASE}/api/search?q=warm+up`, { headers: auth });
const launcherPid = app.pid!;
const before = rssTree(launcherPid);

const statuses: Record<string, number> = {};
const count = (s: number) => (statuses[`${Math.floor(s / 100)}xx`] = (statuses[`${Math.floor(s / 100)}xx`] ?? 0) + 1);
const searchMs: number[] = [];
const uploaded = new Map<string, string>(); // file → video id
const end = Date.now() + SECONDS * 1000;

async function uploader(i: number) {
  // each file once, then its duplicate (must map to the same video), then keep the server busy with duplicates
  for (let round = 0; Date.now() < end; round++) {
    const file = files[(i + round * 7) % files.length];
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(readFileSync(file))]), path.basename(file));
    const res = await fetch(`${BASE}/api/videos`, { method: "POST", headers: auth, body: form }).catch(() => null);
    if (!res) {
      count(0);
      continue;
    }
    count(res.status);
    const body = (await res.json().catch(() => ({}))) as { id?: string };
    if (body.id) {
      const seen = uploaded.get(file);
      if (seen && seen !== body.id) throw new Error(`${file} was stored twice (${seen}, ${body.id})`);
      uploaded.set(file, body.id);
    }
  }
}

async function searcher(i: number) {
  for (let n = 0; Date.now() < end; n++) {
    const t0 = performance.now();
    const res = await fetch(`${BASE}/api/search?q=${encodeURIComponent(QUERIES[(i + n) % QUERIES.length])}&limit=10`, {
      headers: auth,
    }).catch(() => null);
    if (!res) {
      count(0);
      continue;
    }
    await res.arrayBuffer();
    searchMs.push(performance.now() - t0);
    count(res.status);
  }
}

log(`load: ${UPLOADERS} uploaders and ${SEARCHERS} searchers for ${SECONDS} s`);
await Promise.all([
  ...Array.from({ length: UPLOADERS }, (_, i) => uploader(i)),
  ...Array.from({ length: SEARCHERS }, (_, i) => searcher(i)),
]);
const during = rssTree(launcherPid);

log("waiting for every upload to finish processing");
const settleBy = Date.now() + 600_000;
let videos: { id: string; status: string; name: string }[] = [];
for (;;) {
  videos = (
    (await (await fetch(`${BASE}/api/videos?limit=1000`, { headers: auth })).json()) as { videos: typeof videos }
  ).videos;
  if (videos.every((v) => v.status === "ready" || v.status === "failed") || Date.now() > settleBy) break;
  await new Promise((r) => setTimeout(r, 1000));
}
// Idle, V8 gives memory back over tens of seconds (its memory reducer): read RSS until the
// app's total is back within 10 % of where it started, or 120 s have passed.
const total = (t: Record<string, number>) => Object.values(t).reduce((x, y) => x + y, 0);
let after = rssTree(launcherPid);
const idleFrom = Date.now();
while (total(after) > total(before) * 1.1 && Date.now() - idleFrom < 120_000) {
  await new Promise((r) => setTimeout(r, 5000));
  after = rssTree(launcherPid);
}
const settledAfterS = Math.round((Date.now() - idleFrom) / 1000);

const ids = new Set(uploaded.values());
const lost = [...ids].filter((id) => !videos.some((v) => v.id === id));
const unfinished = videos.filter((v) => v.status !== "ready" && v.status !== "failed");
const result = {
  seconds: SECONDS,
  uploaders: UPLOADERS,
  searchers: SEARCHERS,
  statuses,
  searches: searchMs.length,
  searchP50Ms: Math.round(percentile(searchMs, 50)),
  searchP99Ms: Math.round(percentile(searchMs, 99)),
  distinctFiles: files.length,
  videosInLibrary: videos.length,
  ready: videos.filter((v) => v.status === "ready").length,
  failed: videos.filter((v) => v.status === "failed").length,
  lost: lost.length,
  duplicated: videos.length - ids.size,
  unfinished: unfinished.length,
  rssMiB: { before, during, after, totalBefore: total(before), totalAfter: total(after), settledAfterS },
};
console.log(JSON.stringify(result, null, 2));
stopApp();
await new Promise((r) => app.once("exit", r));
rmSync(dataDir, { recursive: true, force: true });
const bad =
  (statuses["5xx"] ?? 0) > 0 ||
  (statuses["0xx"] ?? 0) > 0 ||
  lost.length > 0 ||
  result.duplicated !== 0 ||
  unfinished.length > 0;
process.exit(bad ? 1 : 0);
