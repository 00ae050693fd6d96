/**
 * A sentence of the Shapes grammar as the span verifier reads it: one-hot slots for what the
 * sentence asserts (action, shape, the object's colour, direction, target colour or background).
 * A colour the sentence leaves out reads all zeros; a sentence outside the grammar, or naming an
 * action outside KINDS (an extra kind added after the verifier was shipped, e.g. "shake"), has no
 * attributes (null), and the verifier says nothing about it.
 */
import {
  BACKGROUNDS,
  COLOURS,
  DIRECTIONS,
  EVENT_KINDS,
  SHAPES,
  parseSentence,
  type EventKind,
  type ParsedSentence,
} from "../data/shapes/world";

/**
 * The actions the verifier has a slot for: fixed, not derived from EXTRA_EVENT_KINDS. The shipped
 * verifier's weights were trained on this layout (models/verifier/manifest.json attributeDim 31:
 * the 9 shipped kinds + "bounce"); a new extra kind must not widen it, or the shipped weights no
 * longer read the vector they were trained on.
 */
const KINDS: readonly EventKind[] = [...EVENT_KINDS, "bounce"];
const TARGETS = [...COLOURS, ...BACKGROUNDS] as const;

/** slot widths, in order: kind, shape, colour, direction, target (colour or background) */
const WIDTHS = [KINDS.length, SHAPES.length, COLOURS.length, DIRECTIONS.length, TARGETS.length];
const OFFSETS = WIDTHS.map((_, i) => WIDTHS.slice(0, i).reduce((a, b) => a + b, 0));

/**
 * Where the object's colour and the target (its first COLOURS.length values are the colours, in
 * the order of the object slots: ml/features/lowlevel.ts OBJECT_COLOURS) start.
 */
export const COLOUR_GATES = { colour: OFFSETS[2], target: OFFSETS[4] };

/** Length of an attribute vector. */
export const ATTRIBUTE_DIM = WIDTHS.reduce((a, b) => a + b, 0);

/** Whether the verifier has a slot for the sentence's action. */
export function hasKindSlot(p: Pick<ParsedSentence, "kind">): boolean {
  return KINDS.includes(p.kind);
}

/** The one-hot attribute vector of a parsed sentence (an action without a slot reads all zeros there). */
export function parsedAttributes(p: ParsedSentence): Float32Array {
  const v = new Float32Array(ATTRIBUTE_DIM);
  const set = (slot: number, index: number) => {
    if (index >= 0) v[OFFSETS[slot] + index] = 1;
  };
  set(0, KINDS.indexOf(p.kind));
  if (p.shape) set(1, SHAPES.indexOf(p.shape));
  if (p.colour) set(2, COLOURS.indexOf(p.colour));
  if (p.direction) set(3, DIRECTIONS.indexOf(p.direction));
  if (p.to) set(4, (TARGETS as readonly string[]).indexOf(p.to));
  return v;
}

/**
 * The attribute vector of a sentence, or null when the grammar does not parse it or its action
 * has no slot (hasKindSlot).
 */
export function sentenceAttributes(sentence: string): Float32Array | null {
  const p = parseSentence(sentence);
  return p && hasKindSlot(p) ? parsedAttributes(p) : null;
}
