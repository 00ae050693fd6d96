import type { Metadata } from "next";
import { PageShell } from "../_components/PageShell";
import { PasswordForm } from "../_components/PasswordForm";
import { ProfilePanel } from "../_components/ProfilePanel";
import { TokensPanel } from "../_components/TokensPanel";

export const metadata: Metadata = { title: "Settings" };

/** One's own account: profile, password, API tokens, signing out. */
export default function SettingsPage() {
  return (
    <PageShell
      title="Settings"
      permission="account"
      path="/settings"
      className="mx-auto max-w-3xl space-y-8"
      description="Your account, your password and the API tokens your scripts use."
    >
      <ProfilePanel />
      <PasswordForm />
      <TokensPanel />
    </PageShell>
  );
}
