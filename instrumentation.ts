/**
 * Next.js calls register() once as the server starts: the search models load in the
 * background then (lib/search/warm-up.ts), not on the first search. Node runtime only: the
 * models are TensorFlow.js on the server. Nothing here may stop the server from starting (Next
 * rethrows what register throws): any failure is logged, and the first search loads them.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { startWarmUp } = await import("./lib/search/warm-up");
    startWarmUp();
  } catch (err) {
    console.warn(`[models] no warm-up: ${err instanceof Error ? err.message : String(err)}`);
  }
}
