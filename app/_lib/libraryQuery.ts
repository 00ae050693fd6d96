/**
 * The library's view (sort, status filter, name filter, page) as it lives in the URL:
 * `/?sort=name&order=desc&status=failed&name=holiday&page=3`. Defaults are left out, so
 * the plain library is plain `/`. The name filter is `name`, not `q`: `q` is the moment
 * search of the header's box, which reads it on every page.
 */
import type { SortOrder, VideoSort, VideoStatus } from "./api";

export const LIBRARY_PAGE_SIZE = 48;

/** The library grid's columns (shared by the grid and its loading skeleton). */
export const LIBRARY_GRID = "grid grid-cols-1 gap-4 sm:grid-cols-2 md:grid-cols-3 xl:grid-cols-4";

export interface LibraryQuery {
  sort: VideoSort;
  order: SortOrder;
  status: VideoStatus | null;
  /** part of the title or file name ("" = every video) */
  name: string;
  /** 1-based */
  page: number;
}

export const SORTS: readonly { value: VideoSort; label: string }[] = [
  { value: "added", label: "Date added" },
  { value: "name", label: "Name" },
  { value: "duration", label: "Duration" },
];

export const STATUSES: readonly { value: VideoStatus; label: string }[] = [
  { value: "ready", label: "Ready" },
  { value: "processing", label: "Processing" },
  { value: "queued", label: "Queued" },
  { value: "failed", label: "Failed" },
];

/** The direction each sort starts in: newest first, A→Z, shortest first. */
export function defaultOrder(sort: VideoSort): SortOrder {
  return sort === "added" ? "desc" : "asc";
}

/** What each direction means for a sort, in words. */
export function orderLabel(sort: VideoSort, order: SortOrder): string {
  switch (sort) {
    case "added":
      return order === "desc" ? "Newest first" : "Oldest first";
    case "name":
      return order === "asc" ? "A to Z" : "Z to A";
    case "duration":
      return order === "asc" ? "Shortest first" : "Longest first";
  }
}

function isSort(v: string | null): v is VideoSort {
  return v === "added" || v === "name" || v === "duration";
}

function isStatus(v: string | null): v is VideoStatus {
  return v === "queued" || v === "processing" || v === "ready" || v === "failed";
}

/** Reads the view from a query string; anything unknown falls back to the default. */
export function parseLibraryQuery(params: URLSearchParams): LibraryQuery {
  const rawSort = params.get("sort");
  const sort: VideoSort = isSort(rawSort) ? rawSort : "added";
  const rawOrder = params.get("order");
  const order: SortOrder = rawOrder === "asc" || rawOrder === "desc" ? rawOrder : defaultOrder(sort);
  const rawStatus = params.get("status");
  const page = Number(params.get("page"));
  return {
    sort,
    order,
    status: isStatus(rawStatus) ? rawStatus : null,
    name: (params.get("name") ?? "").slice(0, 255),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query string for a view ("" for the default one), defaults left out. */
export function libraryQueryString(q: LibraryQuery): string {
  const p = new URLSearchParams();
  if (q.sort !== "added") p.set("sort", q.sort);
  if (q.order !== defaultOrder(q.sort)) p.set("order", q.order);
  if (q.status) p.set("status", q.status);
  if (q.name.trim()) p.set("name", q.name);
  if (q.page > 1) p.set("page", String(q.page));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** Whether the view narrows the library (so "nothing here" means "nothing matches"). */
export function isFiltered(q: LibraryQuery): boolean {
  return q.status !== null || q.name.trim() !== "";
}
