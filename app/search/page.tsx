import type { Metadata } from "next";
import Link from "next/link";
import { SearchIcon } from "../_components/icons";

export const metadata: Metadata = { title: "Search" };

interface SearchPageProps {
  searchParams: Promise<{ q?: string | string[] }>;
}

/** Placeholder until moment search lands: shows the query and says so plainly. */
export default async function SearchPage({ searchParams }: SearchPageProps) {
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">
        {q ? (
          <>
            Results for <span className="text-indigo-300">“{q}”</span>
          </>
        ) : (
          "Search"
        )}
      </h1>
      <div
        className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-16 text-center"
        data-testid="search-unavailable"
      >
        <SearchIcon className="size-10 text-zinc-600" />
        <h2 className="mt-4 text-lg font-semibold">Search is not available yet</h2>
        <p className="mt-1 max-w-md text-sm text-zinc-400">
          Moment search is coming soon. Meanwhile your videos are being indexed, so they will be searchable as soon as it
          arrives.
        </p>
        <Link href="/" className="mt-6 text-sm font-medium text-indigo-300 hover:text-indigo-200">
          Back to the library
        </Link>
      </div>
    </div>
  );
}
