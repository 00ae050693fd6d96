// npm run db:migrate — applies pending migrations to the configured database.
import { migrate } from "@/db/migrate";
import { closePools, getPool } from "@/db/pool";
import { loadConfig } from "@/lib/config";
import { resolveDatabase } from "@/lib/runtime/database";

const config = loadConfig();
const database = await resolveDatabase(config, { allowOpen: true });
try {
  const applied = await migrate(getPool(database.url));
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} finally {
  await closePools();
  await database.close();
}
