/** The HTTP side of accounts shared by the auth routes: answering with a session cookie. */
import type { User } from "@/db/repositories/users";
import { json } from "../http/respond";
import { toUserDto } from "./accounts";
import { isHttps } from "./guard";
import { sessionCookie } from "./sessions";

export function signedInResponse(
  request: Request,
  user: User,
  session: { secret: string; expiresAt: Date },
  status = 200,
): Response {
  return json({ user: toUserDto(user), expiresAt: session.expiresAt.toISOString() }, status, {
    "set-cookie": sessionCookie(session.secret, session.expiresAt, isHttps(request)),
  });
}
