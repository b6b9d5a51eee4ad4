"use client";
/**
 * A new API key, shown once. It lives only in this component's state: closing the dialog drops
 * it, and no page or API can show it again.
 */
import { useState } from "react";
import { buttonStyles } from "./modal";

const kinds = {
  "api-key": { label: "API key", testId: "new-api-key", store: "this key into your agent's", noun: "key" },
  "webhook-secret": { label: "Webhook signing secret", testId: "new-webhook-secret", store: "this secret into your webhook receiver's", noun: "secret" },
} as const;

export function KeyReveal({ apiKey, onDone, kind = "api-key" }: { apiKey: string; onDone: () => void; kind?: keyof typeof kinds }) {
  const what = kinds[kind];
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(apiKey);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <div className="mt-3 space-y-3">
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
        Copy {what.store} secret store now. This is the only time Baton shows it.
      </p>
      <div className="flex gap-2">
        <label htmlFor={what.testId} className="sr-only">
          {what.label}
        </label>
        <input
          id={what.testId}
          data-testid={what.testId}
          readOnly
          value={apiKey}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-neutral-300 bg-neutral-50 px-2.5 py-1.5 font-mono text-xs dark:border-neutral-700 dark:bg-neutral-950"
        />
        <button type="button" onClick={copy} className={buttonStyles.secondary}>
          {copied === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <p aria-live="polite" className="min-h-5 text-xs text-muted">
        {copied === "copied"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? `The browser refused the clipboard: select the ${what.noun} and copy it by hand.`
            : ""}
      </p>
      <div className="flex justify-end">
        <button type="button" onClick={onDone} className={buttonStyles.primary}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
