/**
 * An operator ends a live handoff from the dashboard. The lifecycle's `cancel` event with
 * `by: "operator"` moves it to `cancelled` (reason `cancelled_by_operator`) through the one state
 * writer, audited with the operator's id; the relay then tells the phone and the agent and closes
 * their sockets.
 */
import { AppError } from "../errors/app-error";
import type { HandoffRow, HandoffStore } from "./handoff.store";

export async function cancelByOperator(store: HandoffStore, handoffId: string, operatorId: string): Promise<HandoffRow> {
  const result = await store.applyTransition(handoffId, { type: "cancel", by: "operator" }, { actor: "operator", audit: { operatorId } });
  if (result.ok) return result.row;
  if (result.reason === "not_found") throw new AppError("NOT_FOUND", "no such handoff");
  throw new AppError("INVALID_TRANSITION", `cancel refused in state ${result.row?.state}`, { state: result.row?.state }, "This handoff has already ended.");
}
