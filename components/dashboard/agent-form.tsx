"use client";
/** Create or edit an agent's scope: name, allowed origins, identity providers, link lifetime, concurrency, webhook. */
import { type FormEvent, useState } from "react";
import { buttonStyles } from "./modal";
import { formText } from "./form-text";

export interface AgentScopeValues {
  name: string;
  origins: string[];
  identityProviders: string[];
  maxTtlSeconds: number;
  maxConcurrent: number;
  /** Where signed handoff events go; null for none. */
  webhookUrl: string | null;
}

const field =
  "mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 dark:border-neutral-700 dark:bg-neutral-950";
const label = "block text-sm font-medium";
const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function AgentForm({
  initial,
  submitLabel,
  error,
  isBusy,
  onSubmit,
  onCancel,
}: {
  initial?: AgentScopeValues;
  submitLabel: string;
  error: string | null;
  isBusy: boolean;
  onSubmit: (values: AgentScopeValues) => void;
  onCancel: () => void;
}) {
  const [local, setLocal] = useState<string | null>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values: AgentScopeValues = {
      name: formText(form, "name").trim(),
      origins: lines(formText(form, "origins")),
      identityProviders: lines(formText(form, "idps")),
      maxTtlSeconds: Number(form.get("ttl")),
      maxConcurrent: Number(form.get("concurrent")),
      webhookUrl: formText(form, "webhook").trim() || null,
    };
    if (!values.name || values.origins.length === 0) return setLocal("Give the agent a name and at least one origin.");
    setLocal(null);
    onSubmit(values);
  }
  return (
    <form onSubmit={submit} className="mt-4 space-y-4" noValidate>
      <div>
        <label htmlFor="agent-name" className={label}>
          Name
        </label>
        <input id="agent-name" name="name" required maxLength={80} defaultValue={initial?.name} className={field} />
      </div>
      <div>
        <label htmlFor="agent-origins" className={label}>
          Allowed target origins
        </label>
        <textarea
          id="agent-origins"
          name="origins"
          rows={3}
          required
          defaultValue={initial?.origins.join("\n")}
          placeholder="https://bank.example"
          aria-describedby="agent-origins-hint"
          className={`${field} font-mono`}
        />
        <p id="agent-origins-hint" className="mt-1 text-xs text-muted">
          One per line, scheme://host[:port]. Anything not listed is refused.
        </p>
      </div>
      <div>
        <label htmlFor="agent-idps" className={label}>
          Identity providers
        </label>
        <textarea
          id="agent-idps"
          name="idps"
          rows={2}
          defaultValue={initial?.identityProviders.join("\n")}
          placeholder="accounts.google.com"
          aria-describedby="agent-idps-hint"
          className={`${field} font-mono`}
        />
        <p id="agent-idps-hint" className="mt-1 text-xs text-muted">
          Sites a handoff may visit for single sign-on, and whose cookies it may hand over. Optional.
        </p>
      </div>
      <div className="grid grid-cols-2 gap-3">
        <div>
          <label htmlFor="agent-ttl" className={label}>
            Link lifetime (seconds)
          </label>
          <input
            id="agent-ttl"
            name="ttl"
            type="number"
            min={30}
            max={3600}
            required
            defaultValue={initial?.maxTtlSeconds ?? 600}
            aria-describedby="agent-ttl-hint"
            className={field}
          />
          <p id="agent-ttl-hint" className="mt-1 text-xs text-muted">
            How long this agent&apos;s links stay open, at most, before someone uses them.
          </p>
        </div>
        <div>
          <label htmlFor="agent-concurrent" className={label}>
            Max concurrent
          </label>
          <input
            id="agent-concurrent"
            name="concurrent"
            type="number"
            min={1}
            max={100}
            required
            defaultValue={initial?.maxConcurrent ?? 3}
            className={field}
          />
        </div>
      </div>
      <div>
        <label htmlFor="agent-webhook" className={label}>
          Webhook URL
        </label>
        <input
          id="agent-webhook"
          name="webhook"
          type="url"
          maxLength={2048}
          defaultValue={initial?.webhookUrl ?? ""}
          placeholder="https://backend.example/hooks/baton"
          aria-describedby="agent-webhook-hint"
          className={`${field} font-mono`}
        />
        <p id="agent-webhook-hint" className="mt-1 text-xs text-muted">
          Optional. Baton sends this agent&apos;s handoff events here, signed (Standard Webhooks); the signing secret is shown once. https only; private
          addresses are refused. Leave empty for none.
        </p>
      </div>
      <p role="alert" className="min-h-5 text-sm text-rose-700 dark:text-rose-400">
        {local ?? error}
      </p>
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onCancel} className={buttonStyles.secondary}>
          Cancel
        </button>
        <button type="submit" disabled={isBusy} className={buttonStyles.primary}>
          {isBusy ? "Saving…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
