import type { Metadata } from "next";
import { EvaluationView } from "../_components/EvaluationView";
import { PageShell } from "../_components/PageShell";

export const metadata: Metadata = { title: "Evaluation" };

export default function EvaluationPage() {
  return (
    <PageShell
      title="Evaluation"
      permission="videos:annotate"
      path="/evaluation"
      className="space-y-5"
      links={[{ href: "/review", label: "Review" }]}
      description={
        <>
          Each model version against what annotators decided: an accepted span counts as the ground truth equal to the
          prediction, a corrected span as the ground truth it is compared with; rejected items do not count. The numbers
          are those <code>npm run eval</code> prints.
        </>
      }
    >
      <EvaluationView />
    </PageShell>
  );
}
