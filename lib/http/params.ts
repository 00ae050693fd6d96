import { notFound } from "../errors";
import { isUuid } from "./respond";

/** Route param `id` of /api/videos/[id]/…; a malformed id is simply not found. */
export async function videoIdParam(params: Promise<{ id: string }>): Promise<string> {
  const { id } = await params;
  if (!isUuid(id)) throw notFound(`No video with id ${id}.`);
  return id.toLowerCase();
}
