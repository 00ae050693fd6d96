/**
 * npm start — the whole app on one machine: the embedded database (unless DATABASE_URL
 * is set), migrations, demo content on an empty library, the Next.js server and WORKERS
 * ingestion worker processes. Builds the web app first when its sources changed.
 * ADMIN_EMAIL + ADMIN_PASSWORD create the admin account on a library without accounts;
 * otherwise the first browser visit leads to "create the admin account". The web server
 * listens on loopback unless HOST says otherwise.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrate } from "@/db/migrate";
import { closePools } from "@/db/pool";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { ensureAdminFromEnv, hasUsers } from "@/lib/auth/accounts";
import { pruneExpiredSessions } from "@/lib/auth/sessions";
import { seedDemoLibrary } from "@/lib/demo";
import { sweepLeftovers } from "@/lib/sweep";
import { ffmpegBinaries } from "@/lib/media/ffmpeg";
import { requeueOrphanedJobs } from "@/lib/queue";
import { resolveDatabase, runningEmbedded } from "@/lib/runtime/database";
import { ensureDirs } from "@/lib/storage";

const dev = process.argv.includes("--dev");
// Uploads, media and the embedded database are private to this user.
process.umask(0o077);
const root = process.cwd();
const log = (m: string) => console.log(`[start] ${m}`);

const base = loadConfig();
const running = base.databaseMode === "postgres" ? null : runningEmbedded(base);
if (running) {
  console.error(
    `[start] another instance (pid ${running.pid}) already serves ${base.dataDir}; stop it first (kill ${running.pid}) or set DATA_DIR to another folder.`,
  );
  process.exit(1);
}
const database = await resolveDatabase(base, { allowOpen: true });
const config = { ...base, databaseUrl: database.url, databaseMode: database.mode };
const ctx = createContext(config);
log(
  `database: ${database.mode}${database.mode === "embedded" ? ` (PGlite in ${path.join(config.dataDir, "pgdata")})` : ""}`,
);
await ensureDirs(config);
chmodSync(config.dataDir, 0o700);
const applied = await migrate(ctx.db);
if (applied.length) log(`migrations applied: ${applied.join(", ")}`);
ffmpegBinaries();
try {
  const admin = await ensureAdminFromEnv(ctx);
  if (admin) log(`admin account created for ${admin.email} (ADMIN_EMAIL)`);
} catch (err) {
  console.error(`[start] ${(err as Error).message}`);
  process.exit(1);
}
const needsSetup = !(await hasUsers(ctx));
const prune = () =>
  pruneExpiredSessions(ctx).catch((err: Error) => console.error(`[start] pruning sessions failed: ${err.message}`));
await prune();
const sweep = () =>
  sweepLeftovers(ctx).then(
    (r) =>
      (r.partialUploads || r.orphanFolders) &&
      log(`swept ${r.partialUploads} interrupted upload(s) and ${r.orphanFolders} orphaned media folder(s)`),
    (err: Error) => console.error(`[start] sweeping leftovers failed: ${err.message}`),
  );
await sweep();
setInterval(() => void prune().then(sweep), 60 * 60 * 1000).unref();
const queue = await ctx.queue();
if (database.owner) {
  const n = await requeueOrphanedJobs(queue, "the app was restarted while this video was processing");
  if (n) log(`re-queued ${n} job(s) interrupted by the last shutdown`);
}

const children: ChildProcess[] = [];
const childEnv = {
  ...process.env,
  ...(database.mode === "embedded" ? { EMBEDDED_DATABASE_URL: database.url } : {}),
  DATA_DIR: config.dataDir,
  NEXT_TELEMETRY_DISABLED: "1",
  // read by scripts/lib/exit-with-parent.mjs: children exit when this process is gone
  MOMENTS_LAUNCHER_PID: String(process.pid),
};

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log("stopping…");
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
  await queue.stop().catch(() => undefined);
  await closePools().catch(() => undefined);
  await database.close().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
// `npm start` runs this under a tsx wrapper; if that is killed outright, stop cleanly too.
const wrapper = process.ppid;
setInterval(() => {
  if (process.ppid !== wrapper) {
    log(`the process that started this one (pid ${wrapper}) is gone`);
    void shutdown(1);
  }
}, 1000).unref();

const exitWithParent = path.join(root, "scripts", "lib", "exit-with-parent.mjs");
// TRACE → 405 and Content-Length on HEAD/206, which Next's route handlers cannot do (see the file)
const serverPreload = path.join(root, "lib", "http", "server-preload.mjs");

function startChild(name: string, args: string[], o: { critical: boolean }): ChildProcess {
  const child = spawn(process.execPath, ["--import", exitWithParent, ...args], {
    env: childEnv,
    stdio: "inherit",
    cwd: root,
  });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    if (o.critical) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping.`);
      void shutdown(code || 1);
    } else {
      console.error(`[start] ${name} exited (${signal ?? code}); restarting in 2 s.`);
      setTimeout(() => {
        if (!shuttingDown) children.splice(children.indexOf(child), 1, startChild(name, args, o));
      }, 2000);
    }
  });
  return child;
}

/** A fingerprint of everything the web build depends on; rebuild when it changes. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(p);
      } else if (/\.(tsx?|css|json|sql)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        const s = statSync(p);
        hash.update(`${p}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  for (const d of ["app", "lib", "ml", "db"]) walk(path.join(root, d));
  for (const f of [
    "next.config.js",
    "instrumentation.ts",
    "config/security-headers.js",
    "package-lock.json",
    "postcss.config.mjs",
    "tsconfig.json",
  ]) {
    if (existsSync(f)) hash.update(`${f}:${statSync(f).mtimeMs}\n`);
  }
  return hash.digest("hex");
}

const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

// Workers and demo seeding first: the demo videos ingest while the web app builds.
for (let i = 0; i < config.workers; i++) {
  startChild(`worker ${i + 1}`, ["--import", "tsx", path.join(root, "scripts", "worker.ts")], { critical: false });
}
if (config.seedDemo) {
  seedDemoLibrary(ctx, log).then(
    (n) => n && log(`${n} demo videos queued`),
    (err) => console.error("[start] demo seeding failed:", (err as Error).message),
  );
}

if (!dev) {
  const stampFile = path.join(root, ".next", "momentsearch-build-stamp");
  const stamp = sourceStamp();
  const built =
    existsSync(path.join(root, ".next", "BUILD_ID")) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === stamp;
  if (!built) {
    log("building the web app (first start or sources changed)…");
    const t0 = Date.now();
    // Asynchronous on purpose: this process serves the embedded database meanwhile.
    const build = spawn(process.execPath, [nextBin, "build"], { stdio: "inherit", env: childEnv, cwd: root });
    const code = await new Promise<number | null>((resolve) => build.on("exit", resolve));
    if (code !== 0) {
      console.error("[start] next build failed");
      await shutdown(1);
    }
    writeFileSync(stampFile, stamp);
    log(`built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

startChild(
  "web server",
  ["--import", serverPreload, nextBin, dev ? "dev" : "start", "-p", String(config.port), "-H", config.host],
  { critical: true },
);
const shown =
  config.host === "0.0.0.0" || config.host === "::"
    ? "localhost"
    : config.host.includes(":")
      ? `[${config.host}]`
      : config.host;
log(`http://${shown}:${config.port}  (DATA_DIR=${config.dataDir}, workers=${config.workers})`);
if (config.host === "127.0.0.1") log("listening on this machine only; set HOST=0.0.0.0 to let other machines reach it");
if (needsSetup)
  log(
    `no account yet: open http://${shown}:${config.port} to create the admin account (or set ADMIN_EMAIL and ADMIN_PASSWORD)`,
  );
