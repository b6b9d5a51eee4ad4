"use client";
/** "Report this request": tells the operator, through the audit log, that a link was unwelcome. */
import { useState } from "react";
import type { ReportLinkRequest } from "../../lib/protocol/link-api";
import { reportLink } from "./link-api";
import { strings } from "./strings";

export function ReportButton({ token, operatorName, report }: { token: string; operatorName: string; report: ReportLinkRequest }) {
  const [state, setState] = useState<"idle" | "sending" | "sent" | "failed">("idle");
  const t = strings.ended;
  if (state === "sent")
    return (
      <p role="status" className="text-sm text-neutral-700 dark:text-neutral-300">
        {t.reported(operatorName)}
      </p>
    );
  return (
    <div className="flex flex-col items-center gap-2">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">{t.reportHint(operatorName)}</p>
      <button
        type="button"
        disabled={state === "sending"}
        onClick={async () => {
          setState("sending");
          setState((await reportLink(token, report)) ? "sent" : "failed");
        }}
        className="h-11 rounded-xl border border-neutral-400 px-5 text-base font-medium active:bg-neutral-100 disabled:opacity-60 dark:border-neutral-500 dark:active:bg-neutral-800"
      >
        {t.report}
      </button>
      {state === "failed" ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {t.reportFailed}
        </p>
      ) : null}
    </div>
  );
}
