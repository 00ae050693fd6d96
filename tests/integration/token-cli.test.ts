/** `npm run token` from inside the trust boundary: prints a working token once, never above the account's role. */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as meRoute } from "@/app/api/me/route";
import { bearerRequest, createTestAccount, type TestAccount } from "../helpers/accounts";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let annotator: TestAccount;

beforeAll(async () => {
  h = await startHarness();
  await h.stopWorker();
  annotator = await createTestAccount(h.ctx, "annotator", "cli");
});
afterAll(async () => {
  await h?.stop();
});

/** Runs the CLI without blocking this process, which serves the embedded database it talks to. */
function token(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/token.ts", ...args], {
    env: { ...process.env, DATABASE_URL: h.ctx.config.databaseUrl!, DATA_DIR: h.dataDir },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

it("prints a token that signs in with the requested role, and refuses more than the account's", async () => {
  const r = await token("--email", annotator.email.toUpperCase(), "--role", "viewer", "--name", "nightly");
  expect(r.status, r.stderr).toBe(0);
  const printed = r.stdout.trim();
  expect(printed).toMatch(/^mst_[A-Za-z0-9_-]{43}$/);
  const me = (await (await meRoute(bearerRequest(printed, "http://test/api/me"))).json()) as {
    role: string;
    via: string;
  };
  expect(me).toMatchObject({ role: "viewer", via: "token" });

  const above = await token("--email", annotator.email, "--role", "admin");
  expect(above.status).toBe(1);
  expect(above.stderr).toMatch(/at most yours/);
  const unknown = await token("--email", "nobody@test.example");
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).toMatch(/No account/);
});
