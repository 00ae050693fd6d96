import type { Metadata } from "next";
import { Guarded } from "../../../_components/Guarded";
import { ReviewItemView } from "../../../_components/ReviewItemView";

export const metadata: Metadata = { title: "Review item" };

interface ReviewItemPageProps {
  params: Promise<{ id: string }>;
}

/** One review item: its sentence, the model's span and every annotator's, the annotations and their agreement. */
export default async function ReviewItemPage({ params }: ReviewItemPageProps) {
  const { id } = await params;
  return (
    <Guarded permission="videos:annotate" path={`/review/items/${encodeURIComponent(id)}`}>
      {/* keyed: another item starts fresh */}
      <ReviewItemView key={id} id={id} />
    </Guarded>
  );
}
