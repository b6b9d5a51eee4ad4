"use client";
/** Runs the audit chain check on the server and reports the verdict in words. */
import { useState } from "react";
import { z } from "zod";
import { useDashboard } from "./dashboard-context";
import { formatNumber } from "./format";
import { buttonStyles } from "./modal";
import { operatorPost } from "./operator-fetch";

const Verdict = z.union([
  z.object({ ok: z.literal(true), rows: z.number(), head: z.string(), tookMs: z.number() }),
  z.object({
    ok: z.literal(false),
    rows: z.number(),
    intactBefore: z.number(),
    brokenAt: z.number(),
    problem: z.string(),
    breaks: z.array(z.object({ seq: z.number(), problem: z.string() })),
    breakCount: z.number(),
    tookMs: z.number(),
  }),
]);

const PROBLEMS: Record<string, string> = {
  edited: "a row was changed after it was written",
  missing_or_reordered: "a row is missing or out of order",
  bad_link: "a row does not link to the one before it",
};

export function VerifyChainButton() {
  const { csrfToken } = useDashboard();
  const [state, setState] = useState<
    { kind: "idle" } | { kind: "busy" } | { kind: "done"; verdict: z.infer<typeof Verdict> } | { kind: "error"; message: string }
  >({ kind: "idle" });

  async function verify() {
    setState({ kind: "busy" });
    const result = await operatorPost("/api/dashboard/audit/verify", csrfToken, {}, Verdict);
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
            ✗ Chain broken at row {state.verdict.brokenAt}: {PROBLEMS[state.verdict.problem] ?? state.verdict.problem}. The{" "}
            {formatNumber(state.verdict.intactBefore)} rows before it are intact; {formatNumber(state.verdict.breakCount)} rows do not fit in all:{" "}
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
