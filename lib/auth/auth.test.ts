import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "@/config/security-headers.js";
import { clientInfo, hostName, requestSite } from "@/lib/auth/guard";
import { loadConfig } from "@/lib/config";
import { safeNext } from "@/lib/auth/next-path";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "@/lib/auth/password";
import { can, lesserRole, PERMISSIONS, ROLES, type Permission, type Role } from "@/lib/auth/roles";
import { displayPrefix, hashSecret, newApiToken, newSecret } from "@/lib/auth/secrets";
import { clearedSessionCookie, readSessionCookie, sessionCookie } from "@/lib/auth/sessions";

describe("password hashing", () => {
  it("hashes with argon2id, a fresh salt each time, and verifies only the right password", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(a, "correct horse battery stapl")).toBe(false);
    expect(await verifyPassword(a, "")).toBe(false);
  });

  it("a stored value that is not an argon2 hash never verifies (and does not throw)", async () => {
    expect(await verifyPassword("plaintext", "plaintext")).toBe(false);
    expect(await verifyPassword("", "")).toBe(false);
  });

  it("refuses passwords under 8 or over 256 characters", () => {
    expect(() => checkPasswordPolicy("1234567")).toThrow(/at least 8/);
    expect(() => checkPasswordPolicy("x".repeat(257))).toThrow(/at most 256/);
    expect(() => checkPasswordPolicy("12345678")).not.toThrow();
  });
});

describe("secrets", () => {
  it("stores SHA-256: the hand-checked digest of 'abc'", () => {
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("session ids and tokens carry 32 random bytes, base64url; tokens are recognisable by their prefix", () => {
    expect(newSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const t = newApiToken();
    expect(t).toMatch(/^mst_[A-Za-z0-9_-]{43}$/);
    expect(newApiToken()).not.toBe(t);
    expect(displayPrefix(t)).toBe(t.slice(0, 10));
  });
});

describe("role table", () => {
  // Hand-written from the issue: viewer searches and watches; annotator also uploads,
  // reviews and annotates; admin does everything.
  const expected: Record<Role, Permission[]> = {
    viewer: ["videos:read", "search", "account"],
    annotator: ["videos:read", "search", "account", "videos:upload", "videos:annotate"],
    admin: Object.keys(PERMISSIONS) as Permission[],
  };
  for (const role of ROLES) {
    it(`${role} holds exactly: ${expected[role].join(", ")}`, () => {
      const held = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
      expect(held.sort()).toEqual([...expected[role]].sort());
    });
  }

  it("nobody (no role) holds anything; a token takes the lesser of its role and its owner's", () => {
    expect(can(null, "search")).toBe(false);
    expect(lesserRole("admin", "viewer")).toBe("viewer");
    expect(lesserRole("annotator", "admin")).toBe("annotator");
    expect(lesserRole("viewer", "viewer")).toBe("viewer");
  });
});

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax, path /, with an expiry; Secure only over https", () => {
    const expires = new Date(Date.now() + 3600_000);
    const c = sessionCookie("s3cret", expires, false);
    expect(c).toMatch(/^moments_session=s3cret; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(c).toMatch(/Max-Age=(3599|3600)/);
    expect(c).not.toMatch(/Secure/);
    expect(sessionCookie("s3cret", expires, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toMatch(/^moments_session=; .*Max-Age=0/);
  });

  it("is read from a Cookie header among others", () => {
    expect(readSessionCookie("a=1; moments_session=abc_-; b=2")).toBe("abc_-");
    expect(readSessionCookie("moments_session_other=x")).toBeNull();
    expect(readSessionCookie("moments_session=")).toBeNull();
    expect(readSessionCookie(null)).toBeNull();
  });
});

describe("same-site check", () => {
  const req = (headers: Record<string, string>) =>
    new Request("http://moments.local:3000/api/videos", { method: "POST", headers });
  it("trusts the browser's Sec-Fetch-Site first, then Origin against the Host", () => {
    expect(requestSite(req({ "sec-fetch-site": "same-origin" }))).toBe("same");
    expect(requestSite(req({ "sec-fetch-site": "cross-site", origin: "http://moments.local:3000" }))).toBe("cross");
    expect(requestSite(req({ "sec-fetch-site": "same-site" }))).toBe("cross");
    expect(requestSite(req({ origin: "http://moments.local:3000" }))).toBe("same");
    expect(requestSite(req({ origin: "http://moments.local:3001" }))).toBe("cross");
    expect(requestSite(req({ origin: "https://evil.example" }))).toBe("cross");
    expect(requestSite(req({ origin: "null" }))).toBe("cross");
    expect(requestSite(req({}))).toBe("unknown");
  });

  it("behind a proxy, compares with the host the client addressed", () => {
    expect(requestSite(req({ origin: "https://videos.example.org", "x-forwarded-host": "videos.example.org" }))).toBe(
      "same",
    );
  });
});

describe("client facts", () => {
  const req = (headers: Record<string, string>) => new Request("http://x/api/auth/login", { headers });
  it("the address is the socket's, recorded by the web server; X-Forwarded-For counts only behind a trusted proxy, and only its last entry", () => {
    const headers = { "x-moments-client-address": "192.0.2.1", "x-forwarded-for": "198.51.100.9, 192.0.2.50" };
    expect(clientInfo(req(headers), { trustProxy: false }).address).toBe("192.0.2.1");
    expect(clientInfo(req(headers), { trustProxy: true }).address).toBe("192.0.2.50");
    expect(clientInfo(req({}), { trustProxy: false }).address).toBeNull();
  });

  it("the host name comes without port or IPv6 brackets", () => {
    expect(hostName(new Headers({ host: "LocalHost:3000" }))).toBe("localhost");
    expect(hostName(new Headers({ host: "[::1]:3000" }))).toBe("::1");
    expect(hostName(new Headers({ host: "127.0.0.1" }))).toBe("127.0.0.1");
    expect(hostName(new Headers())).toBeNull();
  });

  it("loopback names only while listening on loopback; ALLOWED_HOSTS names others; * allows any", () => {
    expect(loadConfig({} as NodeJS.ProcessEnv).allowedHosts).toEqual(["localhost", "127.0.0.1", "::1"]);
    expect(loadConfig({ HOST: "0.0.0.0" } as unknown as NodeJS.ProcessEnv).allowedHosts).toBeNull();
    expect(
      loadConfig({ HOST: "0.0.0.0", ALLOWED_HOSTS: "Videos.Example.org, 10.0.0.5" } as unknown as NodeJS.ProcessEnv)
        .allowedHosts,
    ).toEqual(["videos.example.org", "10.0.0.5"]);
    expect(loadConfig({ ALLOWED_HOSTS: "*" } as unknown as NodeJS.ProcessEnv).allowedHosts).toBeNull();
  });
});

describe("sign-in redirect target", () => {
  it("follows only paths on this site", () => {
    expect(safeNext("/search?q=red")).toBe("/search?q=red");
    expect(safeNext("//evil.example/x")).toBe("/");
    expect(safeNext("/\\evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
    // browsers drop tabs and line breaks: "/\t/evil.example" would become "//evil.example"
    expect(safeNext("/\t/evil.example/phish")).toBe("/");
    expect(safeNext("/\n/evil.example")).toBe("/");
    expect(safeNext("/\r/evil.example")).toBe("/");
  });
});

describe("security headers", () => {
  it("forbid framing and sniffing, limit referrers, and keep eval out of production", () => {
    const names = Object.fromEntries(securityHeaders({ dev: false }).map((h) => [h.key.toLowerCase(), h.value]));
    expect(names["x-content-type-options"]).toBe("nosniff");
    expect(names["referrer-policy"]).toBe("same-origin");
    expect(names["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy({ dev: false })).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy({ dev: true })).toContain("unsafe-eval");
  });
});
