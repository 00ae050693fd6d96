import type { Metadata } from "next";
import { Guarded } from "../_components/Guarded";
import { SearchLanding, SearchResults } from "../_components/SearchResults";
import { parseSearchQuery, searchHref, type SearchParamsRecord } from "../_lib/moments";

interface SearchPageProps {
  searchParams: Promise<SearchParamsRecord>;
}

export async function generateMetadata({ searchParams }: SearchPageProps): Promise<Metadata> {
  const { q } = parseSearchQuery(await searchParams);
  return { title: q?.trim() ? `“${q.trim()}”` : "Search" };
}

/**
 * /search?q=…[&video=<id>][&source=visual|text][&duration=short|medium|long][&sort=time][&weak=1][&page=N]:
 * the URL is the search, so results can be shared.
 */
export default async function SearchPage({ searchParams }: SearchPageProps) {
  const query = parseSearchQuery(await searchParams);
  const { q, video } = query;
  const shown = q?.trim() ?? "";
  // signing in returns to this very search
  const path =
    q !== null ? searchHref({ ...query, q }) : video ? `/search?${new URLSearchParams({ video })}` : "/search";
  return (
    <Guarded permission="search" path={path}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold tracking-tight break-words">
          {shown ? (
            <>
              Results for <span className="text-indigo-300">“{shown}”</span>
            </>
          ) : (
            "Search"
          )}
        </h1>
        {q === null ? (
          <SearchLanding video={video} />
        ) : (
          // keyed by the query: a new search starts fresh; its filters, sort and page change in place
          <SearchResults key={q} q={q} />
        )}
      </div>
    </Guarded>
  );
}
