// npm run test:postgres — the integration suite against a real PostgreSQL + pgvector.
import { spawnSync } from "node:child_process";
import { startCluster } from "./pg-cluster";

const cluster = await startCluster();
console.log(`[test:postgres] throw-away cluster at ${cluster.url}`);
let status = 1;
try {
  const r = spawnSync("npx", ["vitest", "run", "--project", "integration", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, TEST_DATABASE_URL: cluster.url },
  });
  status = r.status ?? 1;
} finally {
  cluster.stop();
  console.log("[test:postgres] cluster removed");
}
process.exit(status);
