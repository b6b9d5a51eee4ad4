/**
 * The link API: what the phone's page sends to `/api/link/<token>/…` (claim, decision, report) and
 * what it gets back. Same-origin JSON, with the bound-device cookie; refusals are the error
 * contract (`errors.ts`). The server parses the requests with these schemas and builds its answers
 * typed from them; the phone parses the answers with them.
 */
import { z } from "zod";
import { HandoffStates } from "../lifecycle/states";

/* `POST /api/link/<token>/claim` binds the link to this device; it reads no body. */

export const LinkDecisions = ["approve", "deny", "cancel"] as const;
export type LinkDecision = (typeof LinkDecisions)[number];

/** `POST /api/link/<token>/decision`: the person approves, denies, or (once approved) cancels. */
export const DecisionRequestSchema = z.strictObject({ decision: z.enum(LinkDecisions) });
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

/** The answer to a claim or a decision: where the handoff is now. */
export const LinkStateResponseSchema = z.strictObject({ handoffId: z.string(), state: z.enum(HandoffStates) });
export type LinkStateResponse = z.infer<typeof LinkStateResponseSchema>;

/**
 * `POST /api/link/<token>/report`: the person who got a link tells the operator something was wrong
 * with it. Holding the link is the standing to report (the device it was used on may not be
 * theirs); what they pick is a fixed word, never free text.
 */
export const ReportLinkRequestSchema = z.strictObject({
  reason: z.enum(["unexpected", "used_by_someone_else"]),
  /** The screen it was sent from, so operators read the report in context. */
  screen: z.enum(["consent", "approve", "ended", "in_use"]),
});
export type ReportLinkRequest = z.infer<typeof ReportLinkRequestSchema>;

export const LinkOkResponseSchema = z.strictObject({ ok: z.literal(true) });
export type LinkOkResponse = z.infer<typeof LinkOkResponseSchema>;
