import { ROLE_LABELS, type Role } from "@/lib/auth/roles";

const STYLES: Record<Role, string> = {
  viewer: "bg-zinc-700/60 text-zinc-200 ring-zinc-500/40",
  annotator: "bg-sky-500/15 text-sky-300 ring-sky-400/30",
  admin: "bg-indigo-500/15 text-indigo-300 ring-indigo-400/30",
};

export function RoleBadge({ role, className = "" }: { role: Role; className?: string }) {
  return (
    <span
      data-testid="role-badge"
      data-role={role}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[role]} ${className}`}
    >
      {ROLE_LABELS[role]}
    </span>
  );
}
