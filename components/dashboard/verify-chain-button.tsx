"use client";
/** Runs the audit chain check on the server and reports the verdict in words. */
import { useState } from "react";
import { type ChainVerdictResponse, ChainVerdictResponseSchema } from "../../lib/protocol/operator-api";
import { useDashboard } from "./dashboard-context";
import { formatNumber } from "./format";
import { buttonStyles } from "./modal";
import { operatorPost } from "./operator-fetch";

const PROBLEMS: Record<Extract<ChainVerdictResponse, { ok: false }>["problem"], string> = {
  edited: "a row was changed after it was written",
  missing_or_reordered: "a row is missing or out of order",
  bad_link: "a row does not link to the one before it",
};

export function VerifyChainButton() {
  const { csrfToken } = useDashboard();
  const [state, setState] = useState<
    { kind: "idle" } | { kind: "busy" } | { kind: "done"; verdict: ChainVerdictResponse } | { kind: "error"; message: string }
  >({ kind: "idle" });

  async function verify() {
    setState({ kind: "busy" });
    const result = await operatorPost("/api/dashboard/audit/verify", csrfToken, {}, ChainVerdictResponseSchema);
    setState(result.ok ? { kind: "done", verdict: result.data } : { kind: "error", message: result.message });
  }

  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" onClick={verify} disabled={state.kind === "busy"} className={buttonStyles.primary}>
        {state.kind === "busy" ? "Verifying…" : "Verify chain"}
      </button>
      <p role="status" data-testid="verify-result" className="min-h-5 text-sm">
        {state.kind === "done" && state.verdict.ok ? (
          <span className="text-emerald-700 dark:text-emerald-400">
            ✓ Chain intact: {formatNumber(state.verdict.rows)} rows checked in {state.verdict.tookMs} ms, head{" "}
            <span className="font-mono">{state.verdict.head.slice(0, 12)}…</span>
          </span>
        ) : state.kind === "done" && !state.verdict.ok ? (
          <span className="font-medium text-rose-700 dark:text-rose-400">
            ✗ Chain broken at row {state.verdict.brokenAt}: {PROBLEMS[state.verdict.problem]}. The {formatNumber(state.verdict.intactBefore)} rows before it are
            intact; {formatNumber(state.verdict.breakCount)} rows do not fit in all:{" "}
            <span data-testid="verify-breaks" className="font-mono">
              {state.verdict.breaks
                .slice(0, 50)
                .map((b) => `${b.seq} (${b.problem})`)
                .join(", ")}
              {state.verdict.breakCount > 50 ? ", …" : ""}
            </span>
          </span>
        ) : state.kind === "error" ? (
          <span className="text-rose-700 dark:text-rose-400">{state.message}</span>
        ) : null}
      </p>
    </div>
  );
}
