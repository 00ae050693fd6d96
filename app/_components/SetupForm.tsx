"use client";

import { useState, type FormEvent } from "react";
import { ApiError, errorMessage, setupAdmin } from "@/app/_lib/api";
import { loadPage } from "@/app/_lib/navigation";
import { Alert } from "./Alert";
import { accountProblems, Field, PASSWORD_MIN, PRIMARY_BUTTON, type AccountProblems } from "./forms";

export function SetupForm() {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [problems, setProblems] = useState<AccountProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found = accountProblems(email, password, confirm);
    setProblems(found);
    setError(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await setupAdmin({ email: email.trim(), password, name: name.trim() || undefined });
      // a full load: the layout reads the new session cookie and shows the signed-in header
      loadPage("/");
    } catch (err) {
      // someone else finished the first run meanwhile: sign in instead
      if (err instanceof ApiError && err.code === "already_set_up") {
        loadPage("/login");
        return;
      }
      setError(errorMessage(err, "The account could not be created."));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4" data-testid="setup-form">
      {error && (
        <Alert tone="error" title="The account could not be created">
          {error}
        </Alert>
      )}
      <Field
        label="Name"
        hint="Optional: shown instead of the email."
        autoComplete="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Field
        label="Email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={problems.email}
      />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN} characters.`}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={problems.password}
      />
      <Field
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={problems.confirm}
      />
      <button type="submit" disabled={busy} className={`${PRIMARY_BUTTON} w-full`}>
        {busy ? "Creating…" : "Create the admin account"}
      </button>
    </form>
  );
}
