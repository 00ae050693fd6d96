import { describe, expect, it } from "vitest";
import { batchClips, meanEmbedding } from "@/lib/ingest/clips";

async function* frames(n: number, bytes: number) {
  for (let i = 0; i < n; i++) yield new Uint8Array(bytes).fill(i + 1);
}

async function collect(n: number, o: { frameBytes: number; framesPerClip: number; clipsPerBatch: number }) {
  const out = [];
  for await (const b of batchClips(frames(n, o.frameBytes), o)) out.push({ ...b, frames: Array.from(b.frames) });
  return out;
}

describe("batchClips", () => {
  it("groups frames into clips and clips into batches, numbering clips across batches", async () => {
    const batches = await collect(8, { frameBytes: 1, framesPerClip: 2, clipsPerBatch: 2 });
    expect(batches.map((b) => [b.firstIndex, b.count])).toEqual([
      [0, 2],
      [2, 2],
    ]);
    expect(batches[1].frames).toEqual([5, 6, 7, 8]);
    expect(batches[0].realFrames).toEqual([2, 2]);
  });

  it("pads a trailing partial clip with its last frame and reports its real length", async () => {
    const batches = await collect(5, { frameBytes: 2, framesPerClip: 4, clipsPerBatch: 4 });
    expect(batches).toHaveLength(1);
    expect(batches[0].count).toBe(2);
    expect(batches[0].realFrames).toEqual([4, 1]);
    // frame 5 repeated into the three padding slots
    expect(batches[0].frames.slice(8)).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
  });

  it("yields nothing for a video with no frames", async () => {
    expect(await collect(0, { frameBytes: 3, framesPerClip: 4, clipsPerBatch: 2 })).toEqual([]);
  });

  it("rejects frames of the wrong size instead of mis-aligning clips", async () => {
    await expect(
      collect(2, { frameBytes: 3, framesPerClip: 1, clipsPerBatch: 1 }).then(async () => {
        for await (const _ of batchClips(frames(1, 2), { frameBytes: 3, framesPerClip: 1, clipsPerBatch: 1 })) void _;
      }),
    ).rejects.toThrow(/expected 3/);
  });
});

describe("meanEmbedding", () => {
  it("is the l2-normalised mean", () => {
    const m = meanEmbedding(
      [
        [1, 0],
        [0, 1],
      ],
      2,
    );
    expect(m[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(m[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });
  it("stays zero (not NaN) when vectors cancel", () => {
    expect(
      Array.from(
        meanEmbedding(
          [
            [1, 0],
            [-1, 0],
          ],
          2,
        ),
      ),
    ).toEqual([0, 0]);
  });
});
