import type { Metadata } from "next";
import Link from "next/link";
import { Guarded } from "../_components/Guarded";
import { ReviewQueue } from "../_components/ReviewQueue";

export const metadata: Metadata = { title: "Review" };

export default function ReviewPage() {
  return (
    <Guarded permission="videos:annotate" path="/review">
      <div className="space-y-5">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Review</h1>
            <p className="mt-1 text-sm text-zinc-400">
              One item at a time: is the model&rsquo;s span right for the sentence? Accept it, fix its edges, or reject
              it. Press ? for the keys.
            </p>
          </div>
          <div className="flex gap-4 text-sm font-medium">
            <Link href="/datasets" className="text-indigo-300 hover:text-indigo-200">
              Datasets
            </Link>
            <Link href="/evaluation" className="text-indigo-300 hover:text-indigo-200">
              Evaluation
            </Link>
          </div>
        </div>
        <ReviewQueue />
      </div>
    </Guarded>
  );
}
