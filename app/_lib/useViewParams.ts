"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * The address's query for views kept in the URL with the History API (library, results):
 * Next.js's useSearchParams follows pushState/replaceState, but on Back to an entry it did
 * not create it can miss the popstate under load and leave the page on the previous view
 * (seen in e2e with the machine busy). This follows both: the router's params and the
 * browser's own popstate.
 */
export function useViewParams(): URLSearchParams {
  const routerSearch = useSearchParams().toString();
  const [search, setSearch] = useState(routerSearch);
  // the router moved: follow it (state adjusted while rendering, not in an effect)
  const [seen, setSeen] = useState(routerSearch);
  if (seen !== routerSearch) {
    setSeen(routerSearch);
    setSearch(routerSearch);
  }
  useEffect(() => {
    const onPop = () => setSearch(window.location.search.replace(/^\?/, ""));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return new URLSearchParams(search);
}
