import type { Metadata } from "next";
import { HealthView } from "../_components/HealthView";
import { PageShell } from "../_components/PageShell";

export const metadata: Metadata = { title: "Health" };

export default function HealthPage() {
  return (
    <PageShell
      title="Health"
      permission="system:admin"
      path="/health"
      className="mx-auto max-w-3xl space-y-6"
      description="Whether search, uploads and processing work, and what the server runs them with."
    >
      <HealthView />
    </PageShell>
  );
}
