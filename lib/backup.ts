/**
 * Backups of the whole library: the database (as JSON lines per table) and every
 * video's media folder. A backup is one consistent snapshot of the database (a
 * repeatable-read transaction) taken while the app runs; the media copied are those of
 * the videos in that snapshot. Works the same for the embedded database and PostgreSQL.
 *
 *   OUT/manifest.json          format, schema version, row counts
 *   OUT/db/<table>.jsonl       one JSON row per line
 *   OUT/media/<video id>/…     originals, posters, sprites
 *   OUT/models/<version>/…     trained model versions (DATA_DIR/models; version 1 ships with the app)
 *
 * Restoring needs an empty library: it migrates the database to the backup's schema,
 * loads the rows, migrates on to today's schema, copies the media and queues the videos
 * that were still being processed.
 */
import { createReadStream, createWriteStream, existsSync, readdirSync } from "node:fs";
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { listMigrations, migrate } from "@/db/migrate";
import { withTransaction } from "@/db/pool";
import { getState } from "@/db/repositories/model-versions";
import { insertableColumns, insertJsonRows, tableRows } from "@/db/repositories/dump";
import type { Context } from "./context";
import { versionDir, versionsRoot } from "./models/versions";
import { videoDir } from "./storage";

export const BACKUP_FORMAT = 1;
/** Saved, in the order they are restored (foreign keys first). */
export const BACKUP_TABLES = [
  "users",
  "model_versions",
  "model_state",
  "videos",
  "clips",
  "cues",
  "sessions",
  "api_tokens",
  "datasets",
  "dataset_queries",
  "review_batches",
  "review_items",
  "review_skips",
  "annotations",
  "settings",
  "video_descriptions",
] as const;
/** Not saved: bookkeeping a restored app rebuilds (schema versions, worker leases, staged vectors). */
export const UNSAVED_TABLES = [
  "schema_migrations",
  "worker_leases",
  "job_leases",
  // vectors staged for a pending model switch: a restored library re-embeds them again
  "clips_pending",
  "videos_pending",
] as const;
/** Rows the migrations insert themselves (version 1, the state row): a backup's rows replace them. */
const SEEDED_TABLES = ["model_state", "model_versions"] as const;

export interface Manifest {
  format: number;
  createdAt: string;
  schemaVersion: number;
  rows: Record<string, number>;
  mediaFolders: number;
}

export async function backup(ctx: Context, out: string, log: (m: string) => void = () => undefined): Promise<Manifest> {
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(`${out} is not empty; back up into a new folder.`);
  await mkdir(path.join(out, "db"), { recursive: true });
  const rows: Record<string, number> = {};
  let videoIds: string[] = [];
  let versions: number[] = [];
  let schemaVersion = 0;
  await withTransaction(ctx.db, async (client) => {
    await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    schemaVersion = (
      await client.query<{ v: number }>("SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations")
    ).rows[0].v;
    for (const table of BACKUP_TABLES) {
      const file = createWriteStream(path.join(out, "db", `${table}.jsonl`));
      let n = 0;
      for await (const batch of tableRows(client, table)) {
        n += batch.length;
        if (!file.write(`${batch.join("\n")}\n`)) await new Promise((r) => file.once("drain", r));
      }
      await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
      rows[table] = n;
      log(`${table}: ${n} rows`);
    }
    videoIds = (await client.query<{ id: string }>("SELECT id FROM videos")).rows.map((r) => r.id);
    versions = (
      await client.query<{ version: number }>("SELECT version FROM model_versions WHERE version > 1")
    ).rows.map((r) => r.version);
  });
  let mediaFolders = 0;
  for (const id of videoIds) {
    const src = videoDir(ctx.config, id);
    if (!existsSync(src)) continue;
    await cp(src, path.join(out, "media", id), { recursive: true });
    mediaFolders++;
  }
  log(`media: ${mediaFolders} folders`);
  let modelFolders = 0;
  for (const version of versions) {
    const src = versionDir(ctx.config, version);
    if (!existsSync(src)) continue;
    await cp(src, path.join(out, "models", String(version)), { recursive: true });
    modelFolders++;
  }
  if (modelFolders) log(`models: ${modelFolders} trained version(s)`);
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    schemaVersion,
    rows,
    mediaFolders,
  };
  await writeFile(path.join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, "manifest.json");
  if (!existsSync(file)) throw new Error(`${dir} is not a backup (no manifest.json).`);
  const m = JSON.parse(await readFile(file, "utf8")) as Manifest;
  if (m.format !== BACKUP_FORMAT)
    throw new Error(`backup format ${m.format} is not supported (expected ${BACKUP_FORMAT}).`);
  return m;
}

export async function restore(
  ctx: Context,
  from: string,
  log: (m: string) => void = () => undefined,
): Promise<Manifest> {
  const manifest = await readManifest(from);
  const current = await ctx.db
    .query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'videos'",
    )
    .then((r) => r.rows[0].n);
  if (current > 0) {
    const used = await ctx.db
      .query<{ n: number }>("SELECT (SELECT count(*) FROM videos) + (SELECT count(*) FROM users) AS n")
      .catch(() => ({ rows: [{ n: 0 }] }));
    if (Number(used.rows[0].n) > 0)
      throw new Error("The library is not empty; restore into a new DATA_DIR and database.");
  }
  const latest = Math.max(0, ...listMigrations().map((m) => m.version));
  if (manifest.schemaVersion > latest)
    throw new Error(
      `The backup has schema ${manifest.schemaVersion}, newer than this app's (${latest}); upgrade the app first.`,
    );
  // the rows fit the schema they were saved from; later migrations convert them like any upgrade
  await migrate(ctx.db, undefined, { upTo: manifest.schemaVersion });
  await withTransaction(ctx.db, async (client) => {
    for (const table of SEEDED_TABLES) {
      if (existsSync(path.join(from, "db", `${table}.jsonl`))) await client.query(`DELETE FROM "${table}"`);
    }
    for (const table of BACKUP_TABLES) {
      const file = path.join(from, "db", `${table}.jsonl`);
      if (!existsSync(file)) continue;
      const columns = await insertableColumns(client, table);
      let batch: string[] = [];
      let n = 0;
      for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        if (!line) continue;
        batch.push(line);
        if (batch.length >= 500) {
          await insertJsonRows(client, table, columns, batch);
          n += batch.length;
          batch = [];
        }
      }
      await insertJsonRows(client, table, columns, batch);
      n += batch.length;
      if (n !== manifest.rows[table])
        throw new Error(`${table}: the backup says ${manifest.rows[table]} rows, found ${n}; it is incomplete.`);
      log(`${table}: ${n} rows`);
    }
  });
  await migrate(ctx.db);
  const media = path.join(from, "media");
  const folders = existsSync(media) ? await readdir(media) : [];
  for (const id of folders) await cp(path.join(media, id), videoDir(ctx.config, id), { recursive: true });
  log(`media: ${folders.length} folders`);
  const models = path.join(from, "models");
  const versions = existsSync(models) ? await readdir(models) : [];
  for (const v of versions) await cp(path.join(models, v), path.join(versionsRoot(ctx.config), v), { recursive: true });
  if (versions.length) log(`models: ${versions.length} trained version(s)`);
  const unfinished = await ctx.db.query<{ id: string }>(
    "SELECT id FROM videos WHERE status IN ('queued', 'processing')",
  );
  if (unfinished.rows.length) {
    const queue = await ctx.queue();
    for (const { id } of unfinished.rows) await queue.enqueueIngest(id);
    log(`queued ${unfinished.rows.length} video(s) that were being processed`);
  }
  // batch predictions that had not finished: their jobs were not in the backup
  const batches = await ctx.db.query<{ id: string }>(
    "SELECT id FROM review_batches WHERE status IN ('queued', 'running')",
  );
  if (batches.rows.length) {
    const queue = await ctx.queue();
    for (const { id } of batches.rows) await queue.enqueueReviewBatch(id);
    log(`queued ${batches.rows.length} unfinished batch prediction(s)`);
  }
  // a model switch that was re-embedding: its staged vectors were not saved; it starts over
  const { pending } = await getState(ctx.db);
  if (pending !== null) {
    await (await ctx.queue()).enqueueReembed(pending);
    log(`queued the re-embedding for model version ${pending}`);
  }
  return manifest;
}
