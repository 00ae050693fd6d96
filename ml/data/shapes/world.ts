/**
 * The Shapes world (datasets.md §3): a fixed vocabulary, a sampler (seeded by ml/core/rng) of
 * scenarios (one scenario = one video: objects, timed events and their sentences).
 *
 * Design choices that keep the ground truth exact:
 *  - Nothing changes on screen except through an annotated event, and every event's
 *    visual change spans exactly [start, end].
 *  - An object does one thing at a time (its events never overlap), so each event's
 *    extent is unambiguous.
 *  - A (shape, colour) pair belongs to at most one object for the whole video, and every
 *    sentence is checked to match exactly one event of its video (colour is dropped only
 *    where datasets.md allows it and where the shorter sentence is still unambiguous).
 */
import { Rng } from "../../core/rng";

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

export const SHAPES = ["circle", "square", "triangle"] as const;
export type Shape = (typeof SHAPES)[number];

/** Every word that may name a shape; the first is the canonical one. */
export const SHAPE_WORDS: Readonly<Record<Shape, readonly string[]>> = {
  circle: ["circle", "ball", "disc", "dot"],
  square: ["square", "box", "block"],
  triangle: ["triangle"],
};

export const COLOURS = ["red", "green", "blue", "yellow", "white"] as const;
export type Colour = (typeof COLOURS)[number];

export const BACKGROUNDS = ["black", "gray", "navy", "dark green"] as const;
export type Background = (typeof BACKGROUNDS)[number];

export type RGB = readonly [number, number, number];

export const COLOUR_RGB: Readonly<Record<Colour, RGB>> = {
  red: [222, 38, 38],
  green: [40, 200, 64],
  blue: [48, 96, 240],
  yellow: [242, 218, 36],
  white: [245, 245, 245],
};

export const BACKGROUND_RGB: Readonly<Record<Background, RGB>> = {
  black: [12, 12, 12],
  gray: [112, 112, 112],
  navy: [18, 24, 92],
  "dark green": [14, 72, 30],
};

export const DIRECTIONS = ["left", "right", "up", "down"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const EVENT_KINDS = ["appear", "disappear", "move", "grow", "shrink", "spin", "blink", "colour", "background"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Only these shapes spin (a spinning circle is invisible). */
export const SPINNING_SHAPES: readonly Shape[] = ["square", "triangle"];

/** Event phrases with all synonyms of datasets.md §3. */
export const PHRASES = {
  appear: ["appears", "shows up", "comes into view", "pops up"],
  disappear: ["disappears", "vanishes", "goes away", "fades out"],
  moveVerbs: ["moves", "slides", "drifts", "travels"],
  directions: {
    left: ["to the left", "left"],
    right: ["to the right", "right"],
    up: ["upward", "up"],
    down: ["downward", "down"],
  } as Readonly<Record<Direction, readonly string[]>>,
  grow: ["grows", "gets bigger", "expands"],
  shrink: ["shrinks", "gets smaller", "contracts"],
  spin: ["spins", "rotates", "turns around"],
  blink: ["blinks", "flashes", "flickers"],
  /** "the red square turns blue" */
  colour: ["turns", "becomes", "changes to"],
  /** "the background turns gray" */
  background: ["turns", "changes to", "becomes"],
} as const;

export const DETERMINERS = ["a", "the"] as const;

/** Every token any Shapes sentence may contain (for vocabulary checks and tokenisers). */
export function vocabularyTokens(): string[] {
  const words = new Set<string>(["background", ...DETERMINERS, ...COLOURS]);
  const add = (s: string) => s.split(" ").forEach((w) => words.add(w));
  Object.values(SHAPE_WORDS).flat().forEach(add);
  BACKGROUNDS.forEach(add);
  for (const [k, v] of Object.entries(PHRASES)) {
    if (k === "directions") Object.values(v as Record<string, readonly string[]>).flat().forEach(add);
    else (v as readonly string[]).forEach(add);
  }
  return [...words].sort();
}

// ---------------------------------------------------------------------------------------
// Scenario model
// ---------------------------------------------------------------------------------------

export type EventSpec =
  | { kind: "appear" }
  | { kind: "disappear" }
  /** distance: fraction of the frame width (left/right) or height (up/down) */
  | { kind: "move"; direction: Direction; distance: number }
  /** factor: final size / initial size */
  | { kind: "grow"; factor: number }
  | { kind: "shrink"; factor: number }
  /** turns: signed number of revolutions over the event */
  | { kind: "spin"; turns: number }
  | { kind: "blink"; hz: number }
  | { kind: "colour"; to: Colour }
  | { kind: "background"; to: Background };

/** An event placed in time; `object` is null for background changes. */
export type TimedEvent = EventSpec & { object: number | null; start: number; end: number };
export type SceneEvent = TimedEvent & { id: number; sentence: string };

export interface SceneObject {
  id: number;
  shape: Shape;
  /** colour at t = 0 (colour events change it) */
  colour: Colour;
  /** centre, as fractions of frame width / height */
  x: number;
  y: number;
  /** equal-area radius as a fraction of min(width, height) */
  size: number;
  /** radians */
  angle: number;
}

/** Per-video camera imperfections (datasets.md: mild noise, blur and camera shake). */
export interface SceneLook {
  /** std-dev of additive pixel noise, in 0–255 units (integer) */
  noise: number;
  /** edge softness in pixels at a 240-pixel-high frame; scales with the output size */
  blur: number;
  /** camera-shake amplitude as a fraction of min(width, height) (0 = steady) */
  shake: number;
  shakeHz: [number, number];
  shakePhase: [number, number, number, number];
}

export interface Scenario {
  seed: number;
  /** seconds; an exact multiple of 1/fps, equal to the rendered file's length */
  duration: number;
  /** suggested output frame rate and size (the renderer accepts any size) */
  fps: number;
  width: number;
  height: number;
  background: Background;
  objects: SceneObject[];
  /** sorted by start time */
  events: SceneEvent[];
  look: SceneLook;
}

// ---------------------------------------------------------------------------------------
// State at time t (shared by the sampler and the renderer)
// ---------------------------------------------------------------------------------------

export interface ObjectState {
  id: number;
  shape: Shape;
  x: number;
  y: number;
  size: number;
  angle: number;
  rgb: [number, number, number];
  /** 0 = invisible, 1 = opaque */
  alpha: number;
}

function lerpRgb(a: RGB, b: RGB, p: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * p, a[1] + (b[1] - a[1]) * p, a[2] + (b[2] - a[2]) * p];
}

const byStart = (a: { start: number; object: number | null }, b: { start: number; object: number | null }) =>
  a.start - b.start || (a.object ?? -1) - (b.object ?? -1);

/** Events of one object (or of the background for null), in time order. */
export function eventsOf<E extends TimedEvent>(events: readonly E[], object: number | null): E[] {
  return events.filter((e) => e.object === object).sort(byStart);
}

/** State of one object at time t given its own events in time order. */
export function objectStateAt(obj: SceneObject, own: readonly TimedEvent[], t: number): ObjectState {
  let x = obj.x;
  let y = obj.y;
  let size = obj.size;
  let angle = obj.angle;
  let rgb: [number, number, number] = [...COLOUR_RGB[obj.colour]];
  let alpha = own.some((e) => e.kind === "appear") ? 0 : 1;
  for (const e of own) {
    if (t < e.start) break;
    const p = t >= e.end ? 1 : (t - e.start) / (e.end - e.start);
    switch (e.kind) {
      case "appear":
        alpha = p;
        break;
      case "disappear":
        alpha = 1 - p;
        break;
      case "move": {
        const d = e.distance * p;
        if (e.direction === "left") x -= d;
        else if (e.direction === "right") x += d;
        else if (e.direction === "up") y -= d;
        else y += d;
        break;
      }
      case "grow":
      case "shrink":
        size *= 1 + (e.factor - 1) * p;
        break;
      case "spin":
        angle += e.turns * 2 * Math.PI * p;
        break;
      case "blink":
        // Square wave that starts "off", so the first visible change is at `start`.
        if (p < 1 && Math.floor((t - e.start) * e.hz * 2) % 2 === 0) alpha = 0;
        break;
      case "colour":
        rgb = lerpRgb(rgb, COLOUR_RGB[e.to], p);
        break;
      case "background":
        break;
    }
  }
  return { id: obj.id, shape: obj.shape, x, y, size, angle, rgb, alpha };
}

/** Background colour at time t given the background events in time order. */
export function backgroundAt(initial: Background, bgEvents: readonly TimedEvent[], t: number): [number, number, number] {
  let rgb: [number, number, number] = [...BACKGROUND_RGB[initial]];
  for (const e of bgEvents) {
    if (t < e.start || e.kind !== "background") break;
    const p = t >= e.end ? 1 : (t - e.start) / (e.end - e.start);
    rgb = lerpRgb(rgb, BACKGROUND_RGB[e.to], p);
  }
  return rgb;
}

/** The colour name of an object at time t (a change counts once it has finished). */
export function colourAt(obj: SceneObject, own: readonly TimedEvent[], t: number): Colour {
  let c = obj.colour;
  for (const e of own) if (e.kind === "colour" && e.end <= t) c = e.to;
  return c;
}

/** [first, last] instant at which the object is (at least partly) on screen. */
export function visibleInterval(own: readonly TimedEvent[], duration: number): [number, number] {
  const app = own.find((e) => e.kind === "appear");
  const dis = own.find((e) => e.kind === "disappear");
  return [app ? app.start : 0, dis ? dis.end : duration];
}

/** Objects on screen at some moment of [start, end] (used by the colour-omission rule). */
export function objectsVisibleDuring(sc: Pick<Scenario, "objects" | "events" | "duration">, start: number, end: number): SceneObject[] {
  return sc.objects.filter((o) => {
    const [a, b] = visibleInterval(eventsOf(sc.events, o.id), sc.duration);
    return a < end && b > start;
  });
}

// ---------------------------------------------------------------------------------------
// Sentences: composition and parsing
// ---------------------------------------------------------------------------------------

export interface ParsedSentence {
  kind: EventKind;
  /** null for background sentences */
  shape: Shape | null;
  /** null when the sentence names no colour for the object */
  colour: Colour | null;
  direction?: Direction;
  /** target colour of a colour change / background change */
  to?: Colour | Background;
}

type FixedPhrase = { kind: EventKind; direction?: Direction };
const FIXED_PHRASES = new Map<string, FixedPhrase>();
for (const k of ["appear", "disappear", "grow", "shrink", "spin", "blink"] as const) {
  for (const p of PHRASES[k]) FIXED_PHRASES.set(p, { kind: k });
}
for (const d of DIRECTIONS) {
  for (const v of PHRASES.moveVerbs) for (const dp of PHRASES.directions[d]) FIXED_PHRASES.set(`${v} ${dp}`, { kind: "move", direction: d });
}

const alt = (xs: readonly string[]) => xs.map((x) => x.replace(/ /g, "\\s+")).join("|");
const SHAPE_BY_WORD = new Map<string, Shape>();
for (const s of SHAPES) for (const w of SHAPE_WORDS[s]) SHAPE_BY_WORD.set(w, s);
const OBJECT_RE = new RegExp(`^(${alt(DETERMINERS)}) (?:(${alt(COLOURS)}) )?(${alt([...SHAPE_BY_WORD.keys()])}) (.+)$`);
const COLOUR_CHANGE_RE = new RegExp(`^(${alt(PHRASES.colour)}) (${alt(COLOURS)})$`);
const BACKGROUND_RE = new RegExp(`^the background (${alt(PHRASES.background)}) (${alt(BACKGROUNDS)})$`);

/**
 * Parses a sentence of the Shapes grammar (case- and spacing-insensitive, trailing period
 * allowed). Returns null for anything outside the vocabulary.
 */
export function parseSentence(text: string): ParsedSentence | null {
  const s = text.toLowerCase().trim().replace(/\.$/, "").replace(/\s+/g, " ");
  const bg = BACKGROUND_RE.exec(s);
  if (bg) return { kind: "background", shape: null, colour: null, to: bg[2] as Background };
  const m = OBJECT_RE.exec(s);
  if (!m) return null;
  const shape = SHAPE_BY_WORD.get(m[3])!;
  const colour = (m[2] as Colour | undefined) ?? null;
  const fixed = FIXED_PHRASES.get(m[4]);
  if (fixed) return { kind: fixed.kind, shape, colour, ...(fixed.direction ? { direction: fixed.direction } : {}) };
  const cc = COLOUR_CHANGE_RE.exec(m[4]);
  if (cc) return { kind: "colour", shape, colour, to: cc[2] as Colour };
  return null;
}

/** Does event `e` of the scenario satisfy the meaning of a parsed sentence? */
export function eventMatches(p: ParsedSentence, e: TimedEvent, objects: readonly SceneObject[], events: readonly TimedEvent[]): boolean {
  if (p.kind !== e.kind) return false;
  if (e.kind === "background") return p.to === e.to;
  const obj = objects.find((o) => o.id === e.object);
  if (!obj || obj.shape !== p.shape) return false;
  if (e.kind === "move" && p.direction !== e.direction) return false;
  if (e.kind === "colour" && p.to !== e.to) return false;
  return p.colour === null || colourAt(obj, eventsOf(events, obj.id), e.start) === p.colour;
}

/** All events of a scenario that a sentence describes (exactly one for generated queries). */
export function groundTruthFor(sc: Pick<Scenario, "objects" | "events">, sentence: string): SceneEvent[] {
  const p = parseSentence(sentence);
  return p ? sc.events.filter((e) => eventMatches(p, e, sc.objects, sc.events)) : [];
}

function eventPhrase(rng: Rng, e: EventSpec): string {
  switch (e.kind) {
    case "move":
      return `${rng.pick(PHRASES.moveVerbs)} ${rng.pick(PHRASES.directions[e.direction])}`;
    case "colour":
      return `${rng.pick(PHRASES.colour)} ${e.to}`;
    case "background":
      return `${rng.pick(PHRASES.background)} ${e.to}`;
    default:
      return rng.pick(PHRASES[e.kind]);
  }
}

// ---------------------------------------------------------------------------------------
// Scenario sampler
// ---------------------------------------------------------------------------------------

export interface ScenarioOptions {
  /** video length range in seconds (default [10, 90]) */
  durationRange?: [number, number];
  /** target number of events (default [3, 8]) */
  eventsRange?: [number, number];
  /** frame rates to choose from (default 10–30 fps) */
  fpsChoices?: readonly number[];
  /** [width, height, weight] choices (default 160×120 … 640×480, small sizes weighted up) */
  sizes?: readonly (readonly [number, number, number])[];
}

export const DEFAULT_FPS_CHOICES = [10, 12, 15, 20, 24, 25, 30] as const;
// Even dimensions only (yuv420p). Smaller frames are weighted up: they dominate a corpus's
// rendering time far less and the clip encoder downsamples anyway.
export const DEFAULT_SIZES: readonly (readonly [number, number, number])[] = [
  [160, 120, 3], [192, 144, 2], [240, 180, 2], [256, 144, 1], [320, 240, 3], [320, 180, 2],
  [384, 288, 1], [426, 240, 1], [480, 360, 1], [512, 384, 1], [640, 360, 1], [640, 480, 1],
];

const MARGIN = 0.5; // seconds kept free at both ends of a video
const GAP = 0.4; // seconds between two events of the same object: crisp boundaries
const POS_LO = 0.1; // object centres stay within [POS_LO, POS_HI] of the frame
const POS_HI = 0.9;
const SIZE_MIN = 0.035;
const SIZE_MAX = 0.2;
const MIN_MOVE = 0.12;

const DURATIONS: Record<EventKind, [number, number]> = {
  appear: [1, 4],
  disappear: [1, 4],
  move: [1.5, 10],
  grow: [1.5, 8],
  shrink: [1.5, 8],
  spin: [1.5, 12],
  blink: [1, 8],
  colour: [1, 5],
  background: [1, 5],
};
/** Kinds that sometimes run long, so that the 1–20 s range of datasets.md is covered. */
const LONG_KINDS = new Set<EventKind>(["move", "spin", "blink", "grow"]);

const FRESH_KINDS: readonly (readonly [EventKind, number])[] = [
  ["move", 0.3], ["grow", 0.08], ["shrink", 0.08], ["spin", 0.1], ["blink", 0.1],
  ["colour", 0.1], ["appear", 0.1], ["disappear", 0.07], ["background", 0.07],
];

type Draft = TimedEvent;

const round2 = (x: number) => Math.round(x * 100) / 100;
const kindKey = (e: TimedEvent) => (e.kind === "move" ? `move:${e.direction}` : e.kind);

class Sampler {
  readonly objects: SceneObject[] = [];
  drafts: Draft[] = [];
  constructor(
    readonly rng: Rng,
    readonly duration: number,
    readonly background: Background,
  ) {}

  own(id: number | null): Draft[] {
    return eventsOf(this.drafts, id);
  }

  /** All colours an object ever has (initial + change targets). */
  colourSet(id: number): Set<Colour> {
    const o = this.objects[id];
    return new Set<Colour>([o.colour, ...this.own(id).flatMap((e) => (e.kind === "colour" ? [e.to] : []))]);
  }

  /** A duration for a kind, never longer than `room`. */
  pickDuration(kind: EventKind, room: number): number | null {
    const lo = DURATIONS[kind][0];
    let hi = DURATIONS[kind][1];
    if (LONG_KINDS.has(kind) && this.rng.chance(0.12)) hi = 20;
    hi = Math.min(hi, room);
    if (hi < lo) return null;
    return round2(this.rng.float(lo, hi));
  }

  /** Free sub-intervals of [lo, hi] not within GAP of the busy ones. */
  static free(busy: readonly { start: number; end: number }[], lo: number, hi: number): [number, number][] {
    const out: [number, number][] = [];
    let cur = lo;
    for (const b of [...busy].sort((a, c) => a.start - c.start)) {
      if (b.start - GAP > cur) out.push([cur, Math.min(hi, b.start - GAP)]);
      cur = Math.max(cur, b.end + GAP);
    }
    if (hi > cur) out.push([cur, hi]);
    return out.filter(([a, b]) => b > a);
  }

  /** Picks a start so that [start, start + dur] lies in one of the free intervals. */
  place(slots: [number, number][], kind: EventKind, avoid?: Draft): { start: number; end: number } | null {
    const longest = Math.max(0, ...slots.map(([a, b]) => b - a));
    const dur = this.pickDuration(kind, longest);
    if (dur === null) return null;
    const fits = slots.filter(([a, b]) => b - a >= dur);
    // For "the same action by another object" prefer a different time: that is the
    // distractor that forces a model to localise, not just recognise.
    let choices = fits;
    if (avoid) {
      const apart = fits.filter(([a, b]) => a >= avoid.end || b <= avoid.start);
      if (apart.length && this.rng.chance(0.8)) choices = apart;
    }
    if (!choices.length) return null;
    const total = choices.reduce((s, [a, b]) => s + (b - a - dur), 0);
    let r = this.rng.next() * total;
    for (const [a, b] of choices) {
      const slack = b - a - dur;
      if (r <= slack) {
        const start = round2(Math.max(a, Math.min(a + r, b - dur)));
        return { start, end: round2(start + dur) };
      }
      r -= slack;
    }
    const [a] = choices[choices.length - 1];
    return { start: round2(a), end: round2(a + dur) };
  }

  /** Tries to add an event of `kind` for `actor`; returns it or null when infeasible. */
  tryAdd(kind: EventKind, actor: number | null, direction?: Direction, avoid?: Draft): Draft | null {
    const D = this.duration;
    const rng = this.rng;
    if (kind === "background") {
      const bg = this.own(null);
      if (bg.length >= 2) return null;
      const used = new Set<Background>([this.background, ...bg.map((e) => (e.kind === "background" ? e.to : this.background))]);
      const targets = BACKGROUNDS.filter((b) => !used.has(b));
      if (!targets.length) return null;
      const span = this.place(Sampler.free(bg, MARGIN, D - MARGIN), kind);
      if (!span) return null;
      return this.push({ kind, to: rng.pick(targets), object: null, ...span });
    }
    if (actor === null) return null;
    const obj = this.objects[actor];
    const own = this.own(actor);
    const app = own.find((e) => e.kind === "appear");
    const dis = own.find((e) => e.kind === "disappear");
    const body = own.filter((e) => e.kind !== "appear" && e.kind !== "disappear");
    // One event of a given action per object: a repeat would make its sentence ambiguous.
    if (own.some((e) => kindKey(e) === (kind === "move" ? `move:${direction ?? ""}` : kind))) return null;

    if (kind === "appear") {
      if (app) return null;
      const hi = Math.min(body.length ? body[0].start - GAP : D - 3, dis ? dis.start - GAP : D);
      const span = this.place([[MARGIN, hi]].filter(([a, b]) => b > a) as [number, number][], kind, avoid);
      return span ? this.push({ kind, object: actor, ...span }) : null;
    }
    if (kind === "disappear") {
      if (dis) return null;
      const lo = Math.max(body.length ? Math.max(...body.map((e) => e.end)) + GAP : 3, app ? app.end + GAP : 3);
      const span = this.place([[lo, D - MARGIN]].filter(([a, b]) => b > a) as [number, number][], kind, avoid);
      return span ? this.push({ kind, object: actor, ...span }) : null;
    }
    if (kind === "spin" && !SPINNING_SHAPES.includes(obj.shape)) return null;

    const lo = app ? app.end + GAP : MARGIN;
    const hi = dis ? dis.start - GAP : D - MARGIN;
    const span = this.place(Sampler.free(body, lo, hi), kind, avoid);
    if (!span) return null;
    const st = objectStateAt(obj, own, span.start);
    switch (kind) {
      case "move": {
        const room: Record<Direction, number> = { left: st.x - POS_LO, right: POS_HI - st.x, up: st.y - POS_LO, down: POS_HI - st.y };
        const dirs = direction ? [direction] : DIRECTIONS.filter((d) => room[d] >= 0.2 && !own.some((e) => kindKey(e) === `move:${d}`));
        if (!dirs.length) return null;
        const d = rng.pick(dirs);
        if (room[d] < MIN_MOVE + 0.03) return null;
        return this.push({ kind, direction: d, distance: Math.min(room[d], rng.float(0.2, 0.45)), object: actor, ...span });
      }
      case "grow": {
        const factor = Math.min(rng.float(1.5, 2.1), SIZE_MAX / st.size);
        return factor < 1.35 ? null : this.push({ kind, factor, object: actor, ...span });
      }
      case "shrink": {
        const factor = Math.max(rng.float(0.42, 0.65), SIZE_MIN / st.size);
        return factor > 0.75 ? null : this.push({ kind, factor, object: actor, ...span });
      }
      case "spin": {
        const dur = span.end - span.start;
        const turns = Math.max(0.3, rng.float(0.15, 0.45) * dur) * (rng.chance(0.5) ? 1 : -1);
        return this.push({ kind, turns, object: actor, ...span });
      }
      case "blink":
        return this.push({ kind, hz: rng.float(1, 2.5), object: actor, ...span });
      case "colour": {
        // Colour sets of objects with the same shape stay disjoint: a (shape, colour)
        // pair names one object for the whole video.
        const mine = this.colourSet(actor);
        const taken = new Set<Colour>(this.objects.filter((o) => o.shape === obj.shape && o.id !== actor).flatMap((o) => [...this.colourSet(o.id)]));
        const targets = COLOURS.filter((c) => !mine.has(c) && !taken.has(c));
        return targets.length ? this.push({ kind, to: rng.pick(targets), object: actor, ...span }) : null;
      }
      default:
        return null;
    }
  }

  push(d: Draft): Draft {
    this.drafts.push(d);
    return d;
  }

  /**
   * Re-simulates every object in time order, shortening moves and size changes that a
   * later-inserted event pushed out of bounds, and dropping those that became too small.
   * Returns true if it dropped something.
   */
  enforcePhysics(): boolean {
    for (const obj of this.objects) {
      let x = obj.x;
      let y = obj.y;
      let size = obj.size;
      for (const e of this.own(obj.id)) {
        if (e.kind === "move") {
          const room = e.direction === "left" ? x - POS_LO : e.direction === "right" ? POS_HI - x : e.direction === "up" ? y - POS_LO : POS_HI - y;
          if (room < MIN_MOVE) return this.drop(e);
          e.distance = Math.min(e.distance, room);
          if (e.direction === "left") x -= e.distance;
          else if (e.direction === "right") x += e.distance;
          else if (e.direction === "up") y -= e.distance;
          else y += e.distance;
        } else if (e.kind === "grow") {
          e.factor = Math.min(e.factor, SIZE_MAX / size);
          if (e.factor < 1.3) return this.drop(e);
          size *= e.factor;
        } else if (e.kind === "shrink") {
          e.factor = Math.max(e.factor, SIZE_MIN / size);
          if (e.factor > 0.77) return this.drop(e);
          size *= e.factor;
        }
      }
    }
    return false;
  }

  drop(e: Draft): true {
    this.drafts = this.drafts.filter((d) => d !== e);
    return true;
  }

  /** Writes a sentence for every event; drops an event that cannot be described uniquely. */
  describe(): SceneEvent[] | null {
    const rng = this.rng;
    const order = [...this.drafts].sort(byStart);
    const events: SceneEvent[] = order.map((d, id) => ({ ...d, id, sentence: "" }));
    const sc = { objects: this.objects, events, duration: this.duration };
    const unique = (sentence: string, e: SceneEvent) => {
      const p = parseSentence(sentence);
      if (!p) throw new Error(`generated sentence outside the grammar: "${sentence}"`);
      const hits = events.filter((x) => eventMatches(p, x, this.objects, events));
      return hits.length === 1 && hits[0] === e;
    };
    for (const e of events) {
      const phrase = eventPhrase(rng, e);
      if (e.kind === "background") {
        e.sentence = `the background ${phrase}`;
      } else {
        const obj = this.objects[e.object!];
        const det = rng.chance(e.kind === "appear" ? 0.6 : 0.15) ? "a" : "the";
        const word = rng.pick(SHAPE_WORDS[obj.shape]);
        const colour = colourAt(obj, eventsOf(events, obj.id), e.start);
        const without = `${det} ${word} ${phrase}`;
        // datasets.md: colour may be omitted only when the shape is unique on screen then.
        const shapeUnique = objectsVisibleDuring(sc, e.start, e.end).filter((o) => o.shape === obj.shape).length === 1;
        e.sentence = shapeUnique && rng.chance(0.5) && unique(without, e) ? without : `${det} ${colour} ${word} ${phrase}`;
      }
      if (!unique(e.sentence, e)) {
        this.drop(order[e.id]);
        return null;
      }
    }
    return events;
  }
}

function sampleObjects(rng: Rng, n: number): SceneObject[] {
  const used = new Set<string>();
  const objs: SceneObject[] = [];
  for (let id = 0; id < n; id++) {
    let shape: Shape;
    let colour: Colour;
    do {
      shape = rng.pick(SHAPES);
      colour = rng.pick(COLOURS);
    } while (used.has(`${shape}:${colour}`));
    used.add(`${shape}:${colour}`);
    // Spread objects out so they rarely start on top of each other.
    const size = rng.float(0.06, 0.12);
    let x = 0.5;
    let y = 0.5;
    for (let tries = 0; tries < 60; tries++) {
      x = rng.float(0.18, 0.82);
      y = rng.float(0.18, 0.82);
      // Triangles reach 1.56 × size from their centre; keep a margin beyond that.
      if (objs.every((o) => Math.hypot(o.x - x, o.y - y) > 0.1 + 1.6 * (o.size + size))) break;
    }
    objs.push({ id, shape, colour, x, y, size, angle: shape === "circle" ? 0 : rng.float(0, Math.PI * 2) });
  }
  return objs;
}

function sampleLook(rng: Rng): SceneLook {
  return {
    noise: rng.int(0, 6),
    blur: round2(rng.float(0.8, 2.5)),
    shake: rng.chance(0.6) ? round2(rng.float(0.002, 0.012) * 1000) / 1000 : 0,
    shakeHz: [round2(rng.float(0.3, 1.2)), round2(rng.float(1.5, 4))],
    shakePhase: [rng.float(0, 6.283), rng.float(0, 6.283), rng.float(0, 6.283), rng.float(0, 6.283)],
  };
}

/** Sanity checks a finished video must pass (else the sampler draws again). */
function wellFormed(objects: SceneObject[], events: SceneEvent[], duration: number, minEvents: number): { ok: boolean; distractors: boolean } {
  if (events.length < minEvents) return { ok: false, distractors: false };
  // Several objects at once: at some moment at least two are on screen.
  const intervals = objects.map((o) => visibleInterval(eventsOf(events, o.id), duration));
  let together = false;
  for (let t = 0; t < duration && !together; t += 0.25) together = intervals.filter(([a, b]) => a <= t && t < b).length >= 2;
  if (!together) return { ok: false, distractors: false };
  const obj = events.filter((e) => e.object !== null);
  let sameActionOther = false;
  let sameObjectOther = false;
  for (const a of obj)
    for (const b of obj) {
      if (a === b) continue;
      if (kindKey(a) === kindKey(b) && a.object !== b.object && (a.end <= b.start || b.end <= a.start)) sameActionOther = true;
      if (a.object === b.object && a.kind !== b.kind) sameObjectOther = true;
    }
  return { ok: true, distractors: sameActionOther && sameObjectOther };
}

/**
 * Samples one video of the Shapes world. Deterministic in `seed` (and the options).
 * The returned scenario's events all carry a sentence that matches exactly that event.
 */
export function sampleScenario(seed: number, opts: ScenarioOptions = {}): Scenario {
  const rng = Rng.hashed(seed);
  const [dMin, dMax] = opts.durationRange ?? [10, 90];
  const [eMin, eMax] = opts.eventsRange ?? [3, 8];
  const fps = rng.pick(opts.fpsChoices ?? DEFAULT_FPS_CHOICES);
  const [width, height] = rng.weighted((opts.sizes ?? DEFAULT_SIZES).map((s) => [[s[0], s[1]] as const, s[2]] as const));
  const look = sampleLook(rng);
  let fallback: Scenario | null = null;
  for (let attempt = 0; attempt < 60; attempt++) {
    // Duration is a whole number of frames so that annotations and the file agree.
    const duration = Math.max(1, Math.round(rng.float(dMin, dMax) * fps)) / fps;
    const background = rng.pick(BACKGROUNDS);
    const target = rng.int(eMin, eMax);
    const s = new Sampler(rng, duration, background);
    s.objects.push(...sampleObjects(rng, rng.weighted([[2, 3], [3, 4], [4, 3], [5, 1]] as const)));
    for (let tries = 0; tries < 80 && s.drafts.length < target; tries++) {
      const objectEvents = s.drafts.filter((d) => d.object !== null);
      const mode = objectEvents.length === 0 ? "fresh" : rng.weighted([["fresh", 0.4], ["sameAction", 0.32], ["sameObject", 0.28]] as const);
      if (mode === "fresh") {
        const kind = rng.weighted(FRESH_KINDS);
        const actors = s.objects.filter((o) => kind !== "spin" || SPINNING_SHAPES.includes(o.shape));
        if (!actors.length) continue;
        s.tryAdd(kind, kind === "background" ? null : rng.pick(actors).id);
      } else if (mode === "sameAction") {
        // A distractor: the same action by another object.
        const ref = rng.pick(objectEvents);
        const others = s.objects.filter((o) => o.id !== ref.object && (ref.kind !== "spin" || SPINNING_SHAPES.includes(o.shape)));
        if (!others.length) continue;
        s.tryAdd(ref.kind, rng.pick(others).id, ref.kind === "move" ? ref.direction : undefined, ref);
      } else {
        // A distractor: the same object doing another action.
        const ref = rng.pick(objectEvents);
        const kind = rng.weighted(FRESH_KINDS.filter(([k]) => k !== ref.kind && k !== "background"));
        s.tryAdd(kind, ref.object);
      }
    }
    let events: SceneEvent[] | null = null;
    for (let guard = 0; guard < 50 && !events; guard++) {
      if (s.enforcePhysics()) continue;
      events = s.describe();
    }
    if (!events) continue;
    const check = wellFormed(s.objects, events, duration, Math.min(eMin, 3));
    if (!check.ok) continue;
    const sc: Scenario = { seed, duration, fps, width, height, background, objects: s.objects, events, look };
    if (check.distractors) return sc;
    fallback ??= sc;
  }
  if (fallback) return fallback;
  throw new Error(`sampleScenario(${seed}): could not build a valid video (options too tight?)`);
}
