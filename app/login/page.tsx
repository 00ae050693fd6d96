import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { entryState, safeNext } from "@/lib/auth/page";
import { AuthCard } from "../_components/AuthCard";
import { LoginForm } from "../_components/LoginForm";

export const metadata: Metadata = { title: "Sign in" };

interface LoginPageProps {
  /** ?next=<path>: where to go after signing in (same-site paths only) */
  searchParams: Promise<{ next?: string | string[] }>;
}

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const raw = (await searchParams).next;
  const next = safeNext(Array.isArray(raw) ? raw[0] : raw);
  const { hasUsers, principal } = await entryState();
  if (!hasUsers) redirect("/setup");
  if (principal) redirect(next);
  return (
    <AuthCard title="Sign in to Moments" intro="No account yet? Ask an admin of this library to add you.">
      <LoginForm next={next} />
    </AuthCard>
  );
}
