/** The relevance scorer's architecture (type + defaults). */
import { N_SLOTS, slotInputWidth, type SlotWindow } from "../features/slots";

export interface RelevanceConfig {
  /** slots per clip and values per slot of the standardised LocVTP slot inputs */
  slots: number;
  slotInput: number;
  hidden: number;
  temporalKernel: number;
  nTokens: number;
  maxWords: number;
  buckets: number;
  /**
   * Independently trained scorers averaged (an ensemble; absent = 1). Member m's weights are
   * named "rel/…" (m = 0) or "rel<m>/…"; its features and query occupy the m-th block of
   * `hidden` values, and the logits are the members' mean.
   */
  members?: number;
  /**
   * How the clip tower groups the slot inputs (absent = "colour"). "colour": one slot per
   * colour, holding both of its components. "component": every object component is a slot of
   * its own (5 colours × 2 components + the background), so the shared MLP binds shape, size and
   * motion of one object at a time, and a second object of the same colour uses the same
   * detector as the first instead of a rarely trained half of the colour's input.
   */
  slotLayout?: "colour" | "component";
}

/** The scorer's architecture for a LocVTP slot encoder's inputs (the tokens match CPL's 64). */
export function relevanceConfigFor(loc: SlotWindow): RelevanceConfig {
  return {
    slots: N_SLOTS,
    slotInput: slotInputWidth(loc),
    hidden: 64,
    temporalKernel: 5,
    nTokens: 64,
    maxWords: 16,
    buckets: 4096,
  };
}
