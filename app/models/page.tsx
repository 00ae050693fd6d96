import type { Metadata } from "next";
import { ModelsView } from "../_components/ModelsView";
import { PageShell } from "../_components/PageShell";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <PageShell
      title="Models"
      permission="models:train"
      path="/models"
      className="space-y-6"
      links={[
        { href: "/datasets", label: "Training data" },
        { href: "/evaluation", label: "Evaluation" },
      ]}
      description={
        <>
          Teach the search models with the library&rsquo;s own sentences, compare each version with the one in use, and
          choose which one answers searches. Switching re-embeds the library in the background; search keeps answering
          with the active version until it is done.
        </>
      }
    >
      <ModelsView />
    </PageShell>
  );
}
