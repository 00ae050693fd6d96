import type { Metadata } from "next";
import { Guarded } from "../../_components/Guarded";
import { UsersAdmin } from "../../_components/UsersAdmin";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <Guarded permission="users:manage" path="/admin/users">
      <div className="space-y-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
          <p className="mt-1 text-sm text-zinc-400">
            Who may use this library and what they may do. Accounts are disabled rather than deleted, so what they added
            keeps its owner.
          </p>
        </div>
        <UsersAdmin />
      </div>
    </Guarded>
  );
}
