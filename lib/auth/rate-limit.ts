/**
 * Failed sign-ins are limited per account and per client address (rate-limiter-flexible,
 * in this process's memory: the web server is one process; a restart forgives). Only
 * failures count; a successful sign-in clears the account's count.
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import { AppError } from "../errors";

export const ACCOUNT_FAILURES = 5;
export const ADDRESS_FAILURES = 20;
const WINDOW_SECONDS = 15 * 60;

interface Limiters {
  account: RateLimiterMemory;
  address: RateLimiterMemory;
}

const KEY = Symbol.for("momentsearch.signin-limiters");
type Holder = { [KEY]?: Limiters };

function limiters(): Limiters {
  const holder = globalThis as Holder;
  holder[KEY] ??= {
    account: new RateLimiterMemory({ keyPrefix: "account", points: ACCOUNT_FAILURES, duration: WINDOW_SECONDS }),
    address: new RateLimiterMemory({ keyPrefix: "address", points: ADDRESS_FAILURES, duration: WINDOW_SECONDS }),
  };
  return holder[KEY];
}

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "too_many_attempts", `Too many failed sign-ins. Try again in ${describeWait(retryAfterSeconds)}.`);
  }
}

function describeWait(s: number): string {
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? "" : "s"}`;
}

/**
 * Throws TooManyAttempts while either the account or the address has used up its
 * failures. An unknown address (null) is not limited by address: all such clients would
 * otherwise share one bucket, and one of them could lock everyone out.
 */
export async function assertMaySignIn(email: string, address: string | null): Promise<void> {
  const l = limiters();
  const [a, b] = await Promise.all([l.account.get(email), address ? l.address.get(address) : null]);
  const waits = [a && a.consumedPoints >= ACCOUNT_FAILURES ? a.msBeforeNext : 0, b && b.consumedPoints >= ADDRESS_FAILURES ? b.msBeforeNext : 0];
  const wait = Math.max(...waits);
  if (wait > 0) throw new TooManyAttempts(Math.max(1, Math.ceil(wait / 1000)));
}

export async function recordFailedSignIn(email: string, address: string | null): Promise<void> {
  const l = limiters();
  // consume() rejects once the points are used up; the next attempt is refused by assertMaySignIn.
  await Promise.all([l.account.consume(email).catch(() => undefined), address ? l.address.consume(address).catch(() => undefined) : null]);
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await limiters().account.delete(email);
}

/** Forgets every count (tests). */
export function resetSignInLimits(): void {
  delete (globalThis as Holder)[KEY];
}
