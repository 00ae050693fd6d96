import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Guarded } from "../../_components/Guarded";
import { ModelVersionView } from "../../_components/ModelVersionView";

interface ModelVersionPageProps {
  params: Promise<{ version: string }>;
}

export async function generateMetadata({ params }: ModelVersionPageProps): Promise<Metadata> {
  const { version } = await params;
  return { title: `Model version ${version}` };
}

/** One model version: its training progress and loss curve, evaluation, data, and Activate / Cancel. */
export default async function ModelVersionPage({ params }: ModelVersionPageProps) {
  const { version } = await params;
  // versions are whole numbers from 1: anything else is no page
  if (!/^[1-9]\d{0,8}$/.test(version)) notFound();
  return (
    <Guarded permission="models:train" path={`/models/${version}`}>
      {/* keyed: another version starts fresh */}
      <ModelVersionView key={version} version={Number(version)} />
    </Guarded>
  );
}
