/**
 * Failed sign-ins are limited (rate-limiter-flexible, in this process's memory: the web
 * server is one process; a restart forgives) three ways, all in a 15-minute window:
 *   - per account and address (5): someone guessing one account from one place;
 *   - per account from anywhere (50): guessing one account from many addresses — high
 *     enough that a stranger who knows the admin's email cannot lock the admin out from
 *     the admin's own address with a handful of wrong guesses;
 *   - per address (20): one place guessing many accounts.
 * The address is the socket's (the web server preload records it), or with TRUST_PROXY
 * the one the proxy appends to X-Forwarded-For; a client cannot choose it. Only failures
 * count; a successful sign-in clears that account-and-address count.
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import { AppError } from "../errors";

export const ACCOUNT_FAILURES = 5;
export const ACCOUNT_FAILURES_ANYWHERE = 50;
export const ADDRESS_FAILURES = 20;
const WINDOW_SECONDS = 15 * 60;

interface Limiters {
  accountHere: RateLimiterMemory;
  account: RateLimiterMemory;
  address: RateLimiterMemory;
}

const KEY = Symbol.for("momentsearch.signin-limiters");
type Holder = { [KEY]?: Limiters };

function limiters(): Limiters {
  const holder = globalThis as Holder;
  holder[KEY] ??= {
    accountHere: new RateLimiterMemory({
      keyPrefix: "account-address",
      points: ACCOUNT_FAILURES,
      duration: WINDOW_SECONDS,
    }),
    account: new RateLimiterMemory({
      keyPrefix: "account",
      points: ACCOUNT_FAILURES_ANYWHERE,
      duration: WINDOW_SECONDS,
    }),
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

/** The limiters that apply to one attempt, with their keys and limits. */
function checks(email: string, address: string | null): { limiter: RateLimiterMemory; key: string; points: number }[] {
  const l = limiters();
  // An unknown address (direct calls in tests) shares no bucket with anyone else's.
  const here = address ?? "unknown";
  return [
    { limiter: l.accountHere, key: `${email}|${here}`, points: ACCOUNT_FAILURES },
    { limiter: l.account, key: email, points: ACCOUNT_FAILURES_ANYWHERE },
    ...(address ? [{ limiter: l.address, key: address, points: ADDRESS_FAILURES }] : []),
  ];
}

/** Throws TooManyAttempts while any limit that applies has been used up. */
export async function assertMaySignIn(email: string, address: string | null): Promise<void> {
  const states = await Promise.all(checks(email, address).map(async (c) => ({ c, res: await c.limiter.get(c.key) })));
  const wait = Math.max(
    0,
    ...states.map(({ c, res }) => (res && res.consumedPoints >= c.points ? res.msBeforeNext : 0)),
  );
  if (wait > 0) throw new TooManyAttempts(Math.max(1, Math.ceil(wait / 1000)));
}

export async function recordFailedSignIn(email: string, address: string | null): Promise<void> {
  // consume() rejects once the points are used up; the next attempt is refused by assertMaySignIn.
  await Promise.all(checks(email, address).map((c) => c.limiter.consume(c.key).catch(() => undefined)));
}

export async function clearFailedSignIns(email: string, address: string | null): Promise<void> {
  await limiters().accountHere.delete(`${email}|${address ?? "unknown"}`);
}

/** Forgets every count (tests). */
export function resetSignInLimits(): void {
  delete (globalThis as Holder)[KEY];
}
