/**
 * Accounts: the first admin, users an admin manages, signing in and changing passwords.
 * Every rule that protects the library from being locked out lives here (the last
 * enabled admin cannot be demoted or disabled).
 */
import { z } from "zod";
import { withTransaction } from "@/db/pool";
import * as sessionsRepo from "@/db/repositories/sessions";
import * as users from "@/db/repositories/users";
import type { User, UserWithHash } from "@/db/repositories/users";
import { adminSettings } from "../config";
import type { Context } from "../context";
import { AppError, badRequest, conflict, notFound, unauthorized } from "../errors";
import { burnVerification, checkPasswordPolicy, hashPassword, verifyPassword } from "./password";
import { assertMaySignIn, clearFailedSignIns, recordFailedSignIn } from "./rate-limit";
import { ROLES, type Role } from "./roles";
import { startSession, type ClientInfo } from "./sessions";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address." }).max(254));
/** Trimmed, lower-cased; 400 when it is not an email address. */
export function normaliseEmail(raw: string): string {
  const r = emailSchema.safeParse(raw);
  if (!r.success) throw badRequest("Enter a valid email address.", "invalid_email");
  return r.data;
}

export const roleSchema = z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}.` });
export const nameSchema = z.string().trim().max(100);

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

const KEY = Symbol.for("momentsearch.users-exist");
type Holder = { [KEY]?: boolean };

/** Whether any account exists. Once true it stays true (accounts are disabled, never deleted). */
export async function hasUsers(ctx: Context): Promise<boolean> {
  const holder = globalThis as Holder;
  if (holder[KEY]) return true;
  const exists = (await users.countUsers(ctx.db)) > 0;
  if (exists) holder[KEY] = true;
  return exists;
}

/** Forgets the cached answer (tests that reset the database). */
export function forgetUsersExist(): void {
  delete (globalThis as Holder)[KEY];
}

export interface NewAccount {
  email: string;
  password: string;
  name?: string;
}

/** First run: the admin account, only while there is no account at all (409 after). */
export async function createFirstAdmin(ctx: Context, a: NewAccount): Promise<User> {
  checkPasswordPolicy(a.password);
  const email = normaliseEmail(a.email);
  const passwordHash = await hashPassword(a.password);
  const admin = await withTransaction(ctx.db, async (client) => {
    const created = await users.insertFirstUser(client, {
      email,
      name: a.name?.trim() ?? "",
      role: "admin",
      passwordHash,
    });
    if (created) await users.claimUnownedVideos(client, created.id);
    return created;
  });
  if (!admin) throw conflict("The admin account already exists; sign in instead.", "already_set_up");
  (globalThis as Holder)[KEY] = true;
  return strip(admin);
}

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD create the admin unattended on a library without
 * accounts. Returns the account created, or null when there was nothing to do.
 */
export async function ensureAdminFromEnv(ctx: Context, env?: Record<string, string | undefined>): Promise<User | null> {
  const admin = env ? adminSettings(env) : ctx.config.admin;
  const email = admin.email;
  const password = admin.password;
  if (!email && !password) return null;
  if (!email || !password) throw new Error("Set both ADMIN_EMAIL and ADMIN_PASSWORD (or neither).");
  if (await hasUsers(ctx)) return null;
  try {
    return await createFirstAdmin(ctx, { email, password, name: admin.name ?? undefined });
  } catch (err) {
    if (err instanceof AppError && err.code === "already_set_up") return null;
    if (err instanceof AppError) throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD: ${err.message}`);
    throw err;
  }
}

export async function createUser(ctx: Context, a: NewAccount & { role: Role }): Promise<User> {
  checkPasswordPolicy(a.password);
  const email = normaliseEmail(a.email);
  const created = await users.insertUser(ctx.db, {
    email,
    name: a.name?.trim() ?? "",
    role: a.role,
    passwordHash: await hashPassword(a.password),
  });
  if (!created) throw conflict(`An account for ${email} already exists.`, "email_taken");
  (globalThis as Holder)[KEY] = true;
  return strip(created);
}

export async function listUsers(ctx: Context) {
  return (await users.listUsers(ctx.db)).map((u) => ({ ...toUserDto(u), sessions: u.sessions, tokens: u.tokens }));
}

export interface UserUpdate {
  name?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/** An admin's change to an account. Disabling or a new password ends the user's sessions. */
export async function updateUser(ctx: Context, actorId: string, id: string, c: UserUpdate): Promise<User> {
  if (c.password !== undefined) checkPasswordPolicy(c.password);
  const passwordHash = c.password !== undefined ? await hashPassword(c.password) : undefined;
  return withTransaction(ctx.db, async (client) => {
    // Serialised: two admins demoting each other at once must not leave none.
    await client.query("SELECT pg_advisory_xact_lock(727431006)");
    const current = await users.findUserById(client, id);
    if (!current) throw notFound(`No user with id ${id}.`);
    const losesAdmin =
      current.role === "admin" &&
      current.disabledAt === null &&
      ((c.role !== undefined && c.role !== "admin") || c.disabled === true);
    if (losesAdmin && (await users.countEnabledAdmins(client)) <= 1) {
      throw conflict("This is the only enabled admin; make another admin first.", "last_admin");
    }
    if (c.disabled === true && id === actorId) throw badRequest("You cannot disable your own account.", "self_disable");
    const updated = await users.updateUser(client, id, {
      name: c.name,
      role: c.role,
      disabled: c.disabled,
      passwordHash,
    });
    if (!updated) throw notFound(`No user with id ${id}.`);
    if (c.disabled === true || passwordHash !== undefined) await sessionsRepo.deleteUserSessions(client, id);
    return strip(updated);
  });
}

export async function revokeSessions(ctx: Context, id: string): Promise<number> {
  const user = await users.findUserById(ctx.db, id);
  if (!user) throw notFound(`No user with id ${id}.`);
  return sessionsRepo.deleteUserSessions(ctx.db, id);
}

/** Email + password → a new session. Wrong credentials and disabled accounts answer alike. */
export async function signIn(ctx: Context, credentials: { email: string; password: string }, client: ClientInfo) {
  const email = credentials.email.trim().toLowerCase();
  const address = client.address;
  await assertMaySignIn(email, address);
  const user = await users.findUserByEmail(ctx.db, email);
  const ok = user
    ? await verifyPassword(user.passwordHash, credentials.password)
    : (await burnVerification(credentials.password), false);
  if (!user || !ok || user.disabledAt) {
    await recordFailedSignIn(email, address);
    if (user && ok && user.disabledAt)
      throw unauthorized("This account is disabled; ask an admin.", "account_disabled");
    throw unauthorized("Wrong email or password.", "invalid_credentials");
  }
  await clearFailedSignIns(email, address);
  const session = await startSession(ctx, user.id, client);
  return { user: strip(user), session };
}

/** Changes one's own password; every other session of the account ends. */
export async function changePassword(
  ctx: Context,
  userId: string,
  p: { currentPassword: string; newPassword: string },
  keepSessionHash?: string,
): Promise<void> {
  const user = await users.findUserById(ctx.db, userId);
  if (!user) throw notFound("Your account no longer exists.");
  if (!(await verifyPassword(user.passwordHash, p.currentPassword)))
    throw badRequest("The current password is wrong.", "wrong_password");
  checkPasswordPolicy(p.newPassword);
  await users.updateUser(ctx.db, userId, { passwordHash: await hashPassword(p.newPassword) });
  await sessionsRepo.deleteUserSessions(ctx.db, userId, keepSessionHash);
}

/**
 * Who owns what a CLI adds: the account for `email`, else the first admin; null when no
 * account exists yet (creating the first admin claims those videos).
 */
export async function resolveOwner(ctx: Context, email?: string): Promise<User | null> {
  if (email) {
    const user = await users.findUserByEmail(ctx.db, email.trim().toLowerCase());
    if (!user) throw notFound(`No account for ${email}.`);
    return strip(user);
  }
  const admin = await users.findFirstAdmin(ctx.db);
  return admin ? strip(admin) : null;
}

function strip(u: UserWithHash): User {
  const { passwordHash: _hash, ...user } = u;
  void _hash;
  return user;
}
