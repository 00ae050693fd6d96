/** Errors that know their HTTP status and a stable machine-readable code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = "bad_request") => new AppError(400, code, message);
export const notFound = (message: string) => new AppError(404, "not_found", message);
export const payloadTooLarge = (message: string) => new AppError(413, "payload_too_large", message);
export const unsupportedMedia = (message: string) => new AppError(415, "unsupported_media_type", message);

/** Every error response's JSON body, on the server and in the browser (app/_lib/api.ts). */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(err: AppError): ErrorBody {
  return { error: { code: err.code, message: err.message } };
}

export const insufficientStorage = (message: string) => new AppError(507, "insufficient_storage", message);

/** ENOSPC / EDQUOT: the disk (or the user's quota) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}

export const unauthorized = (message: string, code = "unauthenticated") => new AppError(401, code, message);
export const forbidden = (message: string) => new AppError(403, "forbidden", message);
export const conflict = (message: string, code = "conflict") => new AppError(409, code, message);
