import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { fileRangeStream } from "@/lib/http/files";

const dir = mkdtempSync(path.join(os.tmpdir(), "files-test-"));
const file = path.join(dir, "bytes.bin");
const data = new Uint8Array(1_000_000).map((_, i) => i % 251);
writeFileSync(file, data);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

it("streams exactly the requested byte range", async () => {
  const got = await readAll(fileRangeStream(file, 300_000, 700_009));
  expect(got.length).toBe(400_010);
  expect(got[0]).toBe(data[300_000]);
  expect(got.at(-1)).toBe(data[700_009]);
});

it("survives a client cancelling mid-stream, as browsers do with <video> ranges", async () => {
  const errors: unknown[] = [];
  const onError = (e: unknown) => errors.push(e);
  process.on("uncaughtException", onError);
  try {
    for (let i = 0; i < 20; i++) {
      const reader = fileRangeStream(file, 0, data.length - 1).getReader();
      await reader.read();
      await reader.cancel();
    }
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off("uncaughtException", onError);
  }
  expect(errors).toEqual([]);
});
