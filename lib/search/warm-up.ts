/**
 * The active version's search models, loaded as the web server starts (instrumentation.ts), so
 * that the first search does not pay for loading them: about 1 s on an idle 2-core machine, many
 * on a busy one. One sentence goes through the text encoder, which also compiles its kernels.
 * A failure is logged and left to the first search, which loads what is missing as before.
 */
import { activeModels } from "../models";
import { getContext, type Context } from "../context";

/** Loads the active version's text encoder, grounding models and calibration; its version. */
export async function warmUpSearch(ctx: Context = getContext()): Promise<number> {
  const models = await activeModels(ctx);
  const [text] = await Promise.all([models.textEncoder(), models.groundingModels(), models.calibrator()]);
  await text.encodeSentence("the red square spins");
  return models.version;
}

/** warmUpSearch in the background, with a line in the server's log either way; never throws. */
export function startWarmUp(context?: Context): void {
  const t0 = performance.now();
  let ctx: Context | undefined = context;
  // getContext throws without a database configured: a rejection here, logged like any other
  Promise.resolve()
    .then(() => warmUpSearch((ctx ??= getContext())))
    .then(
      (version) => {
        if (!ctx?.config.ml.quiet)
          console.log(
            `[models] version ${version} loaded for search in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
          );
      },
      (err: unknown) =>
        console.warn(
          `[models] the search models could not be loaded at start (the first search tries again): ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
}
