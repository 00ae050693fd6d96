"use client";

import { useState } from "react";
import { errorMessage, signOut } from "@/app/_lib/api";
import { loadPage } from "@/app/_lib/navigation";

interface SignOutButtonProps {
  className?: string;
  /** role="menuitem" etc. when it sits in a menu */
  role?: string;
  testId?: string;
}

/**
 * Ends this browser's session on the server, then loads the sign-in page (a full load,
 * so the header and every cached page forget the user).
 */
export function SignOutButton({ className = "", role, testId = "sign-out" }: SignOutButtonProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      loadPage("/login");
    } catch (err) {
      setError(errorMessage(err, "Signing out failed."));
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        role={role}
        onClick={() => void leave()}
        disabled={busy}
        data-testid={testId}
        className={className}
      >
        {busy ? "Signing out…" : "Sign out"}
      </button>
      {error && (
        <p role="alert" className="px-3 py-1 text-xs text-rose-300">
          {error}
        </p>
      )}
    </>
  );
}
