import type { Metadata } from "next";
import { PageShell } from "../_components/PageShell";
import { UploadManager } from "../_components/UploadManager";

export const metadata: Metadata = { title: "Upload" };

export default function UploadPage() {
  return (
    <PageShell
      title="Upload"
      permission="videos:upload"
      path="/upload"
      className="mx-auto max-w-3xl space-y-6"
      description="Videos are indexed after upload; progress shows here and in the library. Uploading the same file twice keeps one copy."
    >
      <UploadManager />
    </PageShell>
  );
}
