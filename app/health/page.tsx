import type { Metadata } from "next";
import { Guarded } from "../_components/Guarded";
import { HealthView } from "../_components/HealthView";

export const metadata: Metadata = { title: "Health" };

export default function HealthPage() {
  return (
    <Guarded permission="system:admin" path="/health">
      <div className="mx-auto max-w-3xl space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Health</h1>
          <p className="mt-1 text-sm text-zinc-400">
            Whether search, uploads and processing work, and what the server runs them with.
          </p>
        </div>
        <HealthView />
      </div>
    </Guarded>
  );
}
