"use client";

import { useState, type FormEvent } from "react";
import { ApiError, changePassword, errorMessage } from "@/app/_lib/api";
import { Alert } from "./Alert";
import { CARD, Field, PASSWORD_MIN, passwordProblem, PRIMARY_BUTTON, Success } from "./forms";

type Problems = Partial<Record<"current" | "next" | "confirm", string>>;

/** Changing one's own password: this browser stays signed in, every other session ends. */
export function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found: Problems = {};
    if (!current) found.current = "Enter your current password.";
    const issue = passwordProblem(next);
    if (issue) found.next = issue;
    else if (next !== confirm) found.confirm = "The passwords do not match.";
    setProblems(found);
    setError(null);
    setDone(false);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await changePassword({ currentPassword: current, newPassword: next });
      setCurrent("");
      setNext("");
      setConfirm("");
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === "wrong_password") setProblems({ current: err.message });
      else setError(errorMessage(err, "The password could not be changed."));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="password-heading" className={CARD}>
      <h2 id="password-heading" className="text-lg font-semibold">
        Password
      </h2>
      <form onSubmit={(e) => void submit(e)} noValidate className="mt-4 max-w-sm space-y-4" data-testid="password-form">
        {error && <Alert tone="error">{error}</Alert>}
        {done && <Success testId="password-changed">Password changed. Your other browsers were signed out.</Success>}
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={problems.current}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters.`}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={problems.next}
        />
        <Field
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={problems.confirm}
        />
        <button type="submit" disabled={busy} className={PRIMARY_BUTTON}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </form>
    </section>
  );
}
