import type { Metadata } from "next";
import { Guarded } from "../_components/Guarded";
import { SearchLanding, SearchResults } from "../_components/SearchResults";
import { parseSearchQuery, searchHref } from "../_lib/moments";

interface SearchPageProps {
  searchParams: Promise<{ q?: string | string[]; video?: string | string[]; page?: string | string[] }>;
}

export async function generateMetadata({ searchParams }: SearchPageProps): Promise<Metadata> {
  const { q } = parseSearchQuery(await searchParams);
  return { title: q?.trim() ? `“${q.trim()}”` : "Search" };
}

/** /search?q=…[&video=<id>][&page=N]: the URL is the search, so results can be shared. */
export default async function SearchPage({ searchParams }: SearchPageProps) {
  const { q, video, page } = parseSearchQuery(await searchParams);
  const shown = q?.trim() ?? "";
  // signing in returns to this very search
  const path = q !== null ? searchHref({ q, video, page }) : video ? `/search?${new URLSearchParams({ video })}` : "/search";
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
          // keyed: a new search (or page) starts from its loading state
          <SearchResults key={`${q}\u0000${video ?? ""}\u0000${page}`} q={q} video={video} page={page} />
        )}
      </div>
    </Guarded>
  );
}
