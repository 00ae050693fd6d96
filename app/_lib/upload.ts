/**
 * One file, one XMLHttpRequest: fetch() cannot report upload progress, XHR can.
 * Resolves with what the server said (including 4xx answers); rejects only when the
 * request never completed (network failure or abort).
 */
import { isErrorBody, type ErrorBody, type UploadResponse } from "./api";

export interface UploadAnswer {
  status: number;
  body: UploadResponse | ErrorBody | null;
}

export class UploadAbortedError extends Error {
  constructor() {
    super("Upload cancelled");
    this.name = "UploadAbortedError";
  }
}

export function uploadFile(
  file: File,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/videos");
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    };
    xhr.onload = () => {
      let body: UploadResponse | ErrorBody | null = null;
      try {
        const parsed: unknown = JSON.parse(xhr.responseText);
        if (isErrorBody(parsed) || (typeof parsed === "object" && parsed !== null && "results" in parsed)) {
          body = parsed as UploadResponse | ErrorBody;
        }
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () =>
      reject(new Error("The upload failed: the server could not be reached or closed the connection."));
    xhr.onabort = () => reject(new UploadAbortedError());
    if (signal) {
      if (signal.aborted) {
        reject(new UploadAbortedError());
        return;
      }
      signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
