import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { entryState } from "@/lib/auth/page";
import { AuthCard } from "../_components/AuthCard";
import { SetupForm } from "../_components/SetupForm";

export const metadata: Metadata = { title: "Create the admin account" };

/** First run: only while no account exists; afterwards it is the sign-in page's (or the library's) job. */
export default async function SetupPage() {
  const { hasUsers, principal } = await entryState();
  if (hasUsers) redirect(principal ? "/" : "/login");
  return (
    <AuthCard
      title="Create the admin account"
      intro="Welcome to Moments. This first account administers the library: it adds users, decides who may upload or delete, and sees the system's health."
    >
      <SetupForm />
    </AuthCard>
  );
}
