/** Accounts for tests and benchmarks: a user of each role and a bearer token for each. */
import { createUser } from "@/lib/auth/accounts";
import type { Role } from "@/lib/auth/roles";
import { createToken } from "@/lib/auth/tokens";
import type { Context } from "@/lib/context";

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  role: Role;
  token: string;
}

export async function createTestAccount(ctx: Context, role: Role, tag: string = role): Promise<TestAccount> {
  const email = `${tag}@test.example`;
  const password = `correct horse ${tag}`;
  const user = await createUser(ctx, { email, password, role, name: `Test ${tag}` });
  const { token } = await createToken(ctx, { userId: user.id, maxRole: role, name: `${tag} test token` });
  return { id: user.id, email, password, role, token };
}

/** A Request carrying `token` as its bearer credentials. */
export function bearerRequest(token: string, url: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return new Request(url, { ...init, headers });
}
