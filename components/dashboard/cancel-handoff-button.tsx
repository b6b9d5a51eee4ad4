"use client";
/** Ends a live handoff as the operator, after a confirmation. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { HandoffSummarySchema } from "../../lib/protocol/operator-events";
import { ConfirmDialog } from "./confirm-dialog";
import { useDashboard } from "./dashboard-context";
import { operatorPost } from "./operator-fetch";

export function CancelHandoffButton({ handoffId, agentName }: { handoffId: string; agentName: string }) {
  const { csrfToken } = useDashboard();
  const router = useRouter();
  const [isOpen, setOpen] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    const result = await operatorPost(`/api/dashboard/handoffs/${handoffId}/cancel`, csrfToken, {}, HandoffSummarySchema);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <button
        type="button"
        onClick={() => (setError(null), setOpen(true))}
        className="rounded-md border border-rose-300 px-3 py-1.5 text-sm font-semibold text-rose-700 hover:bg-rose-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-700 dark:border-rose-800 dark:text-rose-300 dark:hover:bg-rose-950"
      >
        Cancel handoff
      </button>
      <ConfirmDialog
        isOpen={isOpen}
        title="Cancel this handoff?"
        confirmLabel="Cancel handoff"
        isBusy={isBusy}
        error={error}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        The person on the phone sees that it was cancelled, and <bdi>{agentName}</bdi> gets no session. This is recorded in the audit log under your name.
      </ConfirmDialog>
    </>
  );
}
