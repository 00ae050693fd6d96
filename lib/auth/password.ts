/**
 * Password hashing with argon2id (the `argon2` package: maintained bindings to the
 * reference implementation, prebuilt binaries shipped inside the npm package). The
 * encoded hash carries its own salt and parameters, so they can be raised later and old
 * hashes still verify.
 */
import argon2 from "argon2";
import { badRequest } from "../errors";
import { PASSWORD_MAX, PASSWORD_MIN } from "./policy";

/** OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { PASSWORD_MAX, PASSWORD_MIN };

export function checkPasswordPolicy(password: string): void {
  if (password.length < PASSWORD_MIN)
    throw badRequest(`The password must be at least ${PASSWORD_MIN} characters long.`, "weak_password");
  if (password.length > PASSWORD_MAX)
    throw badRequest(`The password must be at most ${PASSWORD_MAX} characters long.`, "weak_password");
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** False for a wrong password or a hash that is not argon2's (never throws for those). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time of one verification without an account: a sign-in for an unknown
 * email takes as long as a wrong password, so timing does not reveal who has an account.
 */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword("not-a-real-account-password");
  await verifyPassword(await dummy, password);
}
