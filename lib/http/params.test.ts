import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { SearchQuery } from "../search/query";
import { VideoListQuery } from "../videos/query";
import { intIn, oneOf, queryParams } from "./params";

const parse = <S extends z.ZodType>(query: string, schema: S) => queryParams(new URL(`http://x/?${query}`), schema);
const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(400);
    return (e as AppError).message;
  }
  throw new Error("no error");
};

describe("query parameters through zod", () => {
  it("integers within bounds, with a default; one of a union's values", () => {
    const S = z.object({ n: intIn(1, 5, 3), kind: oneOf(["a", "b"] as const).optional() });
    expect(parse("", S)).toEqual({ n: 3 });
    expect(parse("n=5&kind=b&kind=a", S)).toEqual({ n: 5, kind: "b" });
    expect(message(() => parse("n=6", S))).toBe("n must be an integer between 1 and 5.");
    expect(message(() => parse("kind=c", S))).toBe("kind must be a or b.");
  });
  it("GET /api/videos: the repository's statuses, sorts and orders", () => {
    expect(parse("status=ready&sort=name&order=desc&q=%20cats%20", VideoListQuery)).toEqual({
      limit: 100,
      offset: 0,
      status: "ready",
      sort: "name",
      order: "desc",
      q: "cats",
    });
    expect(message(() => parse("status=done", VideoListQuery))).toBe(
      "status must be one of queued, processing, ready, failed.",
    );
    expect(message(() => parse("order=up", VideoListQuery))).toBe("order must be asc or desc.");
    expect(message(() => parse("limit=0", VideoListQuery))).toBe("limit must be an integer between 1 and 1000.");
  });
  it("GET /api/search: grounding methods by name, the old vote/loss mapped to what they are", () => {
    expect(parse("q=a&method=vote", SearchQuery).method).toBe("cpl-vote");
    expect(parse("q=a&method=loss", SearchQuery).method).toBe("cpl-loss");
    expect(parse("q=a&method=relevance", SearchQuery).method).toBe("relevance");
    expect(parse("q=a&method=boundary-rerank", SearchQuery).method).toBe("boundary-rerank");
    expect(parse("q=a", SearchQuery)).toEqual({ limit: 10, offset: 0, q: "a" });
    expect(message(() => parse("q=a&method=best", SearchQuery))).toMatch(
      /^method must be one of relevance, boundary-rerank, cpl-vote, cpl-loss/,
    );
  });
});
