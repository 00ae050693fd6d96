import type { Metadata } from "next";
import { PageShell } from "../_components/PageShell";
import { ReviewQueue } from "../_components/ReviewQueue";

export const metadata: Metadata = { title: "Review" };

export default function ReviewPage() {
  return (
    <PageShell
      title="Review"
      permission="videos:annotate"
      path="/review"
      className="space-y-5"
      links={[
        { href: "/datasets", label: "Datasets" },
        { href: "/evaluation", label: "Evaluation" },
      ]}
      description={
        <>
          One item at a time: is the model&rsquo;s span right for the sentence? Accept it, fix its edges, or reject it.
          Press ? for the keys.
        </>
      }
    >
      <ReviewQueue />
    </PageShell>
  );
}
