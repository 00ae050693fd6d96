/**
 * Opaque secrets handed to clients (session ids, API tokens). Both carry 256 random
 * bits, so a fast hash is enough to store them: nothing can be brute-forced back from a
 * SHA-256 of 32 random bytes, unlike a password.
 */
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "mst_";

export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function newApiToken(): string {
  return `${TOKEN_PREFIX}${newSecret()}`;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** What a token list shows to tell tokens apart: the prefix and the first 6 random characters. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}
