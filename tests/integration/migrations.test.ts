/**
 * Upgrading a library in place: a database at an older schema, with clips stored, is migrated
 * to the current one without losing what it holds. Runs on an embedded PGlite of its own, or in
 * a fresh database of the real PostgreSQL in TEST_DATABASE_URL (npm run test:postgres).
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import pgvector from "pgvector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "@/db/embedded";
import { listMigrations, migrate } from "@/db/migrate";
import { clipVectors } from "@/db/repositories/search";

let pool: pg.Pool;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const name = `upgrade_${randomUUID().replace(/-/g, "")}`;
    const admin = new pg.Pool({ connectionString: external, max: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    cleanup = async () => {
      await pool.end();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    };
  } else {
    const db = await startEmbeddedDatabase(null);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    cleanup = async () => {
      await pool.end();
      await db.close();
    };
  }
});

afterAll(async () => {
  await cleanup?.();
});

describe("schema upgrade", () => {
  it("relevance features stored before half precision come back the same after the upgrade (clamped to its range), under their new name", async () => {
    // the schema as it was before 004 (the features as float32 vectors in clips.ground_features)
    const old = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
    const all = listMigrations();
    for (const m of all.filter((x) => x.version <= 3))
      copyFileSync(path.resolve("db/migrations", m.name), path.join(old, m.name));
    expect((await migrate(pool, old)).length).toBe(3);
    rmSync(old, { recursive: true, force: true });

    const id = randomUUID();
    const emb = Array.from({ length: 128 }, (_, i) => Math.sin(i) / 8);
    await pool.query(
      `INSERT INTO videos (id, original_name, stored_path, sha256, bytes, status, embedding) VALUES ($1, 'a.mp4', 'media/a.mp4', $3, 1, 'ready', $2)`,
      [id, pgvector.toSql(emb), `sha-${id}`],
    );
    const features = [0.5, 1234.5678, -3.25, 0.001];
    await pool.query(
      `INSERT INTO clips (video_id, idx, start_s, end_s, embedding, ground_features) VALUES ($1, 0, 0, 1, $2, $3), ($1, 1, 1, 2, $2, NULL), ($1, 2, 2, 3, $2, $4)`,
      [id, pgvector.toSql(emb), pgvector.toSql(features), pgvector.toSql([1e6, -2, -1e7])],
    );

    const applied = await migrate(pool);
    expect(applied.length).toBe(all.length - 3);
    expect(applied.some((name) => name.includes("halfvec"))).toBe(true);
    // 010 renamed the column (one name for the relevance features everywhere) and kept its type
    expect(applied).toContain("010_clip_relevance.sql");
    const type = await pool.query<{ name: string; t: string }>(
      "SELECT attname AS name, format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'clips'::regclass AND attname IN ('relevance', 'ground_features') AND NOT attisdropped",
    );
    expect(type.rows).toEqual([{ name: "relevance", t: "halfvec" }]);

    const clips = (await clipVectors(pool, [id])).get(id)!;
    expect(clips.length).toBe(3);
    // the embedding is untouched; the features keep half precision's 11 significant bits
    Array.from(clips[0].embedding).forEach((x, i) => expect(x).toBeCloseTo(emb[i], 6));
    const got = Array.from(clips[0].relevance!);
    expect(got.length).toBe(features.length);
    got.forEach((x, i) => expect(Math.abs(x - features[i])).toBeLessThanOrEqual(Math.abs(features[i]) / 1024));
    // a clip that had no features still has none
    expect(clips[1].relevance).toBeUndefined();
    // values beyond half precision's range are clamped to its ends instead of failing the upgrade
    expect(Array.from(clips[2].relevance!)).toEqual([65504, -2, -65504]);
  });
});
