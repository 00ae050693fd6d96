import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { jsonBody, readBodyLimited } from "@/lib/http/body";
import { CONTENT_LENGTH_HEADER, contentType, parseRange } from "@/lib/http/files";
import { allowHeader, onlyMethods } from "@/lib/http/methods";
import { streamRotation } from "@/lib/media/ffmpeg";
import { limitError } from "@/lib/videos/limits";
import { sanitizeName } from "@/lib/videos/service";
import { originalPath } from "@/lib/storage";

/** A body of `total` bytes sent in 64 KiB chunks with no Content-Length; counts what was pulled. */
function chunkedRequest(total: number) {
  const pulled = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled.bytes >= total) return c.close();
      pulled.bytes += 65536;
      c.enqueue(new Uint8Array(65536));
    },
  });
  return { request: new Request("http://test/", { method: "PUT", body, duplex: "half" } as RequestInit), pulled };
}

describe("readBodyLimited", () => {
  it("stops a chunked body at the limit with 413, without reading the rest", async () => {
    const { request, pulled } = chunkedRequest(100 * 1024 * 1024);
    const err = await readBodyLimited(request, 1024 * 1024).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
    expect(pulled.bytes).toBeLessThan(2 * 1024 * 1024);
  });
  it("returns a body within the limit whole, and refuses a declared length over it before reading", async () => {
    expect((await readBodyLimited(chunkedRequest(5 * 65536).request, 1024 * 1024)).byteLength).toBe(5 * 65536);
    const declared = new Request("http://test/", {
      method: "PUT",
      body: "x".repeat(10),
      headers: { "content-length": "999999" },
    });
    await expect(readBodyLimited(declared, 100)).rejects.toMatchObject({ status: 413 });
  });
  it("jsonBody uses it (a chunked JSON bomb is a 413) and refuses NUL characters with 400", async () => {
    const bomb = chunkedRequest(10 * 1024 * 1024).request;
    await expect(jsonBody(bomb, z.object({}))).rejects.toMatchObject({ status: 413 });
    const nul = new Request("http://test/", {
      method: "POST",
      body: JSON.stringify({ name: "a\u0000b" }),
      headers: { "content-type": "application/json" },
    });
    await expect(jsonBody(nul, z.object({ name: z.string() }))).rejects.toMatchObject({ status: 400 });
  });
});

describe("names", () => {
  it("a name cut to 255 characters keeps its extension, so the file is stored and served as what it is", () => {
    const name = sanitizeName(`${"x".repeat(400)}.webm`);
    expect(name).toHaveLength(255);
    expect(name.endsWith(".webm")).toBe(true);
    const cfg = loadConfig({ DATA_DIR: "/tmp/d" } as unknown as NodeJS.ProcessEnv);
    expect(contentType(originalPath(cfg, "id", name))).toBe("video/webm");
    expect(sanitizeName("../../etc/holiday.mp4")).toBe("holiday.mp4");
    expect(Array.from(sanitizeName(`${"😀".repeat(300)}.mp4`))).toHaveLength(255); // no half emoji
  });
});

describe("ranges", () => {
  it("serves several ranges as the whole file (null) and still refuses an unsatisfiable one", () => {
    expect(parseRange("bytes=0-9,20-29", 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=200-", 100)).toBe("invalid");
  });
});

describe("limits", () => {
  const limits = loadConfig({} as NodeJS.ProcessEnv);
  it("defaults: 6 h, as many 1-s clips, 8K frames; each overridable", () => {
    expect([limits.maxVideoSeconds, limits.maxClipsPerVideo, limits.maxFramePixels]).toEqual([
      21600,
      21600,
      7680 * 4320,
    ]);
    const c = loadConfig({ MAX_VIDEO_SECONDS: "60", MAX_FRAME_PIXELS: "100" } as unknown as NodeJS.ProcessEnv);
    expect([c.maxVideoSeconds, c.maxClipsPerVideo, c.maxFramePixels]).toEqual([60, 60, 100]);
  });
  it("names the limit and its variable", () => {
    expect(limitError({ duration: 54001, width: 64, height: 64 }, limits)).toMatchObject({
      status: 413,
      code: "video_too_long",
    });
    expect(limitError({ duration: 100, width: 7681, height: 4320 }, limits)?.message).toMatch(/MAX_FRAME_PIXELS/);
    expect(limitError({ duration: 100, width: 64, height: 64 }, { ...limits, maxClipsPerVideo: 50 })?.message).toMatch(
      /100 clips.*MAX_CLIPS_PER_VIDEO=50/,
    );
    expect(limitError({ duration: 0.04, width: 64, height: 64 }, limits)).toMatchObject({
      status: 415,
      code: "too_short",
    });
    expect(limitError({ duration: 6 * 3600, width: 7680, height: 4320 }, limits)).toBeNull();
  });
});

describe("rotation", () => {
  it("reads the display matrix (side data, as fluent-ffmpeg merges it) or the old rotate tag", () => {
    expect(streamRotation({ rotation: -90 })).toBe(270);
    expect(streamRotation({ rotation: 90 })).toBe(90);
    expect(streamRotation({ side_data_list: [{ rotation: 180 }] })).toBe(180);
    expect(streamRotation({ tags: { rotate: "90" } })).toBe(90);
    expect(streamRotation({})).toBe(0);
  });
});

describe("methods", () => {
  it("405 with Allow for what a route lacks; OPTIONS lists the same", async () => {
    const h = onlyMethods("GET", "DELETE");
    const res = await h.PUT(new Request("http://test/", { method: "PUT" }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS, DELETE");
    expect((await res.json()).error.code).toBe("method_not_allowed");
    expect((await h.OPTIONS(new Request("http://test/", { method: "OPTIONS" }))).headers.get("allow")).toBe(
      allowHeader(["GET", "DELETE"]),
    );
  });
});

describe("web server preload", () => {
  it("answers TRACE with 405 + the route's Allow, and restores Content-Length that Next.js drops", async () => {
    const preload = (await import("@/lib/http/server-preload.mjs")) as { CONTENT_LENGTH_HEADER: string };
    expect(preload.CONTENT_LENGTH_HEADER).toBe(CONTENT_LENGTH_HEADER);
    // Stands in for Next.js: OPTIONS → 204 + Allow; GET → a streamed body without Content-Length.
    const server = http.createServer((req, res) => {
      if (req.url === "/whoami") {
        res.end(String(req.headers["x-moments-client-address"]));
        return;
      }
      if (req.method === "OPTIONS" && req.url === "/page") {
        res.statusCode = 400; // a page has no OPTIONS
        res.end();
        return;
      }
      if (req.method === "OPTIONS") {
        res.statusCode = 204;
        res.setHeader("allow", "GET, HEAD, OPTIONS");
        res.end();
        return;
      }
      res.setHeader(CONTENT_LENGTH_HEADER, "5");
      res.write("he");
      res.end("llo");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const call = (method: string, path = "/api/x", headers: Record<string, string> = {}) =>
      new Promise<http.IncomingMessage & { text: string }>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve(Object.assign(res, { text })));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const trace = await call("TRACE");
      expect(trace.statusCode).toBe(405);
      expect(trace.headers.allow).toBe("GET, HEAD, OPTIONS");
      const get = await call("GET");
      expect(get.headers["content-length"]).toBe("5");
      expect(get.headers["transfer-encoding"]).toBeUndefined();
      expect(get.headers[CONTENT_LENGTH_HEADER]).toBeUndefined();
      expect(get.text).toBe("hello");
      // a page (no OPTIONS handler) still answers TRACE with 405 (TRACK never gets this
      // far: Node's HTTP parser answers it 400 itself, which is a client error too)
      expect((await call("TRACE", "/page")).statusCode).toBe(405);
      // the client's address comes from the socket, whatever the client claims
      const who = await call("GET", "/whoami", {
        "x-moments-client-address": "203.0.113.7",
        "x-forwarded-for": "203.0.113.8",
      });
      expect(who.text).toBe("127.0.0.1");
    } finally {
      server.close();
    }
  });
});
