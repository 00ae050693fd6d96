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
export * from "./vocabulary";
export * from "./scenario";
export * from "./sentences";
export * from "./sampler";
