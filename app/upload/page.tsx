import type { Metadata } from "next";
import { Guarded } from "../_components/Guarded";
import { UploadManager } from "../_components/UploadManager";

export const metadata: Metadata = { title: "Upload" };

export default function UploadPage() {
  return (
    <Guarded permission="videos:upload" path="/upload">
      <div className="mx-auto max-w-3xl space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Upload</h1>
          <p className="mt-1 text-sm text-zinc-400">
            Videos are indexed after upload; progress shows here and in the library. Uploading the same file twice keeps
            one copy.
          </p>
        </div>
        <UploadManager />
      </div>
    </Guarded>
  );
}
