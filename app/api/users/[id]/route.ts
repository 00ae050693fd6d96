import { z } from "zod";
import { nameSchema, roleSchema, toUserDto, updateUser } from "@/lib/auth/accounts";
import { jsonBody } from "@/lib/http/body";
import { uuidParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const UserChanges = z
  .object({ name: nameSchema, role: roleSchema, disabled: z.boolean(), password: z.string().max(1024) })
  .partial()
  .strict();

/** `{ name?, role?, disabled?, password? }`; disabling or a new password signs the user out everywhere. */
export const PATCH = route<{ id: string }>("users:manage", async (request, { ctx, principal, params }) => {
  const id = await uuidParam(params, "user");
  const body = await jsonBody(request, UserChanges);
  return json({ user: toUserDto(await updateUser(ctx, principal.user.id, id, body)) });
});

export const { GET, HEAD, OPTIONS, POST, PUT, DELETE } = onlyMethods("PATCH");
