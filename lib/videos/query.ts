/** GET /api/videos's query parameters, from the repository's own unions. */
import { z } from "zod";
import { SORT_ORDERS, VIDEO_SORTS, VIDEO_STATUSES } from "@/db/repositories/videos";
import { intIn, oneOf } from "../http/params";

export const VideoListQuery = z.object({
  limit: intIn(1, 1000, 100),
  offset: intIn(0, Number.MAX_SAFE_INTEGER, 0),
  status: oneOf(VIDEO_STATUSES).optional(),
  sort: oneOf(VIDEO_SORTS).default("added"),
  order: oneOf(SORT_ORDERS).optional(),
  /** part of the title or file name */
  q: z
    .string()
    .optional()
    .transform((v) => v?.trim().slice(0, 255) || undefined),
});
