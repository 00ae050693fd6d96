import { z } from "zod";
import { createUser, listUsers, nameSchema, roleSchema, toUserDto } from "@/lib/auth/accounts";
import { jsonBody } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const NewUser = z.object({
  email: z.string().max(254),
  password: z.string().max(1024),
  role: roleSchema,
  name: nameSchema.optional(),
});

export const GET = route("users:manage", async (_req, { ctx }) => json({ users: await listUsers(ctx) }));

export const POST = route("users:manage", async (request, { ctx }) => {
  const body = await jsonBody(request, NewUser);
  return json({ user: toUserDto(await createUser(ctx, body)) }, 201);
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
