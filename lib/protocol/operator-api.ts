/**
 * The operator API: the dashboard's JSON endpoints under `/api/operator/*` and `/api/dashboard/*`.
 * Request bodies that only the dashboard sends are declared here; the agent scope form's fields are
 * the agent store's own schema (the server checks them against policy there). Every response the
 * dashboard reads is declared here, built typed from these by the server's handlers and parsed with
 * them by the components. Nothing in any of them is a secret except, once, a new key or webhook
 * secret in the answer that created it.
 */
import { z } from "zod";
import { HandoffSummarySchema } from "./operator-events";

const Iso = z.iso.datetime({ offset: true });

export const OkResponseSchema = z.strictObject({ ok: z.literal(true) });
export type OkResponse = z.infer<typeof OkResponseSchema>;

/** The body of every POST that carries nothing but the CSRF token in its header. */
export const EmptyRequestSchema = z.strictObject({});

/** `POST /api/operator/sign-in`; the server lower-cases and checks the email with the operator store's schema. */
export const SignInRequestSchema = z.strictObject({ email: z.string().max(254), password: z.string().min(1).max(256) });
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

/** The answer to a sign-in and to `GET /api/operator/me`. */
export const OperatorSessionResponseSchema = z.strictObject({
  operator: z.strictObject({ id: z.string(), email: z.string() }),
  csrfToken: z.string(),
  expiresAt: Iso,
});
export type OperatorSessionResponse = z.infer<typeof OperatorSessionResponseSchema>;

/** A page of `GET /api/dashboard/handoffs`. */
export const HistoryPageResponseSchema = z.strictObject({
  rows: z.array(HandoffSummarySchema),
  /** Cursor for older rows, when there are more. */
  olderCursor: z.string().nullable(),
  /** Cursor for newer rows, when this is not the first page. */
  newerCursor: z.string().nullable(),
  total: z.int().min(0),
  pageSize: z.int().min(1),
});
export type HistoryPageResponse = z.infer<typeof HistoryPageResponseSchema>;

/** How long the old key (or webhook secret) keeps working beside the new one. */
export const RotateRequestSchema = z.strictObject({
  overlapSeconds: z
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(3600),
});
export type RotateRequest = z.input<typeof RotateRequestSchema>;

export const CreateAgentResponseSchema = z.strictObject({
  agentId: z.string(),
  keyId: z.string(),
  origins: z.array(z.string()),
  /** Shown once: the server keeps only its hash. */
  apiKey: z.string(),
  webhookSecret: z.string().nullable(),
});
export type CreateAgentResponse = z.infer<typeof CreateAgentResponseSchema>;

/** The scope edit: a webhook secret only when the edit set a new webhook URL. */
export const EditAgentResponseSchema = z.strictObject({ ok: z.literal(true), webhookSecret: z.string().nullable() });
export type EditAgentResponse = z.infer<typeof EditAgentResponseSchema>;

export const RotateKeyResponseSchema = z.strictObject({ keyId: z.string(), apiKey: z.string(), oldKeysExpireAt: Iso });
export type RotateKeyResponse = z.infer<typeof RotateKeyResponseSchema>;

export const RevokeAgentResponseSchema = z.strictObject({ ok: z.literal(true), endedHandoffs: z.int().min(0) });
export type RevokeAgentResponse = z.infer<typeof RevokeAgentResponseSchema>;

export const RotateWebhookResponseSchema = z.strictObject({ webhookSecret: z.string(), previousUntil: Iso.nullable() });
export type RotateWebhookResponse = z.infer<typeof RotateWebhookResponseSchema>;

const ChainProblemSchema = z.enum(["edited", "missing_or_reordered", "bad_link"]);

/** `POST /api/dashboard/audit/verify`: the chain's verdict, every break listed (up to a cap) and counted. */
export const ChainVerdictResponseSchema = z.discriminatedUnion("ok", [
  z.strictObject({ ok: z.literal(true), rows: z.int(), head: z.string(), tookMs: z.int(), checkedAt: Iso }),
  z.strictObject({
    ok: z.literal(false),
    rows: z.int(),
    intactBefore: z.int(),
    brokenAt: z.int(),
    problem: ChainProblemSchema,
    breaks: z.array(z.strictObject({ seq: z.int(), problem: ChainProblemSchema })),
    breakCount: z.int(),
    head: z.string(),
    tookMs: z.int(),
    checkedAt: Iso,
  }),
]);
export type ChainVerdictResponse = z.infer<typeof ChainVerdictResponseSchema>;

/** `POST /api/dashboard/audit/export`: the format of the file to download. */
export const ExportAuditRequestSchema = z.strictObject({ format: z.enum(["jsonl", "csv"]).default("jsonl") });
export type ExportAuditRequest = z.input<typeof ExportAuditRequestSchema>;
