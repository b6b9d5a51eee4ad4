"use client";
/**
 * The Agents page's actions: create (key shown once), edit scope and webhook, rotate key (new key
 * shown once), rotate the webhook secret (shown once), revoke (its live handoffs end at once). Each goes through the CSRF-checked API, then the server
 * page re-renders with fresh figures.
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { AgentRow } from "../../lib/dashboard/agents.query";
import {
  CreateAgentResponseSchema,
  EditAgentResponseSchema,
  RevokeAgentResponseSchema,
  RotateKeyResponseSchema,
  type RotateRequest,
  RotateWebhookResponseSchema,
} from "../../lib/protocol/operator-api";
import { AgentForm, type AgentScopeValues } from "./agent-form";
import { AgentsTable } from "./agents-table";
import { ConfirmDialog } from "./confirm-dialog";
import { useDashboard } from "./dashboard-context";
import { KeyReveal } from "./key-reveal";
import { buttonStyles, Modal } from "./modal";
import { operatorPost } from "./operator-fetch";
import { EmptyState } from "./stat-card";

type Dialog =
  | { kind: "create" }
  | { kind: "edit"; agent: AgentRow }
  | { kind: "rotate"; agent: AgentRow }
  | { kind: "revoke"; agent: AgentRow }
  | { kind: "rotateWebhook"; agent: AgentRow }
  | { kind: "key"; title: string; apiKey: string; then?: Dialog }
  | { kind: "webhookSecret"; title: string; secret: string }
  | null;

/** Keys and webhook secrets rotate with an hour's overlap, so a running agent is not cut off mid-task. */
const ROTATE: RotateRequest = { overlapSeconds: 3600 };

const secretDialog = (name: string, secret: string): Dialog => ({ kind: "webhookSecret", title: `Webhook signing secret for ${name}`, secret });

export function AgentsManager({ agents }: { agents: AgentRow[] }) {
  const { csrfToken } = useDashboard();
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");

  const open = (next: Dialog) => {
    setError(null);
    setDialog(next);
  };
  const close = () => setDialog(null);

  async function run<T>(call: Promise<{ ok: true; data: T } | { ok: false; message: string }>, then: (data: T) => void) {
    setBusy(true);
    const result = await call;
    setBusy(false);
    if (!result.ok) return setError(result.message);
    then(result.data);
    router.refresh();
  }

  const create = (values: AgentScopeValues) =>
    run(operatorPost("/api/dashboard/agents", csrfToken, values, CreateAgentResponseSchema), (data) => {
      setNotice(`Agent ${values.name} created.`);
      const secret = data.webhookSecret ? secretDialog(values.name, data.webhookSecret) : undefined;
      setDialog({ kind: "key", title: `API key for ${values.name}`, apiKey: data.apiKey, then: secret });
    });

  const edit = (agent: AgentRow, values: AgentScopeValues) =>
    run(operatorPost(`/api/dashboard/agents/${agent.id}/scope`, csrfToken, values, EditAgentResponseSchema), (data) => {
      setNotice(`Scope of ${values.name} saved.`);
      setDialog(data.webhookSecret ? secretDialog(values.name, data.webhookSecret) : null);
    });

  const rotateWebhook = (agent: AgentRow) =>
    run(operatorPost(`/api/dashboard/agents/${agent.id}/webhook/rotate`, csrfToken, ROTATE, RotateWebhookResponseSchema), (data) => {
      setNotice(`New webhook secret for ${agent.name}; the old one also signs for one more hour.`);
      setDialog(secretDialog(agent.name, data.webhookSecret));
    });

  const rotate = (agent: AgentRow) =>
    run(operatorPost(`/api/dashboard/agents/${agent.id}/rotate`, csrfToken, ROTATE, RotateKeyResponseSchema), (data) => {
      setNotice(`New key for ${agent.name}; the old key works for one more hour.`);
      setDialog({ kind: "key", title: `New API key for ${agent.name}`, apiKey: data.apiKey });
    });

  const revoke = (agent: AgentRow) =>
    run(operatorPost(`/api/dashboard/agents/${agent.id}/revoke`, csrfToken, {}, RevokeAgentResponseSchema), (data) => {
      setNotice(`${agent.name} revoked${data.endedHandoffs > 0 ? `; ${data.endedHandoffs} live handoff${data.endedHandoffs === 1 ? "" : "s"} ended` : ""}.`);
      close();
    });

  return (
    <>
      <div className="mb-4 flex items-center justify-between gap-4">
        <p aria-live="polite" data-testid="agents-notice" className="min-h-5 text-sm text-emerald-700 dark:text-emerald-400">
          {notice}
        </p>
        <button type="button" onClick={() => open({ kind: "create" })} className={buttonStyles.primary}>
          New agent
        </button>
      </div>
      {agents.length === 0 ? (
        <EmptyState title="No agents yet">
          An agent needs its own API key and a list of sites it may ask users to sign in to. Create one to get its key.
        </EmptyState>
      ) : (
        <AgentsTable
          agents={agents}
          onEdit={(agent) => open({ kind: "edit", agent })}
          onRotate={(agent) => open({ kind: "rotate", agent })}
          onRevoke={(agent) => open({ kind: "revoke", agent })}
        />
      )}

      <Modal isOpen={dialog?.kind === "create"} title="New agent" onClose={close} wide>
        <AgentForm submitLabel="Create agent" error={error} isBusy={isBusy} onSubmit={create} onCancel={close} />
      </Modal>
      <Modal isOpen={dialog?.kind === "edit"} title={dialog?.kind === "edit" ? `Edit scope of ${dialog.agent.name}` : ""} onClose={close} wide>
        {dialog?.kind === "edit" ? (
          <AgentForm
            initial={dialog.agent}
            submitLabel="Save scope"
            error={error}
            isBusy={isBusy}
            onSubmit={(values) => edit(dialog.agent, values)}
            onCancel={close}
          />
        ) : null}
        {dialog?.kind === "edit" && dialog.agent.webhookUrl ? (
          <button type="button" onClick={() => open({ kind: "rotateWebhook", agent: dialog.agent })} className={`${buttonStyles.secondary} mt-2`}>
            Rotate webhook secret
          </button>
        ) : null}
      </Modal>
      <Modal isOpen={dialog?.kind === "key"} title={dialog?.kind === "key" ? dialog.title : ""} onClose={close}>
        {dialog?.kind === "key" ? <KeyReveal apiKey={dialog.apiKey} onDone={() => setDialog(dialog.then ?? null)} /> : null}
      </Modal>
      <Modal isOpen={dialog?.kind === "webhookSecret"} title={dialog?.kind === "webhookSecret" ? dialog.title : ""} onClose={close}>
        {dialog?.kind === "webhookSecret" ? <KeyReveal kind="webhook-secret" apiKey={dialog.secret} onDone={close} /> : null}
      </Modal>
      <ConfirmDialog
        isOpen={dialog?.kind === "rotateWebhook"}
        title="Rotate the webhook signing secret?"
        confirmLabel="Rotate secret"
        tone="default"
        isBusy={isBusy}
        error={error}
        onConfirm={() => dialog?.kind === "rotateWebhook" && rotateWebhook(dialog.agent)}
        onClose={close}
      >
        A new secret is made and shown once. For one hour every delivery carries signatures by both, so your receiver accepts them while you switch it to the
        new secret.
      </ConfirmDialog>
      <ConfirmDialog
        isOpen={dialog?.kind === "rotate"}
        title="Rotate this agent's key?"
        confirmLabel="Rotate key"
        tone="default"
        isBusy={isBusy}
        error={error}
        onConfirm={() => dialog?.kind === "rotate" && rotate(dialog.agent)}
        onClose={close}
      >
        A new key is made and shown once. The current key keeps working for one hour, so you can deploy the new one without downtime.
      </ConfirmDialog>
      <ConfirmDialog
        isOpen={dialog?.kind === "revoke"}
        title={dialog?.kind === "revoke" ? `Revoke ${dialog.agent.name}?` : ""}
        confirmLabel="Revoke agent"
        isBusy={isBusy}
        error={error}
        onConfirm={() => dialog?.kind === "revoke" && revoke(dialog.agent)}
        onClose={close}
      >
        Its keys stop working now
        {dialog?.kind === "revoke" && dialog.agent.stats.live > 0
          ? ` and its ${dialog.agent.stats.live} live handoff${dialog.agent.stats.live === 1 ? "" : "s"} end at once`
          : ""}
        . This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
