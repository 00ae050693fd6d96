"use client";

import { useState } from "react";
import { ApiError, errorMessage } from "@/app/_lib/api";
import { activateVersion, cancelVersion } from "@/app/_lib/models-api";
import { ConfirmDialog } from "./ConfirmDialog";
import { DANGER_BUTTON, PRIMARY_BUTTON } from "./forms";

interface ActivateButtonProps {
  version: number;
  /** the version search answers with now (named in the dialogs) */
  active: number;
  /** called once the switch has started (202), or was refused (the state may have moved on), to fetch it again */
  onChanged: () => void | Promise<void>;
}

/**
 * Activate: asks the server to switch to this version. When the evaluation gate refuses
 * (409 gate_refused: worse than the active version on the annotated spans, or nothing to
 * compare), a dialog shows its reason and offers to activate it anyway (`force`).
 */
export function ActivateButton({ version, active, onChanged }: ActivateButtonProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [gate, setGate] = useState<string | null>(null);
  const [forceError, setForceError] = useState<string | null>(null);

  const start = async (force: boolean) => {
    setBusy(true);
    setError(null);
    setForceError(null);
    try {
      await activateVersion(version, force);
      setGate(null);
      await onChanged();
    } catch (err) {
      const message = errorMessage(err, `Version ${version} could not be activated.`);
      // the evaluation gate's refusal may be overridden; the other 409s (not ready, weights missing…) may not
      if (!force && err instanceof ApiError && err.status === 409 && err.code === "gate_refused") setGate(message);
      else if (force) setForceError(message);
      else setError(message);
      // e.g. the server started the switch on its own meanwhile: then this button goes away
      await onChanged();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-1">
      <button
        type="button"
        onClick={() => void start(false)}
        disabled={busy}
        aria-label={`Activate version ${version}`}
        data-testid="activate-version"
        data-version={version}
        className={`${PRIMARY_BUTTON} min-h-11 sm:min-h-0`}
      >
        {busy && gate === null ? "Activating…" : "Activate"}
      </button>
      {error && (
        <p role="alert" className="max-w-xs text-xs text-rose-300" data-testid="activate-error">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={gate !== null}
        title={`Activate version ${version} anyway?`}
        confirmLabel="Activate anyway"
        cancelLabel={`Keep version ${active}`}
        busyLabel="Activating…"
        busy={busy}
        error={forceError}
        tone="primary"
        confirmTestId="activate-force"
        onConfirm={() => void start(true)}
        onClose={() => {
          setGate(null);
          setForceError(null);
        }}
      >
        <p className="text-zinc-200" data-testid="activate-gate-reason">
          {gate}
        </p>
        <p className="mt-2">
          Search keeps answering with version {active} until every video has been re-embedded with version {version};
          then it switches at once. Version {active} can be activated again later.
        </p>
      </ConfirmDialog>
    </div>
  );
}

interface CancelButtonProps {
  version: number;
  /** what is cancelled: the version's training run, or the re-embedding that would switch to it */
  what: "training" | "switch";
  onCancelled: () => void | Promise<void>;
}

/** Cancel, after a confirmation: a training run (what it learned is dropped) or a switch (search stays as it is). */
export function CancelButton({ version, what, onCancelled }: CancelButtonProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const training = what === "training";

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await cancelVersion(version);
      setOpen(false);
      await onCancelled();
    } catch (err) {
      setError(errorMessage(err, "It could not be cancelled."));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={training ? `Cancel training version ${version}` : `Cancel the switch to version ${version}`}
        data-testid={training ? "cancel-training" : "cancel-switch"}
        data-version={version}
        className={`${DANGER_BUTTON} min-h-11 sm:min-h-0`}
      >
        Cancel
      </button>
      <ConfirmDialog
        open={open}
        title={training ? `Cancel training version ${version}?` : `Cancel the switch to version ${version}?`}
        confirmLabel={training ? "Cancel training" : "Cancel the switch"}
        cancelLabel={training ? "Keep training" : "Keep switching"}
        busyLabel="Cancelling…"
        busy={busy}
        error={error}
        confirmTestId={training ? "cancel-training-confirm" : "cancel-switch-confirm"}
        onConfirm={() => void confirm()}
        onClose={() => {
          setOpen(false);
          setError(null);
        }}
      >
        {training
          ? "The run stops and what it has learned so far is dropped; the version stays listed as cancelled."
          : "The re-embedding stops and search keeps answering with the active version. The version stays ready to activate."}
      </ConfirmDialog>
    </>
  );
}
