/** GET /api/search's query parameters: `method` from ml's GroundMethod list (the old names vote/loss still work). */
import { z } from "zod";
import { GROUND_METHODS, LEGACY_GROUND_METHODS } from "@/ml";
import { intIn, oneOf } from "../http/params";

export const SearchQuery = z.object({
  limit: intIn(1, 50, 10),
  offset: intIn(0, 10_000, 0),
  method: z.preprocess((v) => (typeof v === "string" ? (LEGACY_GROUND_METHODS[v] ?? v) : v), oneOf(GROUND_METHODS).optional()),
  q: z.string().default(""),
  video: z.string().optional(),
});
