import { describe, expect, it } from "vitest";
import { initBackend, loadGrounder } from "../index";

function clip(seed: number): Float32Array {
  const v = Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

describe("groundMany", () => {
  it("gives each video the same spans as grounding it alone, in one batch", async () => {
    await initBackend();
    const g = await loadGrounder();
    const videos = [
      { clips: Array.from({ length: 40 }, (_, i) => clip(i)), durationSeconds: 40 },
      { clips: [], durationSeconds: 10 },
      { clips: Array.from({ length: 128 }, (_, i) => clip(1000 + i * 3)), durationSeconds: 120.5 },
    ];
    const q = "the red square moves to the left";
    const many = await g.groundMany(q, videos, { topK: 3 });
    expect(many).toHaveLength(3);
    expect(many[1]).toEqual([]);
    for (const i of [0, 2]) {
      const alone = await g.ground(q, videos[i].clips, videos[i].durationSeconds, { topK: 3 });
      expect(many[i]).toHaveLength(alone.length);
      many[i].forEach((s, k) => {
        expect(s.start).toBeCloseTo(alone[k].start, 3);
        expect(s.end).toBeCloseTo(alone[k].end, 3);
      });
    }
  });
});
