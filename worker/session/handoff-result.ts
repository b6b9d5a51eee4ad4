/**
 * What `handoff()` resolves with: metadata of what was handed over (names and domains, never a
 * value), how the sign-in was recognised, the timings, and `release()`.
 */
import type { Cookie } from "playwright-core";
import type { ApiClient } from "../api-client";
import type { HandoffResult } from "../types";
import type { HandedOver } from "./complete-hand-over";

export interface CompletedHandoff {
  handoffId: string;
  cookies: Cookie[];
  handed: HandedOver;
  reuseDetected: boolean;
  detectedBy: HandoffResult["detectedBy"];
  timings: HandoffResult["timings"];
  api: Pick<ApiClient, "report">;
}

export function handoffResult(done: CompletedHandoff): HandoffResult {
  const { handoffId, handed, api } = done;
  return {
    status: "completed",
    handoffId,
    cookies: done.cookies.map((c) => ({ name: c.name, domain: c.domain })),
    reuseDetected: done.reuseDetected,
    detectedBy: done.detectedBy,
    storageEntries: handed.storageEntries,
    timings: done.timings,
    release: async () => {
      await handed.signOut();
      // Best effort: the agent's context is signed out either way; the record is the server's to lose.
      await api.report(handoffId, { event: "released" }).catch(() => undefined);
    },
  };
}
