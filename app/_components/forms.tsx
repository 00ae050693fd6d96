"use client";

import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import { PASSWORD_MAX, PASSWORD_MIN } from "@/lib/auth/policy";

export { PASSWORD_MIN };

export const INPUT =
  "h-9 w-full rounded-lg border border-zinc-700 bg-zinc-950 px-3 text-sm text-zinc-100 placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60 aria-[invalid=true]:border-rose-500/70";
export const PRIMARY_BUTTON =
  "inline-flex items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-60";
export const SECONDARY_BUTTON =
  "inline-flex items-center justify-center gap-1.5 rounded-lg px-3 py-1.5 text-sm font-medium text-zinc-200 ring-1 ring-zinc-700 hover:bg-zinc-800 disabled:cursor-not-allowed disabled:opacity-50";
export const DANGER_BUTTON =
  "inline-flex items-center justify-center gap-1.5 rounded-lg px-3 py-1.5 text-sm font-medium text-rose-300 ring-1 ring-rose-500/40 hover:bg-rose-500/10 disabled:cursor-not-allowed disabled:opacity-50";
export const CARD = "rounded-xl border border-zinc-800 bg-zinc-900/60 p-4 sm:p-6";

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  /** shown under the field, read with it */
  hint?: ReactNode;
  /** a problem with this field: marks it invalid and is announced with it */
  error?: string | null;
}

/** A labelled input with its hint and error wired up (aria-describedby, aria-invalid). */
export function Field({ label, hint, error, className = "", ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-300">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={INPUT}
        {...input}
      />
      {hint && (
        <p id={hintId} className="text-xs text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs text-rose-300">
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: string;
  hint?: ReactNode;
  children: ReactNode;
}

export function SelectField({ label, hint, className = "", children, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-300">
        {label}
      </label>
      <select id={id} aria-describedby={hint ? `${id}-hint` : undefined} className={INPUT} {...select}>
        {children}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-400">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A quiet success line, announced politely. */
export function Success({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p role="status" data-testid={testId} className="rounded-md bg-emerald-500/10 px-3 py-2 text-sm text-emerald-300">
      {children}
    </p>
  );
}

/** Client-side checks the server repeats (lib/auth/password.ts): said before the round trip. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return null;
}

/** Roughly what the server accepts (it has the last word): something@domain.tld. */
export function emailProblem(email: string): string | null {
  if (!email.trim()) return "Enter an email address.";
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return "Enter a valid email address.";
  return null;
}

export type AccountProblems = Partial<Record<"email" | "password" | "confirm", string>>;

/** What is wrong with a new account's email and password, and with the password typed again where the form asks. */
export function accountProblems(email: string, password: string, confirm?: string): AccountProblems {
  const found: AccountProblems = {};
  const emailIssue = emailProblem(email);
  if (emailIssue) found.email = emailIssue;
  const passwordIssue = passwordProblem(password);
  if (passwordIssue) found.password = passwordIssue;
  else if (confirm !== undefined && password !== confirm) found.confirm = "The passwords do not match.";
  return found;
}
