/** The scenario sampler: seeded, well-formed scenarios with distractors (each sentence matches exactly one event of its video). */
import { Rng } from "../../core/rng";
import {
  BACKGROUNDS,
  COLOURS,
  DIRECTIONS,
  SHAPES,
  SHAPE_WORDS,
  SPINNING_SHAPES,
  EXTRA_EVENT_KINDS,
  type Background,
  type Colour,
  type Direction,
  type EventKind,
  type ExtraEventKind,
  type Shape,
} from "./vocabulary";
import {
  byStart,
  colourAt,
  eventsOf,
  objectStateAt,
  objectsVisibleDuring,
  visibleInterval,
  type Scenario,
  type SceneEvent,
  type SceneLook,
  type SceneObject,
  type TimedEvent,
} from "./scenario";
import { eventMatches, eventPhrase, parseSentence } from "./sentences";

export interface ScenarioOptions {
  /** video length range in seconds (default [10, 90]) */
  durationRange?: [number, number];
  /** target number of events (default [3, 8]) */
  eventsRange?: [number, number];
  /** frame rates to choose from (default 10–30 fps) */
  fpsChoices?: readonly number[];
  /** [width, height, weight] choices (default 160×120 … 640×480, small sizes weighted up) */
  sizes?: readonly (readonly [number, number, number])[];
  /**
   * Event kinds beyond the shipped world's (default none: the corpus the shipped models were
   * trained on renders unchanged). Each is drawn like a common kind (EXTRA_KIND_WEIGHT), in the
   * order of EXTRA_EVENT_KINDS whatever the order asked in (so ["bounce"] alone draws as before
   * "shake" existed).
   */
  extraKinds?: readonly ExtraEventKind[];
  /** how long a bounce lasts, in seconds (default [1, 3]; only drawn with extraKinds: ["bounce"]) */
  bounceSeconds?: readonly [number, number];
}

/** How often an extra kind is drawn, against the shipped kinds' weights (which sum to 1). */
export const EXTRA_KIND_WEIGHT = 0.25;

export const DEFAULT_FPS_CHOICES = [10, 12, 15, 20, 24, 25, 30] as const;
// Even dimensions only (yuv420p). Smaller frames are weighted up: they dominate a corpus's
// rendering time far less and the clip encoder downsamples anyway.
export const DEFAULT_SIZES: readonly (readonly [number, number, number])[] = [
  [160, 120, 3],
  [192, 144, 2],
  [240, 180, 2],
  [256, 144, 1],
  [320, 240, 3],
  [320, 180, 2],
  [384, 288, 1],
  [426, 240, 1],
  [480, 360, 1],
  [512, 384, 1],
  [640, 360, 1],
  [640, 480, 1],
];

const MARGIN = 0.5; // seconds kept free at both ends of a video
const GAP = 0.4; // seconds between two events of the same object: crisp boundaries
const POS_LO = 0.1; // object centres stay within [POS_LO, POS_HI] of the frame
const POS_HI = 0.9;
const SIZE_MIN = 0.035;
const SIZE_MAX = 0.2;
const MIN_MOVE = 0.12;
const MIN_HOP = 0.08; // a bounce's smallest height (fraction of the frame height)
const MIN_SHAKE = 0.04; // a shake's smallest amplitude (fraction of the frame width)

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
  bounce: [1, 3],
  shake: [2, 8],
};
/** Kinds that sometimes run long, so that the 1–20 s range of datasets.md is covered. */
const LONG_KINDS = new Set<EventKind>(["move", "spin", "blink", "grow"]);

const FRESH_KINDS: readonly (readonly [EventKind, number])[] = [
  ["move", 0.3],
  ["grow", 0.08],
  ["shrink", 0.08],
  ["spin", 0.1],
  ["blink", 0.1],
  ["colour", 0.1],
  ["appear", 0.1],
  ["disappear", 0.07],
  ["background", 0.07],
];

type Draft = TimedEvent;

/** The kinds a sampler draws from: the shipped ones, plus the extra kinds asked for. */
function freshKinds(extra: readonly ExtraEventKind[] = []): readonly (readonly [EventKind, number])[] {
  const asked = EXTRA_EVENT_KINDS.filter((k) => extra.includes(k));
  return asked.length ? [...FRESH_KINDS, ...asked.map((k) => [k, EXTRA_KIND_WEIGHT] as const)] : FRESH_KINDS;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const kindKey = (e: TimedEvent) => (e.kind === "move" ? `move:${e.direction}` : e.kind);

class Sampler {
  readonly objects: SceneObject[] = [];
  drafts: Draft[] = [];
  constructor(
    readonly rng: Rng,
    readonly duration: number,
    readonly background: Background,
    readonly bounceSeconds: readonly [number, number] = DURATIONS.bounce,
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
    const [lo, longest] = kind === "bounce" ? this.bounceSeconds : DURATIONS[kind];
    let hi = longest;
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
      const used = new Set<Background>([
        this.background,
        ...bg.map((e) => (e.kind === "background" ? e.to : this.background)),
      ]);
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
        const room: Record<Direction, number> = {
          left: st.x - POS_LO,
          right: POS_HI - st.x,
          up: st.y - POS_LO,
          down: POS_HI - st.y,
        };
        const dirs = direction
          ? [direction]
          : DIRECTIONS.filter((d) => room[d] >= 0.2 && !own.some((e) => kindKey(e) === `move:${d}`));
        if (!dirs.length) return null;
        const d = rng.pick(dirs);
        if (room[d] < MIN_MOVE + 0.03) return null;
        return this.push({
          kind,
          direction: d,
          distance: Math.min(room[d], rng.float(0.2, 0.45)),
          object: actor,
          ...span,
        });
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
      case "bounce": {
        // Up from where it is and back; the top of each hop stays inside the frame.
        const height = Math.min(st.y - POS_LO, rng.float(0.12, 0.25));
        if (height < MIN_HOP) return null;
        return this.push({ kind, height, hops: rng.int(1, 2), object: actor, ...span });
      }
      case "shake": {
        // Side to side around where it is (scenario.ts shakeOffset), the centre inside the frame.
        // Slow enough for the models' 4 frames a second (ml/config.ts CLIP_SPEC): a 2 Hz shake
        // would be sampled at its zero crossings, and faster ones alias (measured: a 2–3.5 Hz
        // shake was invisible to the clip features, docs/experiments/022).
        const amplitude = Math.min(rng.float(0.05, 0.09), st.x - POS_LO, POS_HI - st.x);
        if (amplitude < MIN_SHAKE) return null;
        return this.push({ kind, amplitude, hz: rng.float(0.6, 1.2), object: actor, ...span });
      }
      case "colour": {
        // Colour sets of objects with the same shape stay disjoint: a (shape, colour)
        // pair names one object for the whole video.
        const mine = this.colourSet(actor);
        const taken = new Set<Colour>(
          this.objects.filter((o) => o.shape === obj.shape && o.id !== actor).flatMap((o) => [...this.colourSet(o.id)]),
        );
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
   * Re-simulates every object in time order, shortening moves, size changes, bounces and
   * shakes that a later-inserted event pushed out of bounds, and dropping those that became too
   * small.
   * Returns true if it dropped something.
   */
  enforcePhysics(): boolean {
    for (const obj of this.objects) {
      let x = obj.x;
      let y = obj.y;
      let size = obj.size;
      for (const e of this.own(obj.id)) {
        if (e.kind === "move") {
          const room =
            e.direction === "left"
              ? x - POS_LO
              : e.direction === "right"
                ? POS_HI - x
                : e.direction === "up"
                  ? y - POS_LO
                  : POS_HI - y;
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
        } else if (e.kind === "bounce") {
          e.height = Math.min(e.height, y - POS_LO);
          if (e.height < MIN_HOP) return this.drop(e);
        } else if (e.kind === "shake") {
          e.amplitude = Math.min(e.amplitude, x - POS_LO, POS_HI - x);
          if (e.amplitude < MIN_SHAKE) return this.drop(e);
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
        e.sentence =
          shapeUnique && rng.chance(0.5) && unique(without, e) ? without : `${det} ${colour} ${word} ${phrase}`;
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
function wellFormed(
  objects: SceneObject[],
  events: SceneEvent[],
  duration: number,
  minEvents: number,
): { ok: boolean; distractors: boolean } {
  if (events.length < minEvents) return { ok: false, distractors: false };
  // Several objects at once: at some moment at least two are on screen.
  const intervals = objects.map((o) => visibleInterval(eventsOf(events, o.id), duration));
  let together = false;
  for (let t = 0; t < duration && !together; t += 0.25)
    together = intervals.filter(([a, b]) => a <= t && t < b).length >= 2;
  if (!together) return { ok: false, distractors: false };
  const obj = events.filter((e) => e.object !== null);
  let sameActionOther = false;
  let sameObjectOther = false;
  for (const a of obj)
    for (const b of obj) {
      if (a === b) continue;
      if (kindKey(a) === kindKey(b) && a.object !== b.object && (a.end <= b.start || b.end <= a.start))
        sameActionOther = true;
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
  const [width, height] = rng.weighted(
    (opts.sizes ?? DEFAULT_SIZES).map((s) => [[s[0], s[1]] as const, s[2]] as const),
  );
  const look = sampleLook(rng);
  const kinds = freshKinds(opts.extraKinds);
  let fallback: Scenario | null = null;
  for (let attempt = 0; attempt < 60; attempt++) {
    // Duration is a whole number of frames so that annotations and the file agree.
    const duration = Math.max(1, Math.round(rng.float(dMin, dMax) * fps)) / fps;
    const background = rng.pick(BACKGROUNDS);
    const target = rng.int(eMin, eMax);
    const s = new Sampler(rng, duration, background, opts.bounceSeconds);
    s.objects.push(
      ...sampleObjects(
        rng,
        rng.weighted([
          [2, 3],
          [3, 4],
          [4, 3],
          [5, 1],
        ] as const),
      ),
    );
    for (let tries = 0; tries < 80 && s.drafts.length < target; tries++) {
      const objectEvents = s.drafts.filter((d) => d.object !== null);
      const mode =
        objectEvents.length === 0
          ? "fresh"
          : rng.weighted([
              ["fresh", 0.4],
              ["sameAction", 0.32],
              ["sameObject", 0.28],
            ] as const);
      if (mode === "fresh") {
        const kind = rng.weighted(kinds);
        const actors = s.objects.filter((o) => kind !== "spin" || SPINNING_SHAPES.includes(o.shape));
        if (!actors.length) continue;
        s.tryAdd(kind, kind === "background" ? null : rng.pick(actors).id);
      } else if (mode === "sameAction") {
        // A distractor: the same action by another object.
        const ref = rng.pick(objectEvents);
        const others = s.objects.filter(
          (o) => o.id !== ref.object && (ref.kind !== "spin" || SPINNING_SHAPES.includes(o.shape)),
        );
        if (!others.length) continue;
        s.tryAdd(ref.kind, rng.pick(others).id, ref.kind === "move" ? ref.direction : undefined, ref);
      } else {
        // A distractor: the same object doing another action.
        const ref = rng.pick(objectEvents);
        const kind = rng.weighted(kinds.filter(([k]) => k !== ref.kind && k !== "background"));
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
