/**
 * Next.js calls register() once as the server starts: the search models load in the
 * background then (lib/search/warm-up.ts), not on the first search. Node runtime only: the
 * models are TensorFlow.js on the server.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWarmUp } = await import("./lib/search/warm-up");
  startWarmUp();
}
