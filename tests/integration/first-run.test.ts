/**
 * First run: a library without accounts. The API says setup is needed, the first admin
 * is created once (by the setup route or ADMIN_EMAIL/ADMIN_PASSWORD) and claims the
 * videos added before it existed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as setupRoute } from "@/app/api/auth/setup/route";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { GET as meRoute } from "@/app/api/me/route";
import { GET as listRoute } from "@/app/api/videos/route";
import * as videosRepo from "@/db/repositories/videos";
import { ensureAdminFromEnv, forgetUsersExist } from "@/lib/auth/accounts";
import { startHarness, type Harness } from "../helpers/harness";
import { insertVideoRow } from "../helpers/videos";

let h: Harness;
const BASE = "http://test";

const post = (route: (r: Request) => Promise<Response>, url: string, body: unknown) =>
  route(
    new Request(`${BASE}${url}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
  );

beforeAll(async () => {
  h = await startHarness();
  await h.stopWorker();
  // the harness made an admin; this file is about the library before any account
  await h.ctx.db.query("DELETE FROM users");
  forgetUsersExist();
});

afterAll(async () => {
  await h?.stop();
});

describe(`first run (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  let orphan: string;

  it("without accounts the API answers 401 setup_required, and nobody can sign in", async () => {
    orphan = randomUUID();
    await insertVideoRow(h.ctx.db, { id: orphan, originalName: "before-accounts.mp4" });
    const res = await listRoute(new Request(`${BASE}/api/videos`));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("setup_required");
    expect(
      (await post(loginRoute, "/api/auth/login", { email: "admin@example.com", password: "whatever it is" })).status,
    ).toBe(401);
  });

  it("refuses a weak password or a bad email with 400", async () => {
    expect((await post(setupRoute, "/api/auth/setup", { email: "admin@example.com", password: "short" })).status).toBe(
      400,
    );
    expect(
      (await post(setupRoute, "/api/auth/setup", { email: "not an email", password: "long enough password" })).status,
    ).toBe(400);
  });

  it("creates the admin once, signed in, owning the videos added before it", async () => {
    const res = await post(setupRoute, "/api/auth/setup", {
      email: " Admin@Example.com ",
      password: "long enough password",
      name: "Ada",
    });
    expect(res.status).toBe(201);
    const cookie = /moments_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
    const me = (await (await meRoute(new Request(`${BASE}/api/me`, { headers: { cookie } }))).json()) as {
      user: { id: string; email: string };
      role: string;
    };
    expect(me).toMatchObject({ user: { email: "admin@example.com" }, role: "admin" });
    expect((await videosRepo.findVideo(h.ctx.db, orphan))!.addedBy).toBe(me.user.id);

    const again = await post(setupRoute, "/api/auth/setup", {
      email: "intruder@example.com",
      password: "long enough password",
    });
    expect(again.status).toBe(409);
    const login = await post(loginRoute, "/api/auth/login", {
      email: "ADMIN@example.com",
      password: "long enough password",
    });
    expect(login.status).toBe(200);
  });

  it("ADMIN_EMAIL + ADMIN_PASSWORD create the admin only on a library without accounts", async () => {
    expect(
      await ensureAdminFromEnv(h.ctx, { ADMIN_EMAIL: "second@example.com", ADMIN_PASSWORD: "long enough password" }),
    ).toBeNull();
    await expect(ensureAdminFromEnv(h.ctx, { ADMIN_EMAIL: "x@example.com" })).rejects.toThrow(/both/);
    await h.ctx.db.query("DELETE FROM users");
    forgetUsersExist();
    await expect(
      ensureAdminFromEnv(h.ctx, { ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "short" }),
    ).rejects.toThrow(/at least 8/);
    const admin = await ensureAdminFromEnv(h.ctx, {
      ADMIN_EMAIL: "ops@example.com",
      ADMIN_PASSWORD: "long enough password",
    });
    expect(admin).toMatchObject({ email: "ops@example.com", role: "admin" });
    expect(
      await ensureAdminFromEnv(h.ctx, { ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "long enough password" }),
    ).toBeNull();
  });
});
