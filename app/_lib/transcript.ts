/** The transcript's arithmetic: which cues are on at a time. Pure functions, safe on server and client. */

interface Timed {
  start: number;
  end: number;
}

/**
 * The indices of the cues showing at `t` (start ≤ t < end), in order; several when they
 * overlap (lines of on-screen text read together). `cues` in time order (by start).
 */
export function activeCueIndices(cues: readonly Timed[], t: number): number[] {
  const out: number[] = [];
  // cues start in order: none after the first that starts past t can be on
  for (let i = 0; i < cues.length && cues[i].start <= t; i++) {
    if (t < cues[i].end) out.push(i);
  }
  return out;
}

/** Whether two index lists hold the same indices in the same order. */
export function sameIndices(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
