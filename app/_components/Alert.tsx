import type { ReactNode } from "react";
import { ErrorIcon, WarningIcon } from "./icons";

interface AlertProps {
  tone: "error" | "warning";
  title?: string;
  children: ReactNode;
  action?: ReactNode;
  /** shows a Retry button (instead of `action`) that calls it */
  onRetry?: () => void;
  className?: string;
}

/** An inline message box. Errors are announced (role="alert"), warnings politely. */
export function Alert({ tone, title, children, action, onRetry, className = "" }: AlertProps) {
  const styles =
    tone === "error"
      ? "border-rose-500/30 bg-rose-500/10 text-rose-200"
      : "border-amber-500/30 bg-amber-500/10 text-amber-200";
  const Icon = tone === "error" ? ErrorIcon : WarningIcon;
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`flex gap-3 rounded-lg border px-4 py-3 text-sm ${styles} ${className}`}
    >
      <Icon className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 flex-1">
        {title && <p className="font-medium">{title}</p>}
        <div className="break-words opacity-90">{children}</div>
      </div>
      {onRetry ? (
        <button
          type="button"
          onClick={onRetry}
          className="inline-flex min-h-11 items-center text-sm font-medium underline underline-offset-2 sm:min-h-0"
        >
          Retry
        </button>
      ) : (
        action
      )}
    </div>
  );
}
