"use client";

import { useState } from "react";
import { EXPORT_CHOICES, exportUrl, type ExportStatus } from "@/app/_lib/datasets-api";
import { PRIMARY_BUTTON } from "./forms";

/** The reviewed spans as annotations.json (GET /api/datasets/export), with the decisions chosen here. */
export function DatasetExport() {
  const [chosen, setChosen] = useState<ExportStatus[]>(() =>
    EXPORT_CHOICES.filter((c) => c.defaultOn).map((c) => c.value),
  );
  const toggle = (s: ExportStatus, on: boolean) =>
    // kept in the form's order, so the link reads accepted,corrected,rejected
    setChosen((cur) => EXPORT_CHOICES.map((c) => c.value).filter((v) => (v === s ? on : cur.includes(v))));

  return (
    <div className="space-y-4" data-testid="dataset-export">
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-zinc-300">Decisions to include</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1">
          {EXPORT_CHOICES.map((c) => (
            <label
              key={c.value}
              className="inline-flex cursor-pointer items-center gap-2 text-sm text-zinc-200 max-sm:min-h-11"
            >
              <input
                type="checkbox"
                checked={chosen.includes(c.value)}
                onChange={(e) => toggle(c.value, e.target.checked)}
                className="size-4 accent-indigo-500"
                data-testid={`export-${c.value}`}
              />
              {c.label}
            </label>
          ))}
        </div>
        <p className="text-xs text-zinc-400">
          Every reviewed span in the library, whatever its source. A rejected item has no span: it is exported as a
          sentence without one.
        </p>
      </fieldset>
      {chosen.length > 0 ? (
        <a
          href={exportUrl(chosen)}
          download="annotations.json"
          className={`${PRIMARY_BUTTON} max-sm:min-h-11`}
          data-testid="export-link"
        >
          Download annotations.json
        </a>
      ) : (
        <p className="text-sm text-amber-300" role="status">
          Choose at least one decision to export.
        </p>
      )}
      <p className="text-xs leading-relaxed text-zinc-400">
        From a terminal on the server,{" "}
        <code className="rounded bg-zinc-800 px-1 py-0.5 text-zinc-200">npm run export:dataset -- OUT</code> writes the
        whole folder, <code className="text-zinc-200">annotations.json</code> with the videos beside it (
        <code className="text-zinc-200">--status accepted,corrected,rejected</code> chooses the decisions), and{" "}
        <code className="rounded bg-zinc-800 px-1 py-0.5 text-zinc-200">npm run eval -- --dataset OUT --recorded</code>{" "}
        reproduces the numbers of the evaluation dashboard from it.
      </p>
    </div>
  );
}
