/** The phone page's requests: claim the link for this device, decide, report. Same-origin JSON. */
import { ErrorBodySchema, type ErrorCode } from "../../lib/protocol/errors";
import { type DecisionRequest, type LinkDecision, LinkStateResponseSchema, type LinkStateResponse, type ReportLinkRequest } from "../../lib/protocol/link-api";

/** The refusals the phone's screens tell apart; every other code shows the generic error. */
const SHOWN_CODES = ["LINK_IN_USE", "LINK_INVALID", "RATE_LIMITED", "INVALID_TRANSITION"] as const satisfies readonly ErrorCode[];
type ShownCode = (typeof SHOWN_CODES)[number];

export type LinkResult = ({ ok: true } & LinkStateResponse) | { ok: false; code: ShownCode | "NETWORK" | "OTHER"; message: string };

function isShown(code: string): code is ShownCode {
  return (SHOWN_CODES as readonly string[]).includes(code);
}

async function post(path: string, body: unknown): Promise<LinkResult> {
  let response: Response;
  try {
    response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
  } catch {
    return { ok: false, code: "NETWORK", message: "network" };
  }
  const raw: unknown = await response.json().catch(() => null);
  const ok = LinkStateResponseSchema.safeParse(raw);
  if (response.ok && ok.success) return { ok: true, ...ok.data };
  const error = ErrorBodySchema.safeParse(raw);
  if (!error.success) return { ok: false, code: "OTHER", message: `HTTP ${response.status}` };
  const { code, message } = error.data.error;
  return { ok: false, code: isShown(code) ? code : "OTHER", message };
}

export const claimLink = (token: string) => post(`/api/link/${encodeURIComponent(token)}/claim`, {});
export const decideLink = (token: string, decision: LinkDecision) =>
  post(`/api/link/${encodeURIComponent(token)}/decision`, { decision } satisfies DecisionRequest);

/** Reports the link to the operator; true once the server has recorded it. */
export async function reportLink(token: string, report: ReportLinkRequest): Promise<boolean> {
  try {
    const response = await fetch(`/api/link/${encodeURIComponent(token)}/report`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(report),
      credentials: "same-origin",
    });
    return response.ok;
  } catch {
    return false;
  }
}
