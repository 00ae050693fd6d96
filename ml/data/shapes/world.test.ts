import { describe, expect, it } from "vitest";
import {
  BACKGROUNDS,
  COLOURS,
  eventsOf,
  groundTruthFor,
  objectsVisibleDuring,
  parseSentence,
  PHRASES,
  sampleScenario,
  SHAPE_WORDS,
  SPINNING_SHAPES,
  objectStateAt,
  shakeOffset,
  SHAKE_RAMP,
  vocabularyTokens,
  type Scenario,
} from "./world";
import { reverseSentence } from "../../relevance/augment";
import { hashSeed, Rng } from "../../core/rng";

const scenarios: Scenario[] = Array.from({ length: 300 }, (_, i) => sampleScenario(hashSeed(42, i)));
const allEvents = scenarios.flatMap((sc) => sc.events.map((e) => ({ sc, e })));

describe("vocabulary (datasets.md §3)", () => {
  it("has exactly the documented words and synonyms", () => {
    expect(SHAPE_WORDS).toEqual({
      circle: ["circle", "ball", "disc", "dot"],
      square: ["square", "box", "block"],
      triangle: ["triangle"],
    });
    expect([...COLOURS]).toEqual(["red", "green", "blue", "yellow", "white"]);
    expect([...BACKGROUNDS]).toEqual(["black", "gray", "navy", "dark green"]);
    expect(PHRASES.appear).toEqual(["appears", "shows up", "comes into view", "pops up"]);
    expect(PHRASES.disappear).toEqual(["disappears", "vanishes", "goes away", "fades out"]);
    expect(PHRASES.moveVerbs).toEqual(["moves", "slides", "drifts", "travels"]);
    expect(PHRASES.grow).toEqual(["grows", "gets bigger", "expands"]);
    expect(PHRASES.shrink).toEqual(["shrinks", "gets smaller", "contracts"]);
    expect(PHRASES.spin).toEqual(["spins", "rotates", "turns around"]);
    expect(PHRASES.blink).toEqual(["blinks", "flashes", "flickers"]);
    expect(PHRASES.colour).toEqual(["turns", "becomes", "changes to"]);
  });

  it("parses the documented example sentences", () => {
    expect(parseSentence("a red circle appears")).toEqual({ kind: "appear", shape: "circle", colour: "red" });
    expect(parseSentence("the blue box slides to the left")).toEqual({
      kind: "move",
      shape: "square",
      colour: "blue",
      direction: "left",
    });
    expect(parseSentence("the background becomes navy")).toEqual({
      kind: "background",
      shape: null,
      colour: null,
      to: "navy",
    });
    expect(parseSentence("The red square turns BLUE.")).toEqual({
      kind: "colour",
      shape: "square",
      colour: "red",
      to: "blue",
    });
    expect(parseSentence("the triangle turns around")).toEqual({ kind: "spin", shape: "triangle", colour: null });
    expect(parseSentence("the background turns dark green")?.to).toBe("dark green");
    expect(parseSentence("a purple circle appears")).toBeNull();
    expect(parseSentence("the circle dances")).toBeNull();
  });

  it("generated sentences use only vocabulary tokens and parse to their own event", () => {
    const vocab = new Set(vocabularyTokens());
    for (const { sc, e } of allEvents) {
      for (const tok of e.sentence.split(" ")) expect(vocab.has(tok), `"${tok}" in "${e.sentence}"`).toBe(true);
      const p = parseSentence(e.sentence);
      expect(p, e.sentence).not.toBeNull();
      expect(p!.kind).toBe(e.kind);
      if (e.kind === "move") expect(p!.direction).toBe(e.direction);
      if (e.kind === "colour" || e.kind === "background") expect(p!.to).toBe(e.to);
      if (e.object !== null) expect(p!.shape).toBe(sc.objects[e.object].shape);
    }
  });

  it("uses every synonym somewhere in the corpus", () => {
    const text = allEvents.map(({ e }) => ` ${e.sentence} `).join("\n");
    const all = [
      ...Object.values(SHAPE_WORDS).flat(),
      ...COLOURS,
      ...BACKGROUNDS,
      ...PHRASES.appear,
      ...PHRASES.disappear,
      ...PHRASES.moveVerbs,
      ...Object.values(PHRASES.directions).flat(),
      ...PHRASES.grow,
      ...PHRASES.shrink,
      ...PHRASES.spin,
      ...PHRASES.blink,
      ...PHRASES.colour,
      ...PHRASES.background,
    ];
    for (const w of all) expect(text.includes(` ${w} `) || text.includes(` ${w}\n`), w).toBe(true);
  });

  it("spins only squares and triangles", () => {
    const spins = allEvents.filter(({ e }) => e.kind === "spin");
    expect(spins.length).toBeGreaterThan(50);
    for (const { sc, e } of spins) expect(SPINNING_SHAPES).toContain(sc.objects[e.object!].shape);
  });
});

describe("sentences are exact ground truth", () => {
  it("each sentence describes exactly its own event", () => {
    for (const { sc, e } of allEvents) expect(groundTruthFor(sc, e.sentence)).toEqual([e]);
  });

  it("omits the colour only when the shape is unique on screen during the event", () => {
    let omitted = 0;
    for (const { sc, e } of allEvents) {
      if (e.object === null) continue;
      const p = parseSentence(e.sentence)!;
      if (p.colour !== null) continue;
      omitted++;
      const shape = sc.objects[e.object].shape;
      const same = objectsVisibleDuring(sc, e.start, e.end).filter((o) => o.shape === shape);
      expect(
        same.map((o) => o.id),
        e.sentence,
      ).toEqual([e.object]);
    }
    // the rule is exercised, and colour is kept often too
    expect(omitted).toBeGreaterThan(100);
    expect(omitted).toBeLessThan(allEvents.length * 0.6);
  });

  it("gives every (shape, colour) pair to at most one object per video", () => {
    for (const sc of scenarios) {
      const owner = new Map<string, number>();
      for (const o of sc.objects) {
        const colours = [o.colour, ...eventsOf(sc.events, o.id).flatMap((e) => (e.kind === "colour" ? [e.to] : []))];
        for (const c of colours) {
          const k = `${o.shape}:${c}`;
          expect(owner.get(k) ?? o.id).toBe(o.id);
          owner.set(k, o.id);
        }
      }
    }
  });
});

describe("scenario sampler", () => {
  it("is deterministic in the seed", () => {
    expect(sampleScenario(123)).toEqual(sampleScenario(123));
    expect(sampleScenario(123)).not.toEqual(sampleScenario(124));
    const a = Rng.hashed(9);
    const b = Rng.hashed(9);
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });

  it("respects the datasets.md ranges", () => {
    for (const sc of scenarios) {
      expect(sc.duration).toBeGreaterThanOrEqual(10 - 1e-9);
      expect(sc.duration).toBeLessThanOrEqual(90 + 1e-9);
      expect(Math.abs(sc.duration * sc.fps - Math.round(sc.duration * sc.fps))).toBeLessThan(1e-6);
      expect(sc.fps).toBeGreaterThanOrEqual(10);
      expect(sc.fps).toBeLessThanOrEqual(30);
      expect(sc.width).toBeGreaterThanOrEqual(160);
      expect(sc.height).toBeGreaterThanOrEqual(120);
      expect(sc.width).toBeLessThanOrEqual(640);
      expect(sc.height).toBeLessThanOrEqual(480);
      expect((sc.width % 2) + (sc.height % 2)).toBe(0);
      expect(sc.events.length).toBeGreaterThanOrEqual(3);
      expect(sc.events.length).toBeLessThanOrEqual(8);
      expect(sc.objects.length).toBeGreaterThanOrEqual(2);
      for (const e of sc.events) {
        const len = e.end - e.start;
        expect(len).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(len).toBeLessThanOrEqual(20 + 1e-9);
        expect(e.start).toBeGreaterThanOrEqual(0);
        expect(e.end).toBeLessThanOrEqual(sc.duration);
      }
      // an object does one thing at a time
      for (const id of [null, ...sc.objects.map((o) => o.id)]) {
        const own = eventsOf(sc.events, id);
        for (let i = 1; i < own.length; i++) expect(own[i].start).toBeGreaterThanOrEqual(own[i - 1].end);
      }
    }
    const sizes = new Set(scenarios.map((s) => `${s.width}x${s.height}`));
    expect(sizes.has("160x120") && sizes.has("640x480")).toBe(true);
    expect(new Set(scenarios.map((s) => s.fps)).size).toBeGreaterThan(4);
    const lens = allEvents.map(({ e }) => e.end - e.start);
    expect(Math.max(...lens)).toBeGreaterThan(15);
  });

  it("includes distractors, repeats, several objects at once and background changes", () => {
    let sameActionOther = 0;
    let sameObjectOther = 0;
    let together = 0;
    let bg = 0;
    for (const sc of scenarios) {
      const ev = sc.events.filter((e) => e.object !== null);
      const key = (e: (typeof ev)[number]) => (e.kind === "move" ? `move:${e.direction}` : e.kind);
      if (
        ev.some((a) =>
          ev.some((b) => a.object !== b.object && key(a) === key(b) && (a.end <= b.start || b.end <= a.start)),
        )
      )
        sameActionOther++;
      if (ev.some((a) => ev.some((b) => a.object === b.object && a.kind !== b.kind))) sameObjectOther++;
      if (sc.events.some((e) => e.kind === "background")) bg++;
      // several objects at once: some instant with at least two on screen
      for (let t = 0; t < sc.duration; t += 0.5) {
        if (objectsVisibleDuring(sc, t, t + 0.01).length >= 2) {
          together++;
          break;
        }
      }
    }
    expect(sameActionOther / scenarios.length).toBeGreaterThan(0.8);
    expect(sameObjectOther / scenarios.length).toBeGreaterThan(0.8);
    expect(together).toBe(scenarios.length);
    expect(bg).toBeGreaterThan(20);
  });

  it("honours narrower options (used for tests and demo videos)", () => {
    const sc = sampleScenario(5, { durationRange: [10, 10], fpsChoices: [10], sizes: [[160, 120, 1]] });
    expect([sc.duration, sc.fps, sc.width, sc.height]).toEqual([10, 10, 160, 120]);
    expect(sc.events.length).toBeGreaterThanOrEqual(3);
  });
});

describe("an extra event kind: bounce (off by default)", () => {
  const bouncy: Scenario[] = Array.from({ length: 200 }, (_, i) =>
    sampleScenario(hashSeed(42, i), { extraKinds: ["bounce"] }),
  );
  const bounces = bouncy.flatMap((sc) => sc.events.filter((e) => e.kind === "bounce").map((e) => ({ sc, e })));

  it("is never drawn unless asked for", () => {
    expect(allEvents.some(({ e }) => e.kind === "bounce")).toBe(false);
    expect(sampleScenario(hashSeed(42, 3), { extraKinds: [] })).toEqual(scenarios[3]);
  });

  it("parses its phrasings", () => {
    expect(parseSentence("the red ball bounces")).toEqual({ kind: "bounce", shape: "circle", colour: "red" });
    expect(parseSentence("A triangle hops.")).toEqual({ kind: "bounce", shape: "triangle", colour: null });
    expect(parseSentence("the blue box jumps")).toEqual({ kind: "bounce", shape: "square", colour: "blue" });
    expect(PHRASES.bounce).toEqual(["bounces", "hops", "jumps"]);
    expect(reverseSentence("the red ball bounces")).toBe("the red ball bounces");
  });

  it("is drawn often when asked for, with distractors, and every sentence names exactly its own event", () => {
    expect(bounces.length).toBeGreaterThan(100);
    // another object bouncing at another time: a model must localise, not just recognise
    expect(bouncy.filter((sc) => sc.events.filter((e) => e.kind === "bounce").length >= 2).length).toBeGreaterThan(20);
    const vocab = new Set(vocabularyTokens());
    for (const sc of bouncy)
      for (const e of sc.events) {
        for (const tok of e.sentence.split(" ")) expect(vocab.has(tok), `"${tok}" in "${e.sentence}"`).toBe(true);
        expect(groundTruthFor(sc, e.sentence)).toEqual([e]);
      }
    for (const w of PHRASES.bounce)
      expect(
        bounces.some(({ e }) => e.sentence.endsWith(` ${w}`)),
        w,
      ).toBe(true);
  });

  it("moves the object up inside the frame and lands it where it started, changing nothing else", () => {
    for (const { sc, e } of bounces) {
      if (e.kind !== "bounce") continue;
      const obj = sc.objects[e.object!];
      const own = eventsOf(sc.events, obj.id);
      const before = objectStateAt(obj, own, e.start);
      const after = objectStateAt(obj, own, e.end);
      expect(e.hops === 1 || e.hops === 2).toBe(true);
      expect(e.height).toBeGreaterThanOrEqual(0.08);
      expect(after).toEqual(before);
      // the top of the first hop
      const top = objectStateAt(obj, own, e.start + (e.end - e.start) / (2 * e.hops));
      expect(before.y - top.y).toBeCloseTo(e.height, 6);
      expect(top.y).toBeGreaterThanOrEqual(0.1 - 1e-9);
      expect([top.x, top.size, top.alpha]).toEqual([before.x, before.size, before.alpha]);
    }
  });

  it("lasts 1–3 s, or as long as asked, and the other kinds are drawn alike either way", () => {
    for (const { e } of bounces) {
      expect(e.end - e.start).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(e.end - e.start).toBeLessThanOrEqual(3 + 1e-9);
    }
    const slow = Array.from({ length: 200 }, (_, i) =>
      sampleScenario(hashSeed(42, i), { extraKinds: ["bounce"], bounceSeconds: [3, 6] }),
    ).flatMap((sc) => sc.events.filter((e) => e.kind === "bounce"));
    expect(slow.length).toBeGreaterThan(50);
    for (const e of slow) {
      expect(e.end - e.start).toBeGreaterThanOrEqual(3 - 1e-9);
      expect(e.end - e.start).toBeLessThanOrEqual(6 + 1e-9);
    }
    expect(Math.max(...slow.map((e) => e.end - e.start))).toBeGreaterThan(4.5);
    // without bounces the option changes nothing
    expect(sampleScenario(hashSeed(42, 3), { bounceSeconds: [3, 6] })).toEqual(scenarios[3]);
  });
});

describe("an extra event kind: shake (off by default)", () => {
  const shaky: Scenario[] = Array.from({ length: 200 }, (_, i) =>
    sampleScenario(hashSeed(42, i), { extraKinds: ["shake"] }),
  );
  const shakes = shaky.flatMap((sc) => sc.events.filter((e) => e.kind === "shake").map((e) => ({ sc, e })));

  it("is never drawn unless asked for, nor with bounce alone", () => {
    expect(allEvents.some(({ e }) => e.kind === "shake")).toBe(false);
    const bouncy = Array.from({ length: 100 }, (_, i) => sampleScenario(hashSeed(42, i), { extraKinds: ["bounce"] }));
    expect(bouncy.some((sc) => sc.events.some((e) => e.kind === "shake"))).toBe(false);
  });

  it("parses its phrasings", () => {
    expect(parseSentence("the red ball shakes")).toEqual({ kind: "shake", shape: "circle", colour: "red" });
    expect(parseSentence("A triangle wobbles.")).toEqual({ kind: "shake", shape: "triangle", colour: null });
    expect(parseSentence("the blue box jiggles")).toEqual({ kind: "shake", shape: "square", colour: "blue" });
    expect(PHRASES.shake).toEqual(["shakes", "wobbles", "jiggles"]);
    expect(reverseSentence("the red ball shakes")).toBe("the red ball shakes");
  });

  it("is drawn often when asked for, with distractors, and every sentence names exactly its own event", () => {
    expect(shakes.length).toBeGreaterThan(100);
    // another object shaking at another time: a model must localise, not just recognise
    expect(shaky.filter((sc) => sc.events.filter((e) => e.kind === "shake").length >= 2).length).toBeGreaterThan(20);
    const vocab = new Set(vocabularyTokens());
    for (const sc of shaky)
      for (const e of sc.events) {
        for (const tok of e.sentence.split(" ")) expect(vocab.has(tok), `"${tok}" in "${e.sentence}"`).toBe(true);
        expect(groundTruthFor(sc, e.sentence)).toEqual([e]);
      }
    for (const w of PHRASES.shake)
      expect(
        shakes.some(({ e }) => e.sentence.endsWith(` ${w}`)),
        w,
      ).toBe(true);
  });

  it("is drawn with its documented parameters and overlaps no other event of its object (a move included)", () => {
    for (const { sc, e } of shakes) {
      if (e.kind !== "shake") continue;
      expect(e.amplitude).toBeGreaterThanOrEqual(0.04);
      expect(e.amplitude).toBeLessThanOrEqual(0.09);
      expect(e.hz).toBeGreaterThanOrEqual(0.6);
      expect(e.hz).toBeLessThanOrEqual(1.2);
      expect(e.end - e.start).toBeGreaterThanOrEqual(2 - 1e-9);
      expect(e.end - e.start).toBeLessThanOrEqual(8 + 1e-9);
      for (const o of eventsOf(sc.events, e.object))
        if (o !== e) expect(o.end <= e.start || o.start >= e.end, `${o.sentence} / ${e.sentence}`).toBe(true);
    }
  });

  it("moves the object side to side inside the frame and ends where it started, changing nothing else", () => {
    let peak = 0;
    for (const { sc, e } of shakes) {
      if (e.kind !== "shake") continue;
      const obj = sc.objects[e.object!];
      const own = eventsOf(sc.events, obj.id);
      const before = objectStateAt(obj, own, e.start);
      // no net displacement: the state after the shake is the state before it
      expect(objectStateAt(obj, own, e.end)).toEqual(before);
      // every frame: the centre stays inside [0.1, 0.9] and only x changes
      for (let t = e.start; t <= e.end; t += 1 / sc.fps) {
        const st = objectStateAt(obj, own, t);
        expect(st.x).toBeGreaterThanOrEqual(0.1 - 1e-9);
        expect(st.x).toBeLessThanOrEqual(0.9 + 1e-9);
        expect(Math.abs(st.x - before.x)).toBeLessThanOrEqual(e.amplitude + 1e-9);
        expect([st.y, st.size, st.angle, st.rgb, st.alpha]).toEqual([
          before.y,
          before.size,
          before.angle,
          before.rgb,
          before.alpha,
        ]);
        peak = Math.max(peak, Math.abs(st.x - before.x) / e.amplitude);
      }
      // at the first crest (past the ramp: hz ≤ 1.2): displaced by the full amplitude, horizontally only
      const crest = e.start + 0.25 / e.hz;
      expect(crest - e.start).toBeGreaterThan(SHAKE_RAMP);
      expect(crest + 0.5 / e.hz).toBeLessThan(e.end - SHAKE_RAMP);
      const mid = objectStateAt(obj, own, crest);
      expect(mid.x - before.x).toBeCloseTo(e.amplitude, 6);
      expect([mid.y, mid.size, mid.angle, mid.alpha]).toEqual([before.y, before.size, before.angle, before.alpha]);
      // and back through the centre half a swing later
      expect(objectStateAt(obj, own, crest + 0.5 / e.hz).x - before.x).toBeCloseTo(-e.amplitude, 6);
    }
    // the frames see (nearly) the full swing
    expect(peak).toBeGreaterThan(0.95);
  });

  it("starts and ends smoothly (shakeOffset is 0 at both ends and never exceeds the amplitude)", () => {
    expect(shakeOffset(0.05, 2.7, 0, 3)).toBe(0);
    expect(shakeOffset(0.05, 2.7, 3, 3)).toBeCloseTo(0, 12);
    expect(Math.abs(shakeOffset(0.05, 2.7, 0.02, 3))).toBeLessThan(0.05 * 0.1);
    expect(Math.abs(shakeOffset(0.05, 2.7, 2.98, 3))).toBeLessThan(0.05 * 0.1);
    for (let tau = 0; tau <= 3; tau += 0.001)
      expect(Math.abs(shakeOffset(0.05, 2.7, tau, 3))).toBeLessThanOrEqual(0.05);
  });

  it("draws alongside bounce, in either order asked", () => {
    const both = Array.from({ length: 100 }, (_, i) =>
      sampleScenario(hashSeed(42, i), { extraKinds: ["bounce", "shake"] }),
    );
    const kinds = new Set(both.flatMap((sc) => sc.events.map((e) => e.kind)));
    expect(kinds.has("bounce") && kinds.has("shake")).toBe(true);
    for (let i = 0; i < 20; i++)
      expect(sampleScenario(hashSeed(42, i), { extraKinds: ["shake", "bounce"] })).toEqual(both[i]);
  });
});
