/**
 * Embedded mode: PGlite (Postgres compiled to wasm) with pgvector, persisted in a
 * folder, served over the Postgres wire protocol on 127.0.0.1 so that the Next.js
 * server, workers and CLIs connect with the same node-postgres code as production.
 * PGlite runs one query at a time; the socket server multiplexes connections onto it.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { servePglite } from "./embedded-server";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `password`: what clients must send; a fresh random one by default, so only whoever can
 * read the URL (the launcher's lock file, mode 0600) can connect.
 */
export async function startEmbeddedDatabase(
  dataDir: string | null,
  opts: { port?: number; password?: string } = {},
): Promise<EmbeddedDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? undefined, { extensions: { vector, pg_trgm } });
  const password = opts.password ?? randomBytes(24).toString("hex");
  const server = await servePglite(db, { host: "127.0.0.1", port: opts.port, password });
  const port = server.port;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    async close() {
      await server.close();
      await db.close();
    },
  };
}
