/**
 * npm run token -- --email E [--role R] [--name N]
 * Creates an API token for an account, from inside the trust boundary (this machine
 * reaches the database directly), and prints it once. The role defaults to the
 * account's and can be at most that. Use it as `Authorization: Bearer <token>`.
 */
import { parseArgs } from "node:util";
import { migrate } from "@/db/migrate";
import { closePools } from "@/db/pool";
import { findUserByEmail } from "@/db/repositories/users";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { isRole, ROLES } from "@/lib/auth/roles";
import { createToken } from "@/lib/auth/tokens";
import { resolveDatabase } from "@/lib/runtime/database";

const usage = `usage: npm run token -- --email E [--role ${ROLES.join("|")}] [--name N]`;
const { values } = parseArgs({
  options: {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.email) {
  console.error(usage);
  process.exit(2);
}
if (values.role !== undefined && !isRole(values.role)) {
  console.error(`--role must be one of ${ROLES.join(", ")}`);
  process.exit(2);
}

const base = loadConfig();
const database = await resolveDatabase(base, { allowOpen: true });
const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
let code = 0;
try {
  await migrate(ctx.db);
  const user = await findUserByEmail(ctx.db, values.email.trim().toLowerCase());
  if (!user) throw new AppError(404, "not_found", `No account for ${values.email}.`);
  if (user.disabledAt) throw new AppError(403, "forbidden", `The account ${user.email} is disabled.`);
  const role = isRole(values.role) ? values.role : undefined;
  const name = values.name?.trim() || `cli ${new Date().toISOString().slice(0, 10)}`;
  const { token, record } = await createToken(ctx, { userId: user.id, maxRole: user.role, name, role });
  console.error(`token "${record.name}" for ${user.email}, role ${record.role}; it is shown only now:`);
  console.log(token);
} catch (err) {
  console.error(err instanceof AppError ? err.message : err);
  code = 1;
} finally {
  await closePools();
  await database.close();
}
process.exit(code);
