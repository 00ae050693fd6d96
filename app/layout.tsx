import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { currentPrincipal } from "@/lib/auth/page";
import type { SessionUser } from "./_lib/api";
import { SessionProvider } from "./_components/SessionProvider";
import { SiteHeader } from "./_components/SiteHeader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Moments", template: "%s · Moments" },
  description: "Self-hosted video moment search: upload videos, describe a moment, jump to it.",
};

export const viewport: Viewport = {
  themeColor: "#09090b",
  colorScheme: "dark",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only what the browser may see: never the session's hash.
  const principal = await currentPrincipal();
  const user: SessionUser | null = principal
    ? { id: principal.user.id, email: principal.user.email, name: principal.user.name, role: principal.role }
    : null;
  return (
    <html lang="en">
      <body className="bg-zinc-950 font-sans text-zinc-100 antialiased">
        <a
          href="#main"
          className="sr-only z-50 rounded bg-indigo-600 px-3 py-2 text-sm text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <SessionProvider user={user}>
          <SiteHeader user={user} />
          <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">
            {children}
          </main>
        </SessionProvider>
      </body>
    </html>
  );
}
