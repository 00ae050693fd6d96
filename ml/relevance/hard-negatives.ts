/**
 * One-word edits of a sentence that make it false in its video: hard negatives that teach the
 * relevance scorer to bind colour, shape and action (and the order of a colour change) instead
 * of matching a bag of words. Without them the scorer rates "a yellow block becomes blue" as
 * high as "the blue block turns yellow" on the same span, so search cannot say "no good match"
 * for a combination the library lacks (docs/experiments/019-calibration.md, 020).
 *
 * The edits are made on the Shapes grammar (parseSentence); a sentence outside it has none.
 */
import type { Rng } from "../core/rng";
import {
  COLOURS,
  DIRECTIONS,
  PHRASES,
  SHAPE_WORDS,
  SHAPES,
  SPINNING_SHAPES,
  parseSentence,
  type Colour,
  type Direction,
  type EventKind,
  type ExtraEventKind,
  type ParsedSentence,
  type Shape,
} from "../data/shapes/world";

/** An object event as the grammar names it (no background changes). */
export interface ObjectEvent {
  colour: Colour | null;
  shape: Shape;
  kind: Exclude<EventKind, "background">;
  direction?: Direction;
  to?: Colour;
}

const FIXED_KINDS = ["appear", "disappear", "grow", "shrink", "blink", "spin"] as const;

/** The object event of a parsed sentence, or null for a background change. */
export function objectEvent(p: ParsedSentence): ObjectEvent | null {
  if (p.kind === "background" || !p.shape) return null;
  return {
    colour: p.colour,
    shape: p.shape,
    kind: p.kind,
    ...(p.direction ? { direction: p.direction } : {}),
    ...(p.kind === "colour" ? { to: p.to as Colour } : {}),
  };
}

function allowed(e: ObjectEvent): boolean {
  if (e.kind === "spin" && !SPINNING_SHAPES.includes(e.shape)) return false;
  if (e.kind === "colour" && (e.to === undefined || e.to === e.colour)) return false;
  return true;
}

/**
 * Every event one word away: another colour, another shape, another action (or direction, or
 * target colour), and for a colour change the two colours swapped ("the blue block turns
 * yellow" → "the yellow block turns blue"), which no single word change reaches.
 */
export function oneWordEdits(e: ObjectEvent, extraKinds: readonly ExtraEventKind[] = []): ObjectEvent[] {
  const out: ObjectEvent[] = [];
  const base = { colour: e.colour, shape: e.shape };
  if (e.colour) for (const c of COLOURS) if (c !== e.colour) out.push({ ...e, colour: c });
  for (const sh of SHAPES) if (sh !== e.shape) out.push({ ...e, shape: sh });
  for (const k of [...FIXED_KINDS, ...extraKinds]) if (k !== e.kind) out.push({ ...base, kind: k });
  for (const d of DIRECTIONS)
    if (e.kind !== "move" || d !== e.direction) out.push({ ...base, kind: "move", direction: d });
  for (const to of COLOURS) if (e.kind !== "colour" || to !== e.to) out.push({ ...base, kind: "colour", to });
  if (e.kind === "colour" && e.colour && e.to) out.push({ ...e, colour: e.to, to: e.colour });
  return out.filter(allowed);
}

/** The event phrased with random synonyms: "the yellow block drifts upward". */
export function phraseEvent(e: ObjectEvent, rng: Rng): string {
  return phraseWith(e, (xs) => rng.pick(xs), rng.pick(["a", "the"]));
}

/** The event phrased with the first synonym of each word: "the yellow square moves upward". */
export function canonicalPhrase(e: ObjectEvent): string {
  return phraseWith(e, (xs) => xs[0], "the");
}

function phraseWith(e: ObjectEvent, pick: (xs: readonly string[]) => string, det: string): string {
  let action: string;
  if (e.kind === "move") action = `${pick(PHRASES.moveVerbs)} ${pick(PHRASES.directions[e.direction!])}`;
  else if (e.kind === "colour") action = `${pick(PHRASES.colour)} ${e.to}`;
  else action = pick(PHRASES[e.kind]);
  const colour = e.colour ? `${e.colour} ` : "";
  return `${det} ${colour}${pick(SHAPE_WORDS[e.shape])} ${action}`;
}

/**
 * Every one-word edit of a sentence of the grammar, phrased canonically ([] outside the grammar);
 * with `shape`, only those that change the object's shape (true) or only the others (false).
 */
export function editSentences(sentence: string, shape?: boolean): string[] {
  const p = parseSentence(sentence);
  const e = p && objectEvent(p);
  if (!e) return [];
  const edits = oneWordEdits(e);
  return (shape === undefined ? edits : edits.filter((x) => (x.shape !== e.shape) === shape)).map(canonicalPhrase);
}

/**
 * Up to n edits of `sentence` that `isFalse` rejects for its video, phrased at random. The
 * swapped colour change comes first when it is false: it is the edit the scorer misses most.
 */
export function hardNegatives(
  sentence: string,
  isFalse: (s: string) => boolean,
  n: number,
  rng: Rng,
  /** event kinds beyond the shipped world's that the edits may also name (e.g. a library's "bounce") */
  extraKinds: readonly ExtraEventKind[] = [],
): string[] {
  const p = parseSentence(sentence);
  const e = p && objectEvent(p);
  if (!e || n <= 0) return [];
  const edits = oneWordEdits(e, extraKinds);
  const swap = e.kind === "colour" && e.colour ? edits.pop()! : null;
  const order = [...(swap ? [swap] : []), ...rng.shuffle(edits)];
  const out: string[] = [];
  for (const edit of order) {
    if (out.length >= n) break;
    const s = phraseEvent(edit, rng);
    if (isFalse(s)) out.push(s);
  }
  return out;
}

/**
 * Whether a sentence is false in a video by the closed-world reading of the video's own
 * sentences: it is (a one-word edit could be) an object event of the grammar, and none of
 * the sentences describes a compatible event — same action (direction, target colour), same
 * shape, and the same colour where both name one. What a library's weak captions give in
 * place of a scenario, where they describe every event of their video (a generated library's
 * do); an event nobody captioned is taken for false. A sentence outside the grammar is never
 * called false (there is nothing to compare it with).
 */
export function falseByCaptions(captions: readonly string[]): (sentence: string) => boolean {
  const told = captions.map(parseSentence).filter((p): p is ParsedSentence => p !== null);
  return (sentence) => {
    const p = parseSentence(sentence);
    if (!p || p.kind === "background" || !p.shape) return false;
    return !told.some(
      (c) =>
        c.kind === p.kind &&
        c.direction === p.direction &&
        c.to === p.to &&
        (c.shape === null || c.shape === p.shape) &&
        (c.colour === null || p.colour === null || c.colour === p.colour),
    );
  };
}
