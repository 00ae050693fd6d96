import type { Metadata } from "next";
import { PageShell } from "../../_components/PageShell";
import { UsersAdmin } from "../../_components/UsersAdmin";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <PageShell
      title="Users"
      permission="users:manage"
      path="/admin/users"
      className="space-y-8"
      description="Who may use this library and what they may do. Accounts are disabled rather than deleted, so what they added keeps its owner."
    >
      <UsersAdmin />
    </PageShell>
  );
}
