/**
 * Videos a grounder could not read (clips stored without the scorer's features: before a
 * re-embed, or inserted directly) go to a fallback grounder in one call, rather than failing
 * the whole request; with no fallback they get no spans.
 */
import type { Grounder, Grounding, GroundingInput } from "../types";

export function fillFromFallback(
  out: (Grounding | null)[],
  videos: readonly GroundingInput[],
  fallback: Grounder | null,
  sentence: string,
  opts: Parameters<Grounder["ground"]>[2],
): Grounding[] {
  const rest = videos.map((v, i) => ({ v, i })).filter(({ i }) => !out[i]);
  const other =
    rest.length && fallback
      ? fallback.ground(
          sentence,
          rest.map(({ v }) => v),
          opts,
        )
      : [];
  rest.forEach(({ i }, j) => (out[i] = other[j] ?? { spans: [], videoScore: null }));
  return out as Grounding[];
}
