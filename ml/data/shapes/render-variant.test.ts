import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashSeed } from "../../core/rng";
import { renderFrame } from "./render";
import {
  renderVariantFrame,
  sampleVariantLook,
  variantCamera,
  variantCodecArgs,
  VARIANT_FACTORS,
  VARIANT_FPS_CHOICES,
  VARIANT_SIZES,
  withoutFactor,
  type VariantLook,
} from "./render-variant";
import { DEFAULT_FPS_CHOICES, DEFAULT_SIZES } from "./sampler";
import { BACKGROUND_RGB, COLOUR_RGB, eventsOf, objectStateAt, sampleScenario, type Scenario } from "./world";

const W = 160;
const H = 120;

/** One red circle in the middle of a black frame, on screen the whole time. */
function circleScenario(): Scenario {
  return {
    seed: 5,
    duration: 10,
    fps: 10,
    width: W,
    height: H,
    background: "black",
    look: { noise: 0, blur: 1, shake: 0, shakeHz: [1, 2], shakePhase: [0, 0, 0, 0] },
    objects: [{ id: 0, shape: "circle", colour: "red", x: 0.5, y: 0.5, size: 0.2, angle: 0 }],
    events: [
      {
        id: 0,
        kind: "move",
        direction: "left",
        distance: 0.3,
        object: 0,
        start: 4,
        end: 6,
        sentence: "the red circle moves left",
      },
    ],
  };
}

/** A look with every effect off: flat fill, flat background, still camera, no blur, no noise. */
function plainLook(over: Partial<VariantLook> = {}): VariantLook {
  return {
    fps: 9,
    width: W,
    height: H,
    texture: { kind: "gradient", amplitude: 0, frequency: 3, angle: 0, tint: [1, 1, 1], waves: [] },
    fills: [{ kind: "shaded", strength: 0, bands: 3 }],
    outline: 1,
    supersample: 4,
    blur: [0, 0],
    noise: { sigma: [0, 0], hz: 0.1, phase: 0, saltPepper: 0 },
    camera: { pan: [0, 0], zoom: [1, 1], wander: 0, wanderHz: 0.1 },
    codec: { name: "h264", quality: 32 },
    ...over,
  };
}

const px = (buf: Uint8Array, x: number, y: number, w = W) => [...buf.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)];
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

describe("renderVariantFrame", () => {
  const sc = circleScenario();

  it("draws the scenario's shape where the scenario puts it, and follows its events", () => {
    const look = plainLook();
    const a = renderVariantFrame(sc, look, 1);
    expect(a).toHaveLength(W * H * 3);
    expect(px(a, 80, 60)).toEqual([...COLOUR_RGB.red]);
    expect(px(a, 2, 2)).toEqual([...BACKGROUND_RGB.black]);
    // radius 0.2 * 120 = 24 px: inside at 20, outside at 28
    expect(px(a, 80 + 20, 60)).toEqual([...COLOUR_RGB.red]);
    expect(px(a, 80 + 28, 60)).toEqual([...BACKGROUND_RGB.black]);
    // after moving left by 0.3 of the width: centre at x = 0.2 * 160 = 32
    const b = renderVariantFrame(sc, look, 7);
    expect(px(b, 80, 60)).toEqual([...BACKGROUND_RGB.black]);
    expect(px(b, 32, 60)).toEqual([...COLOUR_RGB.red]);
  });

  it("anti-aliases edges by supersampling: partial coverage on the rim, none without it", () => {
    const rimValues = (ss: number) => {
      const f = renderVariantFrame(sc, plainLook({ supersample: ss }), 1);
      const vals = new Set<number>();
      for (let y = 30; y < 90; y++) for (let x = 50; x < 110; x++) vals.add(px(f, x, y)[0]);
      return [...vals].filter((v) => v !== BACKGROUND_RGB.black[0] && v !== COLOUR_RGB.red[0]);
    };
    expect(rimValues(1)).toEqual([]); // one test per pixel: hard, aliased edge
    expect(rimValues(4).length).toBeGreaterThan(5); // intermediate shades along the edge
  });

  it("blurs with a real filter: a hard edge spreads over the blur radius", () => {
    const edgeWidth = (look: VariantLook) => {
      const f = renderVariantFrame(sc, look, 1);
      // pixels of the row through the centre that are neither background nor full red
      let n = 0;
      for (let x = 40; x < 80; x++) {
        const r = px(f, x, 60)[0];
        if (r > BACKGROUND_RGB.black[0] + 5 && r < COLOUR_RGB.red[0] - 5) n++;
      }
      return n;
    };
    expect(edgeWidth(plainLook())).toBeLessThanOrEqual(1);
    expect(edgeWidth(plainLook({ blur: [3, 3] }))).toBeGreaterThanOrEqual(5);
    // motion blur: along x only, so the vertical edge (top of the circle) stays sharp
    const f = renderVariantFrame(sc, plainLook({ blur: [4, 0] }), 1);
    expect(px(f, 80, 60 - 30)).toEqual([...BACKGROUND_RGB.black]);
    expect(px(f, 80, 60 - 20)[0]).toBeGreaterThan(200);
  });

  it("adds per-channel noise at the drifting level, and salt-and-pepper pixels", () => {
    const look = plainLook({ noise: { sigma: [8, 8], hz: 0.1, phase: 0, saltPepper: 0 } });
    const f = renderVariantFrame({ ...sc, background: "gray" }, look, 1);
    const chan = (c: number) => {
      const v: number[] = [];
      for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) v.push(f[(y * W + x) * 3 + c]);
      return v;
    };
    for (const c of [0, 1, 2]) {
      const v = chan(c);
      const m = mean(v);
      expect(Math.abs(m - 112)).toBeLessThan(1.5);
      const sd = Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
      expect(sd).toBeGreaterThan(7);
      expect(sd).toBeLessThan(9);
    }
    // channels are independent (colour noise, not luminance noise)
    const r = chan(0).map((x) => x - 112);
    const g = chan(1).map((x) => x - 112);
    expect(Math.abs(mean(r.map((x, i) => x * g[i]))) / 64).toBeLessThan(0.15);
    const sp = plainLook({ noise: { sigma: [0, 0], hz: 0.1, phase: 0, saltPepper: 0.01 } });
    const s = renderVariantFrame({ ...sc, background: "gray" }, sp, 1);
    let dead = 0;
    for (let i = 0; i < W * H; i++) if (s[i * 3] === 0 || s[i * 3] === 255) dead++;
    expect(dead).toBeGreaterThan(0.005 * W * H);
    expect(dead).toBeLessThanOrEqual(0.01 * W * H);
  });

  it("textures the background around its named colour and moves it with the camera", () => {
    const look = plainLook({
      texture: { kind: "stripes", amplitude: 15, frequency: 5, angle: 0, tint: [1, 1, 1], waves: [] },
      camera: { pan: [0.1, 0], zoom: [1, 1], wander: 0, wanderHz: 0.1 },
    });
    const g = { ...sc, background: "gray" as const, objects: [], events: [] };
    const f0 = renderVariantFrame(g, look, 0);
    const row = (f: Uint8Array) => Array.from({ length: W }, (_, x) => px(f, x, 5)[0]);
    const r0 = row(f0);
    expect(Math.max(...r0) - Math.min(...r0)).toBeGreaterThan(25);
    expect(Math.abs(mean(r0) - 112)).toBeLessThan(4);
    // the pan is 0.1 of the frame over the video: the stripes have moved 16 px by the end
    const r1 = row(renderVariantFrame(g, look, 10));
    expect(r1.slice(16)).toEqual(r0.slice(0, W - 16));
    expect(r1).not.toEqual(r0);
  });

  it("moves the objects with the camera's pan and zoom", () => {
    const look = plainLook({ camera: { pan: [0.2, 0], zoom: [1, 1.5], wander: 0, wanderHz: 0.1 } });
    const still = { ...sc, events: [] };
    const cam = variantCamera(look, 10, 10);
    expect(cam).toEqual({ zoom: 1.5, dx: 0.1, dy: 0 });
    const f = renderVariantFrame(still, look, 10);
    // centre (0.5 + 0.1) * 160 = 96; radius 24 * 1.5 = 36 px
    expect(px(f, 96 + 32, 60)).toEqual([...COLOUR_RGB.red]);
    expect(px(f, 96 - 32, 60)).toEqual([...COLOUR_RGB.red]);
    expect(px(f, 96 + 40, 60)).toEqual([...BACKGROUND_RGB.black]);
  });

  it("shades, stripes or outlines the fill while keeping the object's colour on average", () => {
    for (const kind of ["shaded", "striped", "outlined"] as const) {
      const f = renderVariantFrame(sc, plainLook({ fills: [{ kind, strength: 0.25, bands: 3 }], outline: 2 }), 1);
      const reds: number[] = [];
      const spread = new Set<string>();
      for (let y = 42; y <= 78; y++)
        for (let x = 62; x <= 98; x++) {
          if ((x - 80) ** 2 + (y - 60) ** 2 > 18 ** 2) continue;
          reds.push(px(f, x, y)[0]);
          spread.add(px(f, x, y).join(","));
        }
      if (kind === "outlined") {
        expect(new Set(reds).size).toBe(1); // flat inside the contour…
        // …and a contour on the rim: light on a dark colour such as red (luminance 93)
        expect(px(f, 80 + 23, 60)[1]).toBeGreaterThan(120);
      } else {
        expect(spread.size).toBeGreaterThan(5);
        expect(Math.abs(mean(reds) - COLOUR_RGB.red[0])).toBeLessThan(25);
      }
    }
  });

  it("is deterministic per seed, and the look differs between seeds", () => {
    const real = sampleScenario(hashSeed(2031, 4));
    const look = sampleVariantLook(real);
    expect(sampleVariantLook(real)).toEqual(look);
    const t = real.duration / 2;
    const a = renderVariantFrame(real, look, t);
    expect(renderVariantFrame(real, sampleVariantLook(real), t)).toEqual(a);
    expect(renderVariantFrame(real, look, t + 1 / look.fps)).not.toEqual(a);
    const out = new Uint8Array(look.width * look.height * 3);
    expect(renderVariantFrame(real, look, t, { out })).toBe(out);
    expect(out).toEqual(a);
    const looks = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify(sampleVariantLook(sampleScenario(hashSeed(2031, i)))),
    );
    expect(new Set(looks).size).toBe(20);
  });

  it("draws frame rates and sizes outside the training tables, within datasets.md's bounds", () => {
    const trainSizes = new Set(DEFAULT_SIZES.map(([w, h]) => `${w}x${h}`));
    for (const fps of VARIANT_FPS_CHOICES) expect((DEFAULT_FPS_CHOICES as readonly number[]).includes(fps)).toBe(false);
    for (const [w, h] of VARIANT_SIZES) {
      expect(trainSizes.has(`${w}x${h}`)).toBe(false);
      expect(w >= 160 && h >= 120 && w <= 640 && h <= 480).toBe(true);
      expect(w % 2 === 0 && h % 2 === 0).toBe(true);
    }
    const codecs = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const look = sampleVariantLook(sampleScenario(hashSeed(2031, i)));
      expect(VARIANT_FPS_CHOICES as readonly number[]).toContain(look.fps);
      codecs.add(variantCodecArgs(look)[1]);
      expect(look.blur[0] > 0 || look.blur[1] > 0).toBe(true);
    }
    expect(codecs).toEqual(new Set(["libx264", "libx265", "mpeg4"]));
  });
});

describe("the variant's look", () => {
  it("keeps every visible object's centre in the frame through the camera's drift (the spans stay true)", () => {
    for (let i = 0; i < 40; i++) {
      const sc = sampleScenario(hashSeed(2031, i));
      const look = sampleVariantLook(sc);
      for (const o of sc.objects) {
        const own = eventsOf(sc.events, o.id);
        for (let t = 0; t < sc.duration; t += 0.5) {
          const st = objectStateAt(o, own, t);
          if (st.alpha <= 0) continue;
          const cam = variantCamera(look, sc.duration, t);
          const x = (st.x - 0.5) * cam.zoom + 0.5 + cam.dx;
          const y = (st.y - 0.5) * cam.zoom + 0.5 + cam.dy;
          expect(x > 0 && x < 1 && y > 0 && y < 1).toBe(true);
        }
      }
    }
  });

  it("withoutFactor makes exactly one factor plain", () => {
    const sc = sampleScenario(hashSeed(2031, 7));
    const look = sampleVariantLook(sc);
    const changed = (l: VariantLook) =>
      (Object.keys(look) as (keyof VariantLook)[]).filter((k) => JSON.stringify(l[k]) !== JSON.stringify(look[k]));
    expect(changed(withoutFactor(look, "blur", sc))).toEqual(["blur"]);
    expect(withoutFactor(look, "blur", sc).blur).toEqual([0, 0]);
    expect(changed(withoutFactor(look, "codec", sc))).toEqual(["codec"]);
    expect(withoutFactor(look, "codec", sc).codec).toEqual({ name: "h264", quality: 24 });
    const sized = withoutFactor(look, "size-fps", sc);
    expect([sized.width, sized.height, sized.fps]).toEqual([sc.width, sc.height, sc.fps]);
    for (const f of VARIANT_FACTORS) expect(changed(withoutFactor(look, f, sc)).length).toBeLessThanOrEqual(3);
    // a plain look draws the same pixels as the scenario's flat world: the texture adds nothing
    const flat = withoutFactor(look, "texture", sc);
    expect(
      renderVariantFrame(
        { ...sc, objects: [], events: [] },
        withoutFactor(withoutFactor(flat, "noise", sc), "blur", sc),
        0,
      )[0],
    ).toBe(Math.round(BACKGROUND_RGB[sc.background][0]));
  });
});

describe("the default renderer", () => {
  it("renders a sampled scenario byte for byte as before the variant existed (pinned digest)", () => {
    const sc = sampleScenario(hashSeed(1, 3));
    const h = createHash("sha256");
    for (const t of [0, sc.duration / 3, sc.duration / 2, sc.duration - 0.1]) h.update(renderFrame(sc, t, 320, 240));
    expect(h.digest("hex")).toBe("1fc7fd2896bc860480d354edf5ec278d50f9438cf885bbcb81808f25011eeb89");
  });
});
