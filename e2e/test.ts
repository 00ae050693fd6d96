/**
 * The specs' `test`: `request` calls the API as the admin with a bearer token (the
 * server refuses cookie-authenticated changes that carry no Origin, which is what a bare
 * APIRequestContext sends). Pages keep the admin's session cookie from the project's
 * storageState. Config-level extraHTTPHeaders would also reach the pages, so the header
 * is set on this context only.
 */
import { test as base, type APIRequestContext, type PlaywrightWorkerArgs } from "@playwright/test";
import { adminToken, NO_STATE } from "./auth";

/**
 * A new API context that authenticates with the admin's token (and no cookies). Each request
 * has a connection of its own ("Connection: close"): Playwright keeps idle sockets open for
 * good, the server closes them after its keep-alive timeout (Node's 5 s), and a request sent on
 * a socket in the instant the server closes it fails with ECONNRESET (seen once in a spec's
 * afterAll, after a test that left the context idle for about that long).
 */
export function adminApi(
  playwright: PlaywrightWorkerArgs["playwright"],
  baseURL: string | undefined,
): Promise<APIRequestContext> {
  return playwright.request.newContext({
    baseURL,
    storageState: NO_STATE,
    extraHTTPHeaders: { authorization: `Bearer ${adminToken()}`, connection: "close" },
  });
}

export const test = base.extend({
  // (the fixture callback is named `provide`, not `use`: the React hooks lint rule would take it for React's use())
  request: async ({ playwright, baseURL }, provide) => {
    const ctx = await adminApi(playwright, baseURL);
    await provide(ctx);
    await ctx.dispose();
  },
});

export { expect } from "@playwright/test";
