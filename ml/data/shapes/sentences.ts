/** Sentences of the Shapes world: composing an event's sentence, parsing one back, and finding the events a sentence describes. */
import { Rng } from "../../core/rng";
import {
  BACKGROUNDS,
  COLOURS,
  DETERMINERS,
  DIRECTIONS,
  PHRASES,
  SHAPES,
  SHAPE_WORDS,
  type Background,
  type Colour,
  type Direction,
  type EventKind,
  type Shape,
} from "./vocabulary";
import {
  colourAt,
  eventsOf,
  type EventSpec,
  type Scenario,
  type SceneEvent,
  type SceneObject,
  type TimedEvent,
} from "./scenario";

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
for (const k of ["appear", "disappear", "grow", "shrink", "spin", "blink", "bounce", "shake"] as const) {
  for (const p of PHRASES[k]) FIXED_PHRASES.set(p, { kind: k });
}
for (const d of DIRECTIONS) {
  for (const v of PHRASES.moveVerbs)
    for (const dp of PHRASES.directions[d]) FIXED_PHRASES.set(`${v} ${dp}`, { kind: "move", direction: d });
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
export function eventMatches(
  p: ParsedSentence,
  e: TimedEvent,
  objects: readonly SceneObject[],
  events: readonly TimedEvent[],
): boolean {
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

export function eventPhrase(rng: Rng, e: EventSpec): string {
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
