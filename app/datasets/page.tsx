import type { Metadata } from "next";
import Link from "next/link";
import { DatasetsView } from "../_components/DatasetsView";
import { Guarded } from "../_components/Guarded";

export const metadata: Metadata = { title: "Datasets" };

export default function DatasetsPage() {
  return (
    <Guarded permission="videos:annotate" path="/datasets">
      <div className="mx-auto max-w-4xl space-y-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Datasets</h1>
            <p className="mt-1 max-w-2xl text-sm text-zinc-400">
              Import a moment dataset into the library and the review queue, follow its batch predictions, export what
              annotators decided, and see which sentences the models can learn from.
            </p>
          </div>
          <div className="flex gap-4 text-sm font-medium">
            <Link href="/review" className="text-indigo-300 hover:text-indigo-200">
              Review
            </Link>
            <Link href="/evaluation" className="text-indigo-300 hover:text-indigo-200">
              Evaluation
            </Link>
          </div>
        </div>
        <DatasetsView />
      </div>
    </Guarded>
  );
}
