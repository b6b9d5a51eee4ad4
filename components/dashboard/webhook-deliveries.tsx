/**
 * A handoff's webhook deliveries: one row per event with its outcome, attempts, HTTP status, the
 * next retry and the last error (in Baton's own words, never the receiver's body).
 */
import type { WebhookDeliveryView } from "../../lib/dashboard/webhook-deliveries.query";
import { formatTime, humanize } from "./format";

const tone: Record<WebhookDeliveryView["status"], string> = {
  delivered: "text-emerald-700 dark:text-emerald-400",
  pending: "text-amber-700 dark:text-amber-400",
  failed: "text-rose-700 dark:text-rose-400",
};

function outcome(d: WebhookDeliveryView): string {
  if (d.status === "delivered") return `delivered ${formatTime(d.deliveredAt)}${d.lastStatusCode ? ` · ${d.lastStatusCode}` : ""}`;
  if (d.status === "failed") return `gave up${d.lastError ? ` · ${d.lastError}` : ""}`;
  if (d.attempts === 0) return "sending";
  return `${d.lastError ?? "failed"} · retry ${formatTime(d.nextAttemptAt)}`;
}

export function WebhookDeliveries({ deliveries }: { deliveries: WebhookDeliveryView[] }) {
  if (deliveries.length === 0) return <p className="text-sm text-muted">None: this agent has no webhook, or nothing was sent yet.</p>;
  return (
    <table className="w-full table-fixed text-sm" data-testid="webhook-deliveries">
      <caption className="sr-only">Webhook deliveries of this handoff, with attempts and outcome</caption>
      <thead className="text-left text-xs text-muted">
        <tr>
          <th scope="col" className="w-28 pb-1 font-medium">
            Event
          </th>
          <th scope="col" className="pb-1 font-medium">
            Outcome
          </th>
          <th scope="col" className="w-14 pb-1 text-right font-medium">
            Tries
          </th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} data-testid="webhook-delivery" data-status={d.status} className="border-t border-neutral-100 align-top dark:border-neutral-800">
            <td className="truncate py-1 text-xs" title={`${d.eventType} · webhook-id ${d.id}`}>
              {humanize(d.eventType.replace(/^handoff\./, ""))}
            </td>
            <td className={`py-1 text-xs break-words ${tone[d.status]}`}>{outcome(d)}</td>
            <td className="py-1 text-right text-xs tabular-nums text-muted">
              {d.attempts}/{d.maxAttempts}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
