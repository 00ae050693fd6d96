import type { Metadata } from "next";
import Link from "next/link";
import { Guarded } from "../_components/Guarded";
import { ModelsView } from "../_components/ModelsView";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <Guarded permission="models:train" path="/models">
      <div className="space-y-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Models</h1>
            <p className="mt-1 max-w-2xl text-sm text-zinc-400">
              Teach the search models with the library&rsquo;s own sentences, compare each version with the one in use,
              and choose which one answers searches. Switching re-embeds the library in the background; search keeps
              answering with the active version until it is done.
            </p>
          </div>
          <div className="flex gap-4 text-sm font-medium">
            <Link href="/datasets" className="text-indigo-300 hover:text-indigo-200">
              Training data
            </Link>
            <Link href="/evaluation" className="text-indigo-300 hover:text-indigo-200">
              Evaluation
            </Link>
          </div>
        </div>
        <ModelsView />
      </div>
    </Guarded>
  );
}
