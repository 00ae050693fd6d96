import type { Metadata } from "next";
import { DatasetsView } from "../_components/DatasetsView";
import { PageShell } from "../_components/PageShell";

export const metadata: Metadata = { title: "Datasets" };

export default function DatasetsPage() {
  return (
    <PageShell
      title="Datasets"
      permission="videos:annotate"
      path="/datasets"
      className="mx-auto max-w-4xl space-y-6"
      links={[
        { href: "/review", label: "Review" },
        { href: "/evaluation", label: "Evaluation" },
      ]}
      description="Import a moment dataset into the library and the review queue, follow its batch predictions, export what annotators decided, and see which sentences the models can learn from."
    >
      <DatasetsView />
    </PageShell>
  );
}
