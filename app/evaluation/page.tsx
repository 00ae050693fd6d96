import type { Metadata } from "next";
import Link from "next/link";
import { EvaluationView } from "../_components/EvaluationView";
import { Guarded } from "../_components/Guarded";

export const metadata: Metadata = { title: "Evaluation" };

export default function EvaluationPage() {
  return (
    <Guarded permission="videos:annotate" path="/evaluation">
      <div className="space-y-5">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Evaluation</h1>
            <p className="mt-1 max-w-2xl text-sm text-zinc-400">
              Each model version against what annotators decided: an accepted span counts as the ground truth equal to
              the prediction, a corrected span as the ground truth it is compared with; rejected items do not count. The
              numbers are those <code>npm run eval</code> prints.
            </p>
          </div>
          <Link href="/review" className="text-sm font-medium text-indigo-300 hover:text-indigo-200">
            Review
          </Link>
        </div>
        <EvaluationView />
      </div>
    </Guarded>
  );
}
