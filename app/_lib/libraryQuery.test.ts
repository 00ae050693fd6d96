import { describe, expect, it } from "vitest";
import { formatEta } from "@/app/_lib/format";
import { isFiltered, libraryQueryString, parseLibraryQuery, type LibraryQuery } from "@/app/_lib/libraryQuery";

const parse = (s: string) => parseLibraryQuery(new URLSearchParams(s));

describe("the library's view in the URL", () => {
  it("is plain / for the default view: newest first, every status, page 1", () => {
    const q = parse("");
    expect(q).toEqual({ sort: "added", order: "desc", status: null, name: "", page: 1 });
    expect(libraryQueryString(q)).toBe("");
    expect(isFiltered(q)).toBe(false);
  });

  it("reads and writes each part, leaving defaults out", () => {
    const q = parse("sort=name&order=desc&status=failed&name=holi%20day&page=3");
    expect(q).toEqual({ sort: "name", order: "desc", status: "failed", name: "holi day", page: 3 });
    expect(parse(libraryQueryString(q).slice(1))).toEqual(q);
    // each sort has its own natural direction: A→Z, shortest first
    expect(libraryQueryString({ ...q, order: "asc", status: null, name: "", page: 1 })).toBe("?sort=name");
    expect(libraryQueryString({ sort: "duration", order: "asc", status: null, name: "", page: 1 })).toBe(
      "?sort=duration",
    );
    expect(isFiltered(q)).toBe(true);
  });

  it("falls back to the default for anything unknown", () => {
    expect(parse("sort=size&order=up&status=gone&page=-2")).toEqual({
      sort: "added",
      order: "desc",
      status: null,
      name: "",
      page: 1,
    });
    expect(parse("page=1.5").page).toBe(1);
  });

  it("never uses q, the header's moment search", () => {
    const q: LibraryQuery = { sort: "added", order: "desc", status: null, name: "cat", page: 1 };
    expect(libraryQueryString(q)).toBe("?name=cat");
    expect(parse("q=cat").name).toBe("");
  });
});

describe("the processing estimate in words", () => {
  it("is coarse: seconds to the nearest 5, then minutes, then hours", () => {
    expect(formatEta(null)).toBeNull();
    expect(formatEta(undefined)).toBeNull();
    expect(formatEta(3)).toBe("about 3 s left");
    expect(formatEta(0.2)).toBe("about 1 s left");
    expect(formatEta(41)).toBe("about 40 s left");
    expect(formatEta(58)).toBe("about 55 s left");
    expect(formatEta(61)).toBe("about 1 min left");
    expect(formatEta(150)).toBe("about 3 min left");
    expect(formatEta(3600)).toBe("about 1 h left");
    expect(formatEta(4800)).toBe("about 1 h 20 min left");
    expect(formatEta(7170)).toBe("about 2 h left");
  });
});
