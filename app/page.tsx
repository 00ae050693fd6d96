import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { CardSkeletons } from "./_components/CardSkeletons";
import { Guarded } from "./_components/Guarded";
import { LibraryGrid } from "./_components/LibraryGrid";
import { UploadIcon } from "./_components/icons";
import { Can } from "./_components/SessionProvider";
import { LIBRARY_GRID, libraryQueryString, parseLibraryQuery } from "./_lib/libraryQuery";

export const metadata: Metadata = { title: "Library" };

interface LibraryPageProps {
  /** the view: ?sort=&order=&status=&name=&page= (lib: app/_lib/libraryQuery.ts) */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function LibraryPage({ searchParams }: LibraryPageProps) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") params.set(k, v);
  // signing in returns to the same view
  const path = `/${libraryQueryString(parseLibraryQuery(params))}`;
  return (
    <Guarded permission="videos:read" path={path}>
      <div className="space-y-6">
        <div className="flex items-center justify-between gap-4">
          <h1 className="text-2xl font-semibold tracking-tight">Library</h1>
          <Can permission="videos:upload">
            <Link
              href="/upload"
              data-testid="library-upload"
              className="inline-flex min-h-11 items-center gap-2 rounded-lg bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-0"
            >
              <UploadIcon className="size-4" />
              Upload
            </Link>
          </Can>
        </div>
        {/* the view (sort, filters, page) is read from the URL on the client */}
        <Suspense fallback={<CardSkeletons grid={LIBRARY_GRID} count={8} label="Loading the library" />}>
          <LibraryGrid />
        </Suspense>
      </div>
    </Guarded>
  );
}
