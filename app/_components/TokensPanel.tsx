"use client";

import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import {
  createToken,
  errorMessage,
  listTokens,
  revokeToken,
  type CreatedToken,
  type Role,
  type TokenDto,
} from "@/app/_lib/api";
import { formatDate, formatRelative } from "@/app/_lib/format";
import { ROLE_LABELS, ROLES, roleRank } from "@/lib/auth/roles";
import { Alert } from "./Alert";
import { ConfirmDialog } from "./ConfirmDialog";
import { CARD, DANGER_BUTTON, Field, PRIMARY_BUTTON, SECONDARY_BUTTON, SelectField } from "./forms";
import { CheckIcon, CopyIcon, KeyIcon } from "./icons";
import { RoleBadge } from "./RoleBadge";
import { useSession } from "./SessionProvider";

/** Copies text; falls back to selecting an input and execCommand where the Clipboard API is missing (plain http). */
async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

function When({ iso, empty }: { iso: string | null; empty: string }) {
  if (!iso) return <span className="text-zinc-400">{empty}</span>;
  return (
    <time dateTime={iso} title={formatDate(iso) ?? undefined}>
      {formatRelative(iso)}
    </time>
  );
}

/** The token just created, shown this once with a copy button. */
function NewToken({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const labelId = useId();

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  return (
    <div
      className="space-y-3 rounded-lg border border-emerald-500/30 bg-emerald-500/5 p-4"
      data-testid="new-token-panel"
      role="region"
      aria-labelledby={labelId}
    >
      <p id={labelId} className="text-sm font-medium text-emerald-200">
        Token “{token.name}” created ({ROLE_LABELS[token.role]})
      </p>
      <p className="text-sm text-zinc-300">
        Copy it now: <strong className="font-medium text-zinc-100">it will not be shown again.</strong> Scripts send it
        as <code className="rounded bg-zinc-800 px-1 py-0.5 text-xs">Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="flex gap-2">
        <label className="sr-only" htmlFor={`${labelId}-value`}>
          The new API token
        </label>
        <input
          ref={inputRef}
          id={`${labelId}-value`}
          readOnly
          value={token.token}
          data-testid="new-token"
          onFocus={(e) => e.currentTarget.select()}
          className="h-9 min-w-0 flex-1 rounded-lg border border-zinc-700 bg-zinc-950 px-3 font-mono text-xs text-zinc-100 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none"
        />
        <button
          type="button"
          className={SECONDARY_BUTTON}
          data-testid="copy-token"
          onClick={() => void copyText(token.token, inputRef.current).then(setCopied)}
        >
          {copied ? <CheckIcon className="size-4 text-emerald-300" /> : <CopyIcon className="size-4" />}
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p aria-live="polite" className="text-xs text-zinc-400">
        {copied === false && "Copying is not available here; select the token and copy it yourself."}
      </p>
      <button type="button" className={SECONDARY_BUTTON} onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

export function TokensPanel() {
  const { role } = useSession();
  const [tokens, setTokens] = useState<TokenDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [tokenRole, setTokenRole] = useState<Role | "">("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [createError, setCreateError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<TokenDto | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const allowedRoles = role ? ROLES.filter((r) => roleRank(r) <= roleRank(role)) : [];
  const chosenRole: Role | undefined = tokenRole || role || undefined;

  const load = useCallback(
    () =>
      listTokens().then(
        (list) => {
          setTokens(list);
          setLoadError(null);
        },
        (err: unknown) => setLoadError(errorMessage(err, "The tokens could not be loaded.")),
      ),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setCreateError(null);
    if (!name.trim()) {
      setNameError("Give the token a name, e.g. the script that uses it.");
      return;
    }
    setNameError(null);
    setCreating(true);
    try {
      const t = await createToken({ name: name.trim(), role: chosenRole });
      setCreated(t);
      setName("");
      setTokenRole("");
      await load();
    } catch (err) {
      setCreateError(errorMessage(err, "The token could not be created."));
    } finally {
      setCreating(false);
    }
  };

  const confirmRevoke = async () => {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      await revokeToken(revoking.id);
      setRevoking(null);
      await load();
    } catch (err) {
      setRevokeError(errorMessage(err, "The token could not be revoked."));
    } finally {
      setRevokeBusy(false);
    }
  };

  return (
    <section aria-labelledby="tokens-heading" className={`${CARD} space-y-5`}>
      <div>
        <h2 id="tokens-heading" className="flex items-center gap-2 text-lg font-semibold">
          <KeyIcon className="size-5 text-zinc-500" />
          API tokens
        </h2>
        <p className="mt-1 text-sm text-zinc-400">
          For scripts and the API: a token acts as you, with at most your role. Revoke one the moment it is no longer
          needed.
        </p>
      </div>

      {created ? (
        <NewToken token={created} onDone={() => setCreated(null)} />
      ) : (
        <form onSubmit={(e) => void create(e)} noValidate className="space-y-3" data-testid="token-form">
          <h3 className="text-sm font-semibold text-zinc-300">New token</h3>
          {createError && <Alert tone="error">{createError}</Alert>}
          <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_10rem_auto] sm:items-start">
            <Field
              label="Name"
              placeholder="e.g. nightly import"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={nameError}
            />
            <SelectField label="Role" value={chosenRole ?? ""} onChange={(e) => setTokenRole(e.target.value as Role)}>
              {allowedRoles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </SelectField>
            <button type="submit" disabled={creating || !role} className={`${PRIMARY_BUTTON} sm:mt-[1.625rem]`}>
              {creating ? "Creating…" : "Create token"}
            </button>
          </div>
        </form>
      )}

      <div>
        <h3 className="mb-2 text-sm font-semibold text-zinc-300">Your tokens</h3>
        {loadError && (
          <Alert tone="error" onRetry={() => void load()}>
            {loadError}
          </Alert>
        )}
        {tokens === null && !loadError && <p className="text-sm text-zinc-400">Loading…</p>}
        {tokens?.length === 0 && (
          <p className="text-sm text-zinc-400" data-testid="tokens-empty">
            No tokens yet.
          </p>
        )}
        {tokens && tokens.length > 0 && (
          // relative: the sr-only header text is positioned; it must stay inside the scroller
          <div className="relative overflow-x-auto rounded-lg border border-zinc-800">
            <table className="w-full text-left text-sm" data-testid="tokens-table">
              <thead className="bg-zinc-900 text-xs text-zinc-400">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Token
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Created
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Last used
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    <span className="sr-only">Status and actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-800">
                {tokens.map((t) => (
                  <tr
                    key={t.id}
                    data-testid="token-row"
                    data-token-id={t.id}
                    data-revoked={t.revokedAt ? "true" : "false"}
                    className={t.revokedAt ? "text-zinc-400" : ""}
                  >
                    <th scope="row" className="max-w-[14rem] truncate px-3 py-2 font-medium" title={t.name}>
                      {t.name}
                    </th>
                    <td className="px-3 py-2">
                      <RoleBadge role={t.role} />
                    </td>
                    <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{t.prefix}…</td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <When iso={t.createdAt} empty="—" />
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <When iso={t.lastUsedAt} empty="never" />
                    </td>
                    <td className="px-3 py-2 text-right whitespace-nowrap">
                      {t.revokedAt ? (
                        <span className="text-xs">
                          Revoked <When iso={t.revokedAt} empty="" />
                        </span>
                      ) : (
                        <button
                          type="button"
                          className={DANGER_BUTTON}
                          aria-label={`Revoke ${t.name}`}
                          data-testid="revoke-token"
                          onClick={() => {
                            setRevokeError(null);
                            setRevoking(t);
                          }}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke"
        busyLabel="Revoking…"
        busy={revokeBusy}
        error={revokeError}
        confirmTestId="confirm-revoke"
        onConfirm={() => void confirmRevoke()}
        onClose={() => setRevoking(null)}
      >
        <p>
          Scripts using <span className="font-medium text-zinc-100">{revoking?.name}</span> ({revoking?.prefix}…) stop
          working at once. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
