import type { Metadata } from "next";
import { Guarded } from "../_components/Guarded";
import { PasswordForm } from "../_components/PasswordForm";
import { ProfilePanel } from "../_components/ProfilePanel";
import { TokensPanel } from "../_components/TokensPanel";

export const metadata: Metadata = { title: "Settings" };

/** One's own account: profile, password, API tokens, signing out. */
export default function SettingsPage() {
  return (
    <Guarded permission="account" path="/settings">
      <div className="mx-auto max-w-3xl space-y-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
          <p className="mt-1 text-sm text-zinc-400">Your account, your password and the API tokens your scripts use.</p>
        </div>
        <ProfilePanel />
        <PasswordForm />
        <TokensPanel />
      </div>
    </Guarded>
  );
}
