/**
 * Who may call what: every API route × {anonymous, viewer, annotator, admin} through the
 * real route handlers, guard and database (PGlite and real PostgreSQL). The table below
 * must name every route file's every method: adding a route without an entry fails the
 * first test. Then sessions: cookies, cross-site refusal, revocation, rate limiting.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as videosRepo from "@/db/repositories/videos";
import { createTestAccount, bearerRequest, type TestAccount } from "../helpers/accounts";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { insertVideoRow } from "../helpers/videos";
import { makeTestVideo } from "../helpers/media";
import { ACCOUNT_FAILURES } from "@/lib/auth/rate-limit";
import { createToken } from "@/lib/auth/tokens";
import { isNotAllowedHandler } from "@/lib/http/methods";
import { startBatch } from "@/lib/review/batches";
import { addDescriptions } from "@/db/repositories/descriptions";
import { createItem, decide } from "@/lib/review/service";

type Who = "anonymous" | "viewer" | "annotator" | "admin";
const WHO: Who[] = ["anonymous", "viewer", "annotator", "admin"];
type Handler = (request: Request, segment?: { params: Promise<Record<string, string>> }) => Promise<Response>;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

const API_DIR = path.resolve("app/api");
const BASE = "http://test";

/** Every `app/api/**\/route.ts` as "METHOD /api/path" → its handler. */
async function discoverRoutes(): Promise<Map<string, Handler>> {
  const routes = new Map<string, Handler>();
  const walk = async (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name === "route.ts") {
        const mod = (await import(p)) as Record<string, unknown>;
        const urlPath = `/api/${path.relative(API_DIR, path.dirname(p)).split(path.sep).join("/")}`.replace(/\/$/, "");
        // the 405 + Allow answers for methods a route does not implement are not routes
        for (const m of METHODS)
          if (typeof mod[m] === "function" && !isNotAllowedHandler(mod[m]))
            routes.set(`${m} ${urlPath}`, mod[m] as Handler);
      }
    }
  };
  await walk(API_DIR);
  return routes;
}

let h: Harness;
const accounts = {} as Record<Exclude<Who, "anonymous">, TestAccount>;
let videoId: string;
let videoBytes: Buffer;
let target: TestAccount;

interface Call {
  url?: string;
  init?: RequestInit;
  params?: Record<string, string>;
}
interface Entry {
  expect: Record<Who, number>;
  /** the request for one caller (fresh resources for destructive calls) */
  call?: (who: Who) => Call | Promise<Call>;
}

const all = (status: number): Record<Who, number> => ({
  anonymous: status,
  viewer: status,
  annotator: status,
  admin: status,
});
const from = (least: Exclude<Who, "anonymous">, allowed: number): Record<Who, number> => {
  const rank = WHO.indexOf(least);
  return Object.fromEntries(WHO.map((w, i) => [w, i === 0 ? 401 : i < rank ? 403 : allowed])) as Record<Who, number>;
};
const jsonInit = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});
const video = () => ({ params: { id: videoId } });

/** A row to delete: no files behind it, so deleting costs nothing. */
async function throwawayVideo(): Promise<string> {
  const id = randomUUID();
  await insertVideoRow(h.ctx.db, { id, originalName: "throwaway.mp4" });
  return id;
}

const SRT = "1\n00:00:00,500 --> 00:00:02,000\nmatrix subtitle\n";

const MATRIX: Record<string, Entry> = {
  "GET /api/health": { expect: all(200) },
  "GET /api/search": { expect: from("viewer", 200), call: () => ({ url: "/api/search?q=red" }) },
  "GET /api/videos": { expect: from("viewer", 200) },
  // the same bytes as the library's video: allowed callers get 200 (already there), nothing new to ingest
  "POST /api/videos": {
    expect: from("annotator", 200),
    call: () => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(videoBytes)]), "matrix.mp4");
      return { init: { method: "POST", body: form } };
    },
  },
  "GET /api/videos/[id]": { expect: from("viewer", 200), call: video },
  "DELETE /api/videos/[id]": {
    expect: from("admin", 200),
    call: async () => ({ params: { id: await throwawayVideo() } }),
  },
  "PATCH /api/videos/[id]": {
    expect: from("annotator", 200),
    call: async () => ({ params: { id: await throwawayVideo() }, init: jsonInit("PATCH", { title: "Renamed" }) }),
  },
  // a failed video: annotators may reprocess it
  "POST /api/videos/[id]/reprocess": {
    expect: from("annotator", 202),
    call: async () => {
      const id = await throwawayVideo();
      await videosRepo.markFailed(h.ctx.db, id, "matrix");
      return { params: { id }, init: { method: "POST" } };
    },
  },
  "GET /api/videos/[id]/file": {
    expect: from("viewer", 206),
    call: () => ({ ...video(), init: { headers: { range: "bytes=0-99" } } }),
  },
  "HEAD /api/videos/[id]/file": { expect: from("viewer", 200), call: () => ({ ...video(), init: { method: "HEAD" } }) },
  "GET /api/videos/[id]/poster": { expect: from("viewer", 200), call: video },
  "GET /api/videos/[id]/sprite": { expect: from("viewer", 200), call: video },
  "GET /api/videos/[id]/clips": { expect: from("viewer", 200), call: video },
  "GET /api/videos/[id]/cues": {
    expect: from("viewer", 200),
    call: () => ({ url: `/api/videos/${videoId}/cues?kind=ocr`, params: { id: videoId } }),
  },
  "GET /api/videos/[id]/tracks/[kind]": {
    expect: from("viewer", 200),
    call: () => ({ params: { id: videoId, kind: "subtitles.vtt" } }),
  },
  "PUT /api/videos/[id]/subtitles": {
    expect: from("annotator", 200),
    call: () => ({ ...video(), init: { method: "PUT", body: SRT, headers: { "content-type": "text/plain" } } }),
  },
  // public: wrong credentials for anonymous, the caller's own for the others
  "POST /api/auth/login": {
    expect: { anonymous: 401, viewer: 200, annotator: 200, admin: 200 },
    call: (who) => ({
      init: jsonInit(
        "POST",
        who === "anonymous"
          ? { email: "nobody@test.example", password: "wrong password" }
          : { email: accounts[who].email, password: accounts[who].password },
      ),
    }),
  },
  "POST /api/auth/logout": { expect: all(200), call: () => ({ init: { method: "POST" } }) },
  "POST /api/auth/setup": {
    expect: all(409),
    call: () => ({ init: jsonInit("POST", { email: "late@test.example", password: "a long enough password" }) }),
  },
  "GET /api/me": { expect: from("viewer", 200) },
  "PUT /api/me/password": {
    expect: from("viewer", 200),
    call: (who) => {
      const pw = who === "anonymous" ? "whatever password" : accounts[who].password;
      return { init: jsonInit("PUT", { currentPassword: pw, newPassword: pw }) };
    },
  },
  "GET /api/tokens": { expect: from("viewer", 200) },
  "POST /api/tokens": { expect: from("viewer", 201), call: () => ({ init: jsonInit("POST", { name: "matrix" }) }) },
  "DELETE /api/tokens/[id]": {
    expect: from("viewer", 200),
    call: async (who) => {
      const owner = who === "anonymous" ? accounts.viewer : accounts[who];
      const { record } = await createToken(h.ctx, { userId: owner.id, maxRole: owner.role, name: "to revoke" });
      return { params: { id: record.id }, init: { method: "DELETE" } };
    },
  },
  "GET /api/users": { expect: from("admin", 200) },
  "POST /api/users": {
    expect: from("admin", 201),
    call: () => ({
      init: jsonInit("POST", {
        email: `new-${randomUUID().slice(0, 8)}@test.example`,
        password: "a long enough password",
        role: "viewer",
      }),
    }),
  },
  "PATCH /api/users/[id]": {
    expect: from("admin", 200),
    call: () => ({ params: { id: target.id }, init: jsonInit("PATCH", { name: "Renamed" }) }),
  },
  "DELETE /api/users/[id]/sessions": {
    expect: from("admin", 200),
    call: () => ({ params: { id: target.id }, init: { method: "DELETE" } }),
  },
  "POST /api/review/items": {
    expect: from("annotator", 201),
    call: () => ({ init: jsonInit("POST", { videoId, sentence: "the pattern moves" }) }),
  },
  "GET /api/review/next": { expect: from("annotator", 200) },
  "POST /api/review/items/[id]/decision": {
    expect: from("annotator", 200),
    call: async () => ({ params: { id: (await reviewItem()).id }, init: jsonInit("POST", { decision: "accept" }) }),
  },
  // each allowed caller first has a decision of their own to undo
  "POST /api/review/undo": {
    expect: from("annotator", 200),
    call: async (who) => {
      if (who === "annotator" || who === "admin")
        await decide(h.ctx, accounts[who].id, (await reviewItem()).id, { decision: "reject" });
      return { init: { method: "POST" } };
    },
  },
  "GET /api/evaluation": { expect: from("annotator", 200) },
  "POST /api/review/items/[id]/skip": {
    expect: from("annotator", 200),
    call: async () => ({ params: { id: (await reviewItem()).id }, init: { method: "POST" } }),
  },
  "GET /api/review/items/[id]": {
    expect: from("annotator", 200),
    call: async () => ({ params: { id: (await reviewItem()).id } }),
  },
  "GET /api/review/settings": { expect: from("annotator", 200) },
  "PUT /api/review/settings": {
    expect: from("admin", 200),
    call: () => ({ init: jsonInit("PUT", { annotationsPerItem: 1 }) }),
  },
  "GET /api/review/batches": { expect: from("annotator", 200) },
  "POST /api/review/batches": {
    expect: from("annotator", 202),
    call: () => ({ init: jsonInit("POST", { items: [{ videoId, sentence: "the pattern moves" }] }) }),
  },
  "GET /api/review/batches/[id]": {
    expect: from("annotator", 200),
    call: async () => ({
      params: {
        id: (await startBatch(h.ctx, { name: "matrix", pairs: [{ videoId, sentence: "bars" }], createdBy: null })).id,
      },
    }),
  },
  "GET /api/datasets": { expect: from("annotator", 200) },
  "POST /api/datasets": {
    expect: from("annotator", 201),
    call: () => {
      const form = new FormData();
      form.append("annotations", new Blob(["matrix 0 1##the pattern moves\n"]), "matrix.txt");
      form.append("videoIds", JSON.stringify({ matrix: videoId }));
      return { init: { method: "POST", body: form } };
    },
  },
  "GET /api/datasets/export": { expect: from("annotator", 200) },
  "GET /api/search/examples": { expect: from("viewer", 200) },
  "GET /api/videos/[id]/descriptions": { expect: from("viewer", 200), call: video },
  "POST /api/videos/[id]/descriptions": {
    expect: from("annotator", 201),
    call: () => ({
      params: { id: videoId },
      init: jsonInit("POST", { sentences: [`a pattern moves ${randomUUID()}`] }),
    }),
  },
  "DELETE /api/videos/[id]/descriptions/[descriptionId]": {
    expect: from("annotator", 200),
    call: async () => {
      const [d] = await addDescriptions(h.ctx.db, videoId, [`to delete ${randomUUID()}`], null);
      return { params: { id: videoId, descriptionId: d.id }, init: { method: "DELETE" } };
    },
  },
  // model versions: admins only; activating the active version, or cancelling it, changes nothing (409)
  "GET /api/models": { expect: from("admin", 200) },
  "GET /api/models/[version]": { expect: from("admin", 200), call: () => ({ params: { version: "1" } }) },
  "POST /api/models/[version]/activate": {
    expect: from("admin", 409),
    call: () => ({ params: { version: "1" }, init: jsonInit("POST", {}) }),
  },
  "POST /api/models/[version]/cancel": {
    expect: from("admin", 409),
    call: () => ({ params: { version: "1" }, init: { method: "POST" } }),
  },
  "GET /api/training/data": { expect: from("annotator", 200) },
  // the guard answers first; an admin's body is then checked (a run that starts is
  // tests/integration/training.test.ts's: here it would train in the background)
  "POST /api/models/train": {
    expect: from("admin", 400),
    call: () => ({ init: jsonInit("POST", { models: ["not-a-model"] }) }),
  },
  "GET /api/moments/similar": {
    expect: from("viewer", 200),
    call: () => ({ url: `/api/moments/similar?video=${videoId}&start=0&end=1` }),
  },
};

const reviewItem = () =>
  createItem(h.ctx, { videoId, sentence: "colours change", source: "described", createdBy: null });

function urlFor(key: string, params: Record<string, string> = {}): string {
  const p = key.split(" ")[1];
  return BASE + p.replace(/\[(\w+)\]/g, (_, k: string) => params[k] ?? "missing");
}

async function callAs(who: Who, handler: Handler, key: string, entry: Entry): Promise<Response> {
  const c = (await entry.call?.(who)) ?? {};
  const method = key.split(" ")[0];
  const url = c.url ? BASE + c.url : urlFor(key, c.params);
  const init: RequestInit = { method, ...c.init };
  const request = who === "anonymous" ? new Request(url, init) : bearerRequest(accounts[who].token, url, init);
  return handler(request, { params: Promise.resolve(c.params ?? {}) });
}

let routes: Map<string, Handler>;

beforeAll(async () => {
  h = await startHarness();
  accounts.admin = h.admin;
  accounts.viewer = await createTestAccount(h.ctx, "viewer");
  accounts.annotator = await createTestAccount(h.ctx, "annotator");
  target = await createTestAccount(h.ctx, "viewer", "target");
  routes = await discoverRoutes();
  const file = await makeTestVideo(path.join(h.dataDir, "fixtures", "matrix.mp4"), { seconds: 3 });
  videoBytes = readFileSync(file);
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(videoBytes)]), "matrix.mp4");
  const res = await routes.get("POST /api/videos")!(h.request(`${BASE}/api/videos`, { method: "POST", body: form }));
  expect(res.status).toBe(201);
  videoId = ((await res.json()) as { id: string }).id;
  const get = async (id: string) =>
    (
      await (
        await routes.get("GET /api/videos/[id]")!(h.request(`${BASE}/api/videos/${id}`), {
          params: Promise.resolve({ id }),
        })
      ).json()
    ).video;
  expect((await waitForStatus(get, videoId, ["ready", "failed"])).status).toBe("ready");
});

afterAll(async () => {
  await h?.stop();
});

describe(`role matrix (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("names every API route and method, and nothing that is not one", () => {
    expect([...routes.keys()].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  for (const [key, entry] of Object.entries(MATRIX)) {
    it(`${key}: ${WHO.map((w) => `${w} ${entry.expect[w]}`).join(", ")}`, async () => {
      const handler = routes.get(key);
      expect(handler, `no route ${key}`).toBeDefined();
      const got: Record<string, number> = {};
      for (const who of WHO) {
        const res = await callAs(who, handler!, key, entry);
        got[who] = res.status;
        if (res.status === 401 || res.status === 403) {
          const body = (await res.json()) as { error: { code: string } };
          expect(body.error.code).toEqual(res.status === 403 ? "forbidden" : expect.any(String));
        }
      }
      expect(got).toEqual(entry.expect);
    });
  }

  it("anonymous health says only whether the server is up; an admin gets the full report", async () => {
    const health = routes.get("GET /api/health")!;
    expect(await (await health(new Request(`${BASE}/api/health`))).json()).toEqual({ status: "ok" });
    expect(await (await health(bearerRequest(accounts.viewer.token, `${BASE}/api/health`))).json()).toEqual({
      status: "ok",
    });
    const full = (await (await health(h.request(`${BASE}/api/health`))).json()) as Record<string, unknown>;
    expect(full).toHaveProperty("database.pgvector");
    expect(full).toHaveProperty("ffmpeg.version");
  });

  it("records who added a video", async () => {
    const res = await routes.get("GET /api/videos/[id]")!(
      bearerRequest(accounts.viewer.token, `${BASE}/api/videos/${videoId}`),
      { params: Promise.resolve({ id: videoId }) },
    );
    expect(((await res.json()) as { video: { addedBy: string } }).video.addedBy).toBe(h.admin.id);
  });
});

// ---------------------------------------------------------------------------------------

function cookieOf(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  const m = /moments_session=([^;]*)/.exec(set);
  expect(m, `no session cookie in "${set}"`).not.toBeNull();
  return `moments_session=${m![1]}`;
}

async function signIn(a: { email: string; password: string }, headers: Record<string, string> = {}): Promise<Response> {
  return routes.get("POST /api/auth/login")!(
    new Request(`${BASE}/api/auth/login`, {
      method: "POST",
      body: JSON.stringify(a),
      headers: { "content-type": "application/json", ...headers },
    }),
  );
}

const me = (cookie: string) => routes.get("GET /api/me")!(new Request(`${BASE}/api/me`, { headers: { cookie } }));

describe("sessions", () => {
  it("sign-in sets an HttpOnly, SameSite=Lax session cookie that /api/me accepts; Secure over https", async () => {
    const res = await signIn(accounts.viewer);
    expect(res.status).toBe(200);
    const set = res.headers.get("set-cookie")!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).not.toMatch(/Secure/);
    const body = (await (await me(cookieOf(res))).json()) as { user: { email: string }; role: string; via: string };
    expect(body).toMatchObject({ user: { email: accounts.viewer.email }, role: "viewer", via: "session" });

    const https = await signIn(accounts.viewer, { "x-forwarded-proto": "https" });
    expect(https.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("the cookie holds a random secret; the database only its hash", async () => {
    const cookie = cookieOf(await signIn(accounts.annotator));
    const secret = cookie.split("=")[1];
    const rows = (await h.ctx.db.query<{ id_hash: string }>("SELECT id_hash FROM sessions")).rows.map((r) => r.id_hash);
    expect(rows).not.toContain(secret);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r))).toBe(true);
  });

  it("a cross-origin POST carrying a valid session cookie is refused (403); same-origin passes", async () => {
    const cookie = cookieOf(await signIn(accounts.admin));
    const post = (headers: Record<string, string>) =>
      routes.get("POST /api/tokens")!(
        new Request(`${BASE}/api/tokens`, {
          method: "POST",
          body: JSON.stringify({ name: "csrf" }),
          headers: { "content-type": "application/json", cookie, ...headers },
        }),
      );
    const refused: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
      {},
    ];
    for (const headers of refused) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect((await post({ origin: BASE })).status).toBe(201);
    expect((await post({ "sec-fetch-site": "same-origin" })).status).toBe(201);
    // a cross-site DELETE of a video is refused too, and the video stays
    const del = await routes.get("DELETE /api/videos/[id]")!(
      new Request(`${BASE}/api/videos/${videoId}`, {
        method: "DELETE",
        headers: { cookie, origin: "https://evil.example" },
      }),
      { params: Promise.resolve({ id: videoId }) },
    );
    expect(del.status).toBe(403);
    expect(await videosRepo.findVideo(h.ctx.db, videoId)).not.toBeNull();
    // a bearer token needs no Origin: browsers never attach it on their own
    const bearer = await routes.get("POST /api/tokens")!(
      bearerRequest(accounts.admin.token, `${BASE}/api/tokens`, jsonInit("POST", { name: "script" })),
    );
    expect(bearer.status).toBe(201);
  });

  it("sign-out ends the session on the server", async () => {
    const cookie = cookieOf(await signIn(accounts.viewer));
    expect((await me(cookie)).status).toBe(200);
    const out = await routes.get("POST /api/auth/logout")!(
      new Request(`${BASE}/api/auth/logout`, { method: "POST", headers: { cookie, origin: BASE } }),
    );
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await me(cookie)).status).toBe(401);
  });

  it("an admin revoking a user's sessions signs them out everywhere; disabling also stops their tokens", async () => {
    const user = await createTestAccount(h.ctx, "viewer", "revoked");
    const a = cookieOf(await signIn(user));
    const b = cookieOf(await signIn(user));
    const revoke = await routes.get("DELETE /api/users/[id]/sessions")!(
      h.request(`${BASE}/api/users/${user.id}/sessions`, { method: "DELETE" }),
      { params: Promise.resolve({ id: user.id }) },
    );
    expect(await revoke.json()).toEqual({ revoked: 2 });
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(401);

    const c = cookieOf(await signIn(user));
    const patch = (body: unknown) =>
      routes.get("PATCH /api/users/[id]")!(h.request(`${BASE}/api/users/${user.id}`, jsonInit("PATCH", body)), {
        params: Promise.resolve({ id: user.id }),
      });
    expect((await patch({ disabled: true })).status).toBe(200);
    expect((await me(c)).status).toBe(401);
    const byToken = await routes.get("GET /api/me")!(bearerRequest(user.token, `${BASE}/api/me`));
    expect(byToken.status).toBe(401);
    const denied = await signIn(user);
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("account_disabled");
    expect((await patch({ disabled: false })).status).toBe(200);
    expect((await routes.get("GET /api/me")!(bearerRequest(user.token, `${BASE}/api/me`))).status).toBe(200);
  });

  it("a token's role is at most its owner's, now and after the owner is demoted", async () => {
    const user = await createTestAccount(h.ctx, "annotator", "demoted");
    const create = (role: string) =>
      routes.get("POST /api/tokens")!(
        bearerRequest(user.token, `${BASE}/api/tokens`, jsonInit("POST", { name: "t", role })),
      );
    expect((await create("admin")).status).toBe(403);
    const { token } = (await (await create("annotator")).json()) as { token: string };
    expect(token).toMatch(/^mst_/);
    const upload = () => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(videoBytes)]), "again.mp4");
      return routes.get("POST /api/videos")!(
        bearerRequest(token, `${BASE}/api/videos`, { method: "POST", body: form }),
      );
    };
    expect((await upload()).status).toBe(200);
    await routes.get("PATCH /api/users/[id]")!(
      h.request(`${BASE}/api/users/${user.id}`, jsonInit("PATCH", { role: "viewer" })),
      { params: Promise.resolve({ id: user.id }) },
    );
    expect((await upload()).status).toBe(403);
  });

  it("tokens are listed with their last use, never with the secret; a revoked token stops working", async () => {
    const user = await createTestAccount(h.ctx, "viewer", "lister");
    const list = async () =>
      (
        (await (await routes.get("GET /api/tokens")!(bearerRequest(user.token, `${BASE}/api/tokens`))).json()) as {
          tokens: Record<string, unknown>[];
        }
      ).tokens;
    const [t] = await list();
    expect(t.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(await list())).not.toContain(user.token);
    expect(user.token.startsWith(String(t.prefix))).toBe(true);
    const del = await routes.get("DELETE /api/tokens/[id]")!(
      bearerRequest(user.token, `${BASE}/api/tokens/${t.id}`, { method: "DELETE" }),
      { params: Promise.resolve({ id: String(t.id) }) },
    );
    expect(del.status).toBe(200);
    const after = await routes.get("GET /api/me")!(bearerRequest(user.token, `${BASE}/api/me`));
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("invalid_token");
  });

  it("changing one's password ends the account's other sessions and keeps this one", async () => {
    const user = await createTestAccount(h.ctx, "viewer", "changer");
    const here = cookieOf(await signIn(user));
    const elsewhere = cookieOf(await signIn(user));
    const res = await routes.get("PUT /api/me/password")!(
      new Request(`${BASE}/api/me/password`, {
        ...jsonInit("PUT", { currentPassword: user.password, newPassword: "a brand new password" }),
        headers: { "content-type": "application/json", cookie: here, origin: BASE },
      }),
    );
    expect(res.status).toBe(200);
    expect((await me(here)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    expect((await signIn(user)).status).toBe(401);
    expect((await signIn({ email: user.email, password: "a brand new password" })).status).toBe(200);
  });

  it(`failed sign-ins are limited per account: after ${ACCOUNT_FAILURES} the right password gets 429 with a retry time`, async () => {
    const user = await createTestAccount(h.ctx, "viewer", "guessed");
    for (let i = 0; i < ACCOUNT_FAILURES; i++)
      expect((await signIn({ email: user.email, password: `guess ${i}` })).status).toBe(401);
    const blocked = await signIn(user);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(
      /try again in \d+ (second|minute)/i,
    );
    // another account from another address is unaffected
    expect((await signIn(accounts.annotator, { "x-forwarded-for": "203.0.113.9" })).status).toBe(200);
  });

  it("a stranger's failed guesses from elsewhere do not lock the account out from its owner's address", async () => {
    const user = await createTestAccount(h.ctx, "viewer", "targeted");
    const from = (address: string) => ({ "x-moments-client-address": address });
    for (let i = 0; i < ACCOUNT_FAILURES + 2; i++)
      await signIn({ email: user.email, password: `guess ${i}` }, from("198.51.100.66"));
    expect((await signIn(user, from("198.51.100.66"))).status).toBe(429);
    expect((await signIn(user, from("192.0.2.10"))).status).toBe(200);
  });

  it("requests addressed to a host name the server does not answer to are refused (DNS rebinding)", async () => {
    const res = await signIn(accounts.viewer, {
      host: "attacker.example:3000",
      origin: "http://attacker.example:3000",
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/ALLOWED_HOSTS/);
    expect((await signIn(accounts.viewer, { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).status).toBe(
      200,
    );
    expect((await signIn(accounts.viewer, { host: "localhost:3000" })).status).toBe(200);
  });

  it("the last enabled admin cannot be demoted or disabled", async () => {
    const patch = (body: unknown) =>
      routes.get("PATCH /api/users/[id]")!(h.request(`${BASE}/api/users/${h.admin.id}`, jsonInit("PATCH", body)), {
        params: Promise.resolve({ id: h.admin.id }),
      });
    const res = await patch({ role: "viewer" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("last_admin");
    expect((await patch({ disabled: true })).status).toBe(409);
  });

  it("bad input is a 4xx that says what is wrong", async () => {
    const post = (body: string, type = "application/json") =>
      routes.get("POST /api/users")!(
        h.request(`${BASE}/api/users`, { method: "POST", body, headers: { "content-type": type } }),
      );
    expect((await post("{not json")).status).toBe(400);
    expect(
      (await post(JSON.stringify({ email: "x", password: "a long enough password", role: "viewer" }))).status,
    ).toBe(400);
    expect((await post(JSON.stringify({ email: "ok@test.example", password: "short", role: "viewer" }))).status).toBe(
      400,
    );
    expect(
      (await post(JSON.stringify({ email: "ok@test.example", password: "a long enough password", role: "boss" })))
        .status,
    ).toBe(400);
    expect((await post("email=x", "application/x-www-form-urlencoded")).status).toBe(415);
    const dup = await post(
      JSON.stringify({
        email: accounts.viewer.email.toUpperCase(),
        password: "a long enough password",
        role: "viewer",
      }),
    );
    expect(dup.status).toBe(409);
    const malformed = await routes.get("GET /api/me")!(
      new Request(`${BASE}/api/me`, { headers: { authorization: "Basic abc" } }),
    );
    expect(malformed.status).toBe(401);
  });
});
