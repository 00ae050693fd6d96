"use client";

import Link from "next/link";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import {
  createUser,
  errorMessage,
  listUsers,
  revokeUserSessions,
  updateUser,
  type ManagedUser,
  type Role,
  type UserChanges,
} from "@/app/_lib/api";
import { formatDate } from "@/app/_lib/format";
import { loadPage } from "@/app/_lib/navigation";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from "@/lib/auth/roles";
import { Alert } from "./Alert";
import { ConfirmDialog } from "./ConfirmDialog";
import {
  accountProblems,
  CARD,
  DANGER_BUTTON,
  Field,
  INPUT,
  PASSWORD_MIN,
  passwordProblem,
  PRIMARY_BUTTON,
  SECONDARY_BUTTON,
  SelectField,
  Success,
  type AccountProblems,
} from "./forms";
import { useSession } from "./SessionProvider";

function NewUserForm({ onCreated }: { onCreated: (email: string) => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [problems, setProblems] = useState<AccountProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found = accountProblems(email, password);
    setProblems(found);
    setError(null);
    setAdded(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const user = await createUser({ email: email.trim(), name: name.trim() || undefined, password, role });
      setEmail("");
      setName("");
      setPassword("");
      setRole("viewer");
      setAdded(user.email);
      onCreated(user.email);
    } catch (err) {
      setError(errorMessage(err, "The user could not be added."));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-user-heading" className={CARD}>
      <h2 id="new-user-heading" className="text-lg font-semibold">
        Add a user
      </h2>
      <form onSubmit={(e) => void submit(e)} noValidate className="mt-4 space-y-4" data-testid="new-user-form">
        {error && <Alert tone="error">{error}</Alert>}
        {added && (
          <Success testId="user-added">
            Added {added}. Tell them their password; they can change it in Settings.
          </Success>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={problems.email}
          />
          <Field
            label="Name"
            hint="Optional."
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Field
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN} characters.`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={problems.password}
          />
          <SelectField
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            hint={ROLE_DESCRIPTIONS[role]}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </SelectField>
        </div>
        <button type="submit" disabled={busy} className={PRIMARY_BUTTON}>
          {busy ? "Adding…" : "Add user"}
        </button>
      </form>
    </section>
  );
}

interface RowMessage {
  tone: "error" | "success";
  text: string;
}

interface UserRowProps {
  user: ManagedUser;
  self: boolean;
  onChanged: () => Promise<void>;
  onConfirm: (c: Confirmation) => void;
  message: RowMessage | null;
  setMessage: (m: RowMessage | null) => void;
}

function UserRow({ user, self, onChanged, onConfirm, message, setMessage }: UserRowProps) {
  const [busy, setBusy] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState("");
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const label = user.name ? `${user.name} (${user.email})` : user.email;

  /** Saves `changes`; true when the server took them. */
  const change = async (changes: UserChanges, done: string): Promise<boolean> => {
    setBusy(true);
    setMessage(null);
    try {
      await updateUser(user.id, changes);
      // demoting oneself: the page may no longer be one's to see
      if (self && changes.role) {
        loadPage("/admin/users");
        return true;
      }
      setMessage({ tone: "success", text: done });
      await onChanged();
      return true;
    } catch (err) {
      setMessage({ tone: "error", text: errorMessage(err, "The change was not saved.") });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const resetPassword = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const issue = passwordProblem(password);
    setPasswordError(issue);
    if (issue) return;
    if (!(await change({ password }, `New password set for ${user.email}; their browsers were signed out.`))) return;
    setPassword("");
    setResetting(false);
  };

  return (
    <>
      <tr
        data-testid="user-row"
        data-email={user.email}
        data-role={user.role}
        data-disabled={user.disabled ? "true" : "false"}
        className={user.disabled ? "text-zinc-400" : ""}
      >
        <th scope="row" className="px-3 py-2.5 text-left font-normal">
          <div className="max-w-[16rem] truncate font-medium text-zinc-100" title={user.email}>
            {user.name || user.email}
            {self && <span className="ml-1.5 text-xs font-normal text-zinc-400">(you)</span>}
          </div>
          {user.name && <div className="max-w-[16rem] truncate text-xs text-zinc-400">{user.email}</div>}
          <div className="text-xs text-zinc-400">Added {formatDate(user.createdAt)}</div>
        </th>
        <td className="px-3 py-2.5">
          <label className="sr-only" htmlFor={`role-${user.id}`}>
            Role of {label}
          </label>
          <select
            id={`role-${user.id}`}
            value={user.role}
            disabled={busy}
            data-testid="user-role"
            onChange={(e) => {
              const role = e.target.value as Role;
              void change({ role }, `${user.email} is now ${ROLE_LABELS[role]}.`);
            }}
            className={`${INPUT} w-32 min-w-[8rem]`}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </td>
        <td className="px-3 py-2.5" data-testid="user-status">
          {user.disabled ? (
            <span className="inline-flex rounded-full bg-rose-500/15 px-2 py-0.5 text-xs font-medium text-rose-300 ring-1 ring-rose-400/30 ring-inset">
              Disabled
            </span>
          ) : (
            <span className="inline-flex rounded-full bg-emerald-500/15 px-2 py-0.5 text-xs font-medium text-emerald-300 ring-1 ring-emerald-400/30 ring-inset">
              Enabled
            </span>
          )}
        </td>
        <td className="px-3 py-2.5 tabular-nums" data-testid="user-sessions">
          {user.sessions}
        </td>
        <td className="px-3 py-2.5 tabular-nums" data-testid="user-tokens">
          {user.tokens}
        </td>
        <td className="px-3 py-2.5">
          <div className="flex flex-wrap justify-end gap-2">
            {!self &&
              (user.disabled ? (
                <button
                  type="button"
                  className={SECONDARY_BUTTON}
                  disabled={busy}
                  onClick={() => void change({ disabled: false }, `${user.email} can sign in again.`)}
                >
                  Enable
                </button>
              ) : (
                <button
                  type="button"
                  className={DANGER_BUTTON}
                  disabled={busy}
                  onClick={() =>
                    onConfirm({
                      title: `Disable ${user.email}?`,
                      body: "They are signed out at once, cannot sign in, and their API tokens stop working. You can enable the account again later.",
                      confirmLabel: "Disable",
                      run: () => updateUser(user.id, { disabled: true }).then(() => `${user.email} is disabled.`),
                      userId: user.id,
                    })
                  }
                >
                  Disable
                </button>
              ))}
            {self ? (
              // an admin's own reset would sign this browser out too: Settings keeps it signed in
              <Link href="/settings" className={SECONDARY_BUTTON}>
                Change password
              </Link>
            ) : (
              <button
                type="button"
                className={SECONDARY_BUTTON}
                disabled={busy}
                aria-expanded={resetting}
                aria-controls={resetting ? `reset-${user.id}` : undefined}
                onClick={() => {
                  setResetting((r) => !r);
                  setPasswordError(null);
                }}
              >
                Reset password
              </button>
            )}
            <button
              type="button"
              className={SECONDARY_BUTTON}
              disabled={busy || user.sessions === 0}
              onClick={() =>
                onConfirm({
                  title: `Sign ${user.email} out everywhere?`,
                  body: self
                    ? "Every browser signed in to your account is signed out, this one included. API tokens keep working."
                    : "Every browser signed in to this account is signed out. Their API tokens keep working; they can sign in again.",
                  confirmLabel: "Sign out everywhere",
                  run: async () => {
                    const n = await revokeUserSessions(user.id);
                    if (self) loadPage("/login");
                    return `Ended ${n} session${n === 1 ? "" : "s"} of ${user.email}.`;
                  },
                  userId: user.id,
                })
              }
            >
              Sign out everywhere
            </button>
          </div>
        </td>
      </tr>
      {(resetting || message) && (
        <tr className="bg-zinc-900/40">
          <td colSpan={6} className="px-3 pb-3">
            {message && (
              <div className="pt-1" data-testid="user-row-message">
                {message.tone === "error" ? (
                  <Alert tone="error">{message.text}</Alert>
                ) : (
                  <Success>{message.text}</Success>
                )}
              </div>
            )}
            {resetting && (
              <form
                id={`reset-${user.id}`}
                aria-label={`Reset the password of ${user.email}`}
                onSubmit={(e) => void resetPassword(e)}
                noValidate
                className="flex flex-wrap items-start gap-3 pt-2"
              >
                <Field
                  label="New password"
                  type="password"
                  autoComplete="new-password"
                  className="w-72"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  error={passwordError}
                  hint="Their browsers are signed out; tell them the new password."
                />
                <div className="flex gap-2 pt-[1.625rem]">
                  <button type="submit" disabled={busy} className={PRIMARY_BUTTON}>
                    Set password
                  </button>
                  <button type="button" className={SECONDARY_BUTTON} onClick={() => setResetting(false)}>
                    Cancel
                  </button>
                </div>
              </form>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

interface Confirmation {
  title: string;
  body: string;
  confirmLabel: string;
  /** does the thing; resolves to the success message */
  run: () => Promise<string>;
  userId: string;
}

export function UsersAdmin() {
  const { user: me } = useSession();
  const [users, setUsers] = useState<ManagedUser[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [messages, setMessages] = useState<Record<string, RowMessage | null>>({});
  const [confirming, setConfirming] = useState<Confirmation | null>(null);
  const [confirmBusy, setConfirmBusy] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);

  const load = useCallback(
    () =>
      listUsers().then(
        (list) => {
          setUsers(list);
          setLoadError(null);
        },
        (err: unknown) => setLoadError(errorMessage(err, "The users could not be loaded.")),
      ),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const setMessage = (id: string) => (m: RowMessage | null) => setMessages((all) => ({ ...all, [id]: m }));

  const confirm = async () => {
    if (!confirming) return;
    setConfirmBusy(true);
    setConfirmError(null);
    try {
      const text = await confirming.run();
      setMessage(confirming.userId)({ tone: "success", text });
      setConfirming(null);
      await load();
    } catch (err) {
      setConfirmError(errorMessage(err, "The change was not saved."));
    } finally {
      setConfirmBusy(false);
    }
  };

  return (
    <div className="space-y-8">
      <NewUserForm onCreated={() => void load()} />

      <section aria-labelledby="accounts-heading" className="space-y-3">
        <h2 id="accounts-heading" className="text-lg font-semibold">
          Accounts
        </h2>
        {loadError && (
          <Alert tone="error" onRetry={() => void load()}>
            {loadError}
          </Alert>
        )}
        {users === null && !loadError && <p className="text-sm text-zinc-400">Loading…</p>}
        {users && (
          <div className="relative overflow-x-auto rounded-xl border border-zinc-800">
            <table className="w-full text-sm" data-testid="users-table">
              <caption className="sr-only">
                {users.length} account{users.length === 1 ? "" : "s"}
              </caption>
              <thead className="bg-zinc-900 text-left text-xs text-zinc-400">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    User
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Sessions
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Tokens
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Actions
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-800">
                {users.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    self={u.id === me?.id}
                    onChanged={load}
                    onConfirm={(c) => {
                      setConfirmError(null);
                      setConfirming(c);
                    }}
                    message={messages[u.id] ?? null}
                    setMessage={setMessage(u.id)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={confirming !== null}
        title={confirming?.title ?? ""}
        confirmLabel={confirming?.confirmLabel ?? "Confirm"}
        busy={confirmBusy}
        error={confirmError}
        confirmTestId="confirm-user-action"
        onConfirm={() => void confirm()}
        onClose={() => setConfirming(null)}
      >
        <p>{confirming?.body}</p>
      </ConfirmDialog>
    </div>
  );
}
