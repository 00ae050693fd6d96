/** The Shapes world's fixed vocabulary (datasets.md §3): shapes, colours, backgrounds, events and their phrasings. */

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

export const EVENT_KINDS = [
  "appear",
  "disappear",
  "move",
  "grow",
  "shrink",
  "spin",
  "blink",
  "colour",
  "background",
] as const;
/**
 * Kinds the shipped models never saw (issue 22's retraining experiment): the grammar knows them,
 * but the generator renders them only when asked (`ScenarioOptions.extraKinds`,
 * `npm run data:shapes -- --event-kinds +bounce,+shake`), so the default corpus stays as it was.
 */
export const EXTRA_EVENT_KINDS = ["bounce", "shake"] as const;
export type ExtraEventKind = (typeof EXTRA_EVENT_KINDS)[number];
export type EventKind = (typeof EVENT_KINDS)[number] | ExtraEventKind;

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
  /** an extra kind: the object hops up and falls back to where it was, once or twice */
  bounce: ["bounces", "hops", "jumps"],
  /** an extra kind: the object shakes side to side around where it is and ends where it started */
  shake: ["shakes", "wobbles", "jiggles"],
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
    if (k === "directions")
      Object.values(v as Record<string, readonly string[]>)
        .flat()
        .forEach(add);
    else (v as readonly string[]).forEach(add);
  }
  return [...words].sort();
}
