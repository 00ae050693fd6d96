"use client";

import { useState, type FormEvent } from "react";
import { ApiError, errorMessage, signIn } from "@/app/_lib/api";
import { loadPage } from "@/app/_lib/navigation";
import { Alert } from "./Alert";
import { Field, PRIMARY_BUTTON } from "./forms";

/** The clock time a Retry-After points at, e.g. "14:05". */
function retryClock(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function LoginForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<{ message: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError({ message: "Enter your email and password.", code: "missing" });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn({ email: email.trim(), password });
      // a full load, so the header (rendered by the layout) shows who signed in
      loadPage(next);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "error";
      let message = errorMessage(err, "Signing in failed.");
      if (err instanceof ApiError && err.status === 429 && err.retryAfter)
        message += ` (after ${retryClock(err.retryAfter)})`;
      setError({ message, code });
      setPassword("");
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4" data-testid="login-form">
      {error && (
        <div data-testid="login-error" data-code={error.code}>
          <Alert tone="error">{error.message}</Alert>
        </div>
      )}
      <Field
        label="Email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" disabled={busy} className={`${PRIMARY_BUTTON} w-full`}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
