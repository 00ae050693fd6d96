/**
 * Queries a library cannot answer: sentences of the Shapes grammar whose object/colour/action
 * combination happens in none of its videos. They test "no good match": a search for one should
 * show no moment above the threshold.
 *
 * The generator enumerates every (colour, shape, action) an object can do in the Shapes world
 * (world.ts's vocabulary: 5 colours × 3 shapes × appear, disappear, grow, shrink, blink, move
 * left/right/up/down, spin (squares and triangles only), turn <another colour>), drops every
 * combination that occurs in the split, shuffles the rest with a seeded Rng and phrases each
 * with a random determiner, shape word and synonym ("the yellow block drifts upward").
 * Background changes are left out (4 of them; they are rarely absent). Absence is checked twice:
 * against the scenarios when the folder has them (no event of any video matches the sentence,
 * world.ts's groundTruthFor), and against the annotations (no annotated sentence names the same
 * shape and action with the same colour or with none).
 */
import { Rng } from "../core/rng";
import {
  COLOURS,
  DIRECTIONS,
  groundTruthFor,
  parseSentence,
  PHRASES,
  SHAPE_WORDS,
  SHAPES,
  SPINNING_SHAPES,
  type Colour,
  type Direction,
  type Scenario,
  type Shape,
} from "../data/shapes/world";

/** What an object does, with its colour when it starts. */
export interface Combination {
  colour: Colour;
  shape: Shape;
  kind: "appear" | "disappear" | "grow" | "shrink" | "blink" | "spin" | "move" | "colour";
  direction?: Direction;
  /** target colour of a colour change */
  to?: Colour;
}

/** Every combination the Shapes world allows an object. */
export function allCombinations(): Combination[] {
  const out: Combination[] = [];
  for (const colour of COLOURS)
    for (const shape of SHAPES) {
      for (const kind of ["appear", "disappear", "grow", "shrink", "blink"] as const) out.push({ colour, shape, kind });
      if (SPINNING_SHAPES.includes(shape)) out.push({ colour, shape, kind: "spin" });
      for (const direction of DIRECTIONS) out.push({ colour, shape, kind: "move", direction });
      for (const to of COLOURS) if (to !== colour) out.push({ colour, shape, kind: "colour", to });
    }
  return out;
}

/** A canonical sentence of the combination (first synonym of each word). */
export function canonicalSentence(c: Combination): string {
  return phrase(c, (xs) => xs[0], "the");
}

/** The combination phrased with random synonyms from rng. */
export function randomSentence(c: Combination, rng: Rng): string {
  return phrase(c, (xs) => rng.pick(xs), rng.pick(["a", "the"]));
}

function phrase(c: Combination, pick: (xs: readonly string[]) => string, det: string): string {
  let action: string;
  if (c.kind === "move") action = `${pick(PHRASES.moveVerbs)} ${pick(PHRASES.directions[c.direction!])}`;
  else if (c.kind === "colour") action = `${pick(PHRASES.colour)} ${c.to}`;
  else action = pick(PHRASES[c.kind]);
  return `${det} ${c.colour} ${pick(SHAPE_WORDS[c.shape])} ${action}`;
}

/**
 * Whether the combination happens in the split: some scenario event matches its sentence, or
 * some annotated sentence names the same shape and action with its colour or with no colour.
 */
export function combinationPresent(
  c: Combination,
  scenarios: Iterable<Scenario> | null,
  annotated: Iterable<string>,
): boolean {
  const sentence = canonicalSentence(c);
  if (scenarios) for (const sc of scenarios) if (groundTruthFor(sc, sentence).length > 0) return true;
  for (const a of annotated) {
    const p = parseSentence(a);
    if (!p || p.kind !== c.kind || p.shape !== c.shape) continue;
    if (p.colour !== null && p.colour !== c.colour) continue;
    if (c.kind === "move" && p.direction !== c.direction) continue;
    if (c.kind === "colour" && p.to !== c.to) continue;
    return true;
  }
  return false;
}

export interface AbsentQuery {
  sentence: string;
  combination: Combination;
}

/**
 * Up to `n` sentences whose combination is absent from the split (each combination at most
 * once), in a seeded random order with random phrasing.
 */
export function absentQueries(
  scenarios: Iterable<Scenario> | null,
  annotated: readonly string[],
  n: number,
  seed: number,
): AbsentQuery[] {
  const scs = scenarios ? [...scenarios] : null;
  const rng = new Rng(seed);
  const absent = rng.shuffle(allCombinations().filter((c) => !combinationPresent(c, scs, annotated)));
  return absent.slice(0, n).map((combination) => ({ sentence: randomSentence(combination, rng), combination }));
}

/** Everyday words outside the Shapes vocabulary, for out-of-vocabulary queries. */
const OOV_NOUNS = [
  "dog",
  "cat",
  "car",
  "man",
  "woman",
  "child",
  "tree",
  "house",
  "beach",
  "ocean",
  "bird",
  "horse",
  "bicycle",
  "phone",
  "table",
  "chair",
  "door",
  "window",
  "river",
  "mountain",
  "city",
  "street",
  "train",
  "boat",
  "guitar",
  "kitchen",
  "garden",
  "flower",
  "book",
  "teacher",
];
const OOV_VERBS = [
  "runs",
  "jumps",
  "eats",
  "drives away",
  "reads a book",
  "sings",
  "dances",
  "walks",
  "swims",
  "falls asleep",
  "opens",
  "closes",
  "laughs",
  "sits down",
  "stands up",
  "barks",
  "climbs a tree",
  "waves",
  "cooks dinner",
  "plays guitar",
];
const OOV_PLACES = [
  "on the beach",
  "in the park",
  "at night",
  "in the kitchen",
  "near the river",
  "on the street",
  "in the snow",
  "at a party",
];

/**
 * Sentences the models cannot know: everyday English ("a dog runs on the beach"), Shapes
 * sentences whose shape or action is replaced by an everyday word ("the red dog spins", "the
 * blue square sings"; the colour alone is never replaced, since "the happy square spins" may
 * still be true) and strings of random letters. Words of `vocabulary` are never drawn. Seeded.
 */
export function outOfVocabularyQueries(
  shapesSentences: readonly string[],
  vocabulary: ReadonlySet<string>,
  n: number,
  seed: number,
): string[] {
  const rng = new Rng(seed);
  const fresh = (xs: readonly string[]) => xs.filter((x) => x.split(" ").every((w) => !vocabulary.has(w)));
  const nouns = fresh(OOV_NOUNS);
  const verbs = fresh(OOV_VERBS);
  const places = fresh(OOV_PLACES);
  const shapeWords = new Set(Object.values(SHAPE_WORDS).flat());
  const letters = () => Array.from({ length: rng.int(3, 8) }, () => String.fromCharCode(97 + rng.int(0, 25))).join("");
  const out: string[] = [];
  for (let i = 0; out.length < n && i < n * 20; i++) {
    const kind = i % 4;
    let s: string | null = null;
    if (kind === 0)
      s = `${rng.pick(["a", "the"])} ${rng.pick(nouns)} ${rng.pick(verbs)}${rng.chance(0.5) ? ` ${rng.pick(places)}` : ""}`;
    else if (kind === 3) s = Array.from({ length: rng.int(1, 3) }, letters).join(" ");
    else if (shapesSentences.length) {
      const ws = rng.pick(shapesSentences).toLowerCase().split(/\s+/);
      const at = ws.findIndex((w) => shapeWords.has(w));
      if (at < 0) continue;
      s =
        kind === 1
          ? [...ws.slice(0, at), rng.pick(nouns), ...ws.slice(at + 1)].join(" ")
          : [...ws.slice(0, at + 1), rng.pick(verbs)].join(" ");
    }
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}
