"use client";
/**
 * Export buttons for the audit log. An export writes its own audit row, so it is a POST with the
 * session's CSRF token (never a GET link); the file arrives through fetch and a blob URL.
 */
import { useState } from "react";
import { useDashboard } from "./dashboard-context";

const FORMATS = [
  { format: "jsonl", label: "Export JSON Lines" },
  { format: "csv", label: "Export CSV" },
] as const;

function fileName(disposition: string | null, format: string): string {
  return /filename="([\w.-]+)"/.exec(disposition ?? "")?.[1] ?? `baton-audit.${format}`;
}

export function ExportAuditButtons({ className }: { className: string }) {
  const { csrfToken } = useDashboard();
  const [error, setError] = useState<string | null>(null);

  async function download(format: "jsonl" | "csv") {
    setError(null);
    const response = await fetch("/api/dashboard/audit/export", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-baton-csrf": csrfToken },
      body: JSON.stringify({ format }),
      // Offline or refused: either way the person gets the same message below.
    }).catch(() => null);
    if (!response?.ok) return setError("The export failed; reload the page and try again.");
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: fileName(response.headers.get("content-disposition"), format) });
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="flex items-center gap-2">
      {FORMATS.map(({ format, label }) => (
        <button key={format} type="button" className={className} onClick={() => void download(format)}>
          {label}
        </button>
      ))}
      {error ? (
        <span role="alert" className="text-sm text-rose-700 dark:text-rose-400">
          {error}
        </span>
      ) : null}
    </div>
  );
}
