import { describe, expect, it } from "vitest";
import { renderFrame, shakeOffset } from "./render";
import { BACKGROUND_RGB, COLOUR_RGB, sampleScenario, type Scenario } from "./world";
import { hashSeed } from "../../core/rng";

const W = 160;
const H = 120;
const look = {
  noise: 0,
  blur: 1,
  shake: 0,
  shakeHz: [1, 2] as [number, number],
  shakePhase: [0, 0, 0, 0] as [number, number, number, number],
};

/** A hand-made scenario whose every frame can be checked by hand. */
function circleScenario(): Scenario {
  return {
    seed: 1,
    duration: 10,
    fps: 10,
    width: W,
    height: H,
    background: "black",
    look,
    objects: [{ id: 0, shape: "circle", colour: "red", x: 0.5, y: 0.5, size: 0.2, angle: 0 }],
    events: [
      { id: 0, kind: "appear", object: 0, start: 1, end: 2, sentence: "a red circle appears" },
      { id: 1, kind: "colour", to: "blue", object: 0, start: 3, end: 4, sentence: "the circle turns blue" },
      { id: 2, kind: "background", to: "gray", object: null, start: 5, end: 6, sentence: "the background turns gray" },
      {
        id: 3,
        kind: "move",
        direction: "left",
        distance: 0.3,
        object: 0,
        start: 6.5,
        end: 8,
        sentence: "the ball moves left",
      },
      { id: 4, kind: "blink", hz: 1, object: 0, start: 8.5, end: 9.5, sentence: "the dot blinks" },
    ],
  };
}

const px = (buf: Uint8Array, x: number, y: number) => [...buf.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
const clean = { noise: false, shake: false };

describe("renderFrame", () => {
  const sc = circleScenario();
  const at = (t: number) => renderFrame(sc, t, W, H, undefined, clean);

  it("follows the events frame by frame", () => {
    expect(at(0)).toHaveLength(W * H * 3);
    expect(px(at(0), 80, 60)).toEqual([...BACKGROUND_RGB.black]); // not yet appeared
    expect(px(at(1.5), 80, 60)).toEqual([117, 25, 25]); // half faded in: (12 + 222) / 2 …
    expect(px(at(2.5), 80, 60)).toEqual([...COLOUR_RGB.red]);
    expect(px(at(4.5), 80, 60)).toEqual([...COLOUR_RGB.blue]);
    expect(px(at(4.5), 2, 2)).toEqual([...BACKGROUND_RGB.black]);
    expect(px(at(6.2), 2, 2)).toEqual([...BACKGROUND_RGB.gray]);
    // moved left by 0.3 of the width: centre now at x = 0.2 * 160 = 32
    expect(px(at(8.2), 80, 60)).toEqual([...BACKGROUND_RGB.gray]);
    expect(px(at(8.2), 32, 60)).toEqual([...COLOUR_RGB.blue]);
    // blinking at 1 Hz starts with the "off" half-period
    expect(px(at(8.6), 32, 60)).toEqual([...BACKGROUND_RGB.gray]);
    expect(px(at(9.1), 32, 60)).toEqual([...COLOUR_RGB.blue]);
    expect(px(at(9.6), 32, 60)).toEqual([...COLOUR_RGB.blue]);
  });

  it("draws squares and triangles with their orientation", () => {
    const one = (shape: "square" | "triangle", angle: number) =>
      renderFrame(
        { ...sc, events: [], objects: [{ id: 0, shape, colour: "white", x: 0.5, y: 0.5, size: 0.2, angle }] },
        0,
        W,
        H,
        undefined,
        clean,
      );
    const s = 0.2 * 120; // size in pixels
    const white = [...COLOUR_RGB.white];
    const black = [...BACKGROUND_RGB.black];
    // square: half-side 0.886 s; a point near its corner is inside, and outside once rotated 45°
    const c = Math.round(0.8 * 0.886 * s);
    expect(px(one("square", 0), 80 + c, 60 + c)).toEqual(white);
    expect(px(one("square", Math.PI / 4), 80 + c, 60 + c)).toEqual(black);
    // triangle points up: apex at 1.555 s above the centre, base 0.78 s below
    const tri = one("triangle", 0);
    expect(px(tri, 80, 60)).toEqual(white);
    expect(px(tri, 80, Math.round(60 - 1.3 * s))).toEqual(white);
    expect(px(tri, 80, Math.round(60 + 1.3 * s))).toEqual(black);
    const flipped = one("triangle", Math.PI);
    expect(px(flipped, 80, Math.round(60 + 1.3 * s))).toEqual(white);
  });

  it("is pure and deterministic, with frame-varying noise of the requested strength", () => {
    const noisy = { ...circleScenario(), look: { ...look, noise: 4 } };
    const a = renderFrame(noisy, 2.5, W, H);
    expect(renderFrame(noisy, 2.5, W, H)).toEqual(a);
    const b = renderFrame(noisy, 2.6, W, H);
    expect(b).not.toEqual(a);
    // statistics of a flat background patch
    const vals: number[] = [];
    for (let y = 0; y < 30; y++) for (let x = 0; x < 30; x++) vals.push(a[(y * W + x) * 3 + 1]);
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / vals.length);
    expect(mean).toBeGreaterThan(11);
    expect(mean).toBeLessThan(14);
    expect(sd).toBeGreaterThan(3);
    expect(sd).toBeLessThan(5);
    // rendering into a caller buffer gives the same bytes
    const out = new Uint8Array(W * H * 3);
    expect(renderFrame(noisy, 2.5, W, H, out)).toBe(out);
    expect(out).toEqual(a);
  });

  it("shakes the camera by a few pixels at most", () => {
    const shaky = { ...circleScenario(), look: { ...look, shake: 0.01 } };
    let maxOff = 0;
    for (let t = 0; t < 10; t += 0.1) maxOff = Math.max(maxOff, ...shakeOffset(shaky, t, 640, 480).map(Math.abs));
    expect(maxOff).toBeGreaterThan(1);
    expect(maxOff).toBeLessThanOrEqual(4.8 + 1e-9);
    expect(renderFrame(shaky, 2.5, W, H, undefined, { noise: false })).not.toEqual(
      renderFrame(shaky, 2.5, W, H, undefined, clean),
    );
  });

  it("renders sampled scenarios at any size", () => {
    const sc2 = sampleScenario(hashSeed(3, 3));
    for (const [w, h] of [
      [160, 120],
      [426, 240],
      [640, 480],
    ]) {
      const f = renderFrame(sc2, sc2.duration / 2, w, h);
      expect(f.length).toBe(w * h * 3);
    }
    expect(() => renderFrame(sc2, 0, 10, 10, new Uint8Array(5))).toThrow(/needs 300/);
  });
});
