/**
 * GET /api/search's query parameters: `method` from ml's GroundMethod list (the old names
 * vote/loss still work), `source` and `sort` from the search request's own unions.
 */
import { z } from "zod";
import { GROUND_METHODS, LEGACY_GROUND_METHODS } from "@/ml";
import { intIn, numberIn, oneOf } from "../http/params";
import { SEARCH_SORTS, SEARCH_SOURCES } from "./service";

export const SearchQuery = z.object({
  limit: intIn(1, 50, 10),
  offset: intIn(0, 10_000, 0),
  method: z.preprocess(
    (v) => (typeof v === "string" ? (LEGACY_GROUND_METHODS[v] ?? v) : v),
    oneOf(GROUND_METHODS).optional(),
  ),
  q: z.string().default(""),
  video: z.string().optional(),
  minConfidence: numberIn(0, 1).optional(),
  minDuration: numberIn(0, 1e7).optional(),
  maxDuration: numberIn(0, 1e7).optional(),
  source: oneOf(SEARCH_SOURCES).optional(),
  sort: oneOf(SEARCH_SORTS).optional(),
});
