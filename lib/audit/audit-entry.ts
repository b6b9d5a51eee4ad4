/**
 * An audit entry: who did what to which handoff, with what decision and why. Agent-supplied
 * strings are stored as data; secrets never enter (no token, key, cookie value or typed text).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./canonical-json";

export const AuditActors = ["agent", "end_user", "operator", "system"] as const;
export type AuditActor = (typeof AuditActors)[number];

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  decision: "allow" | "deny" | "info";
  reason?: string | null;
  handoffId?: string | null;
  agentId?: string | null;
  keyId?: string | null;
  endUserRef?: string | null;
  operatorId?: string | null;
  targetOrigin?: string | null;
  details?: Record<string, unknown>;
}

const nullableText = z.string().nullable();

/** What is hashed: every column of the row but the hash itself, with `at` as an ISO string. */
export const ChainedRecordSchema = z.strictObject({
  seq: z.int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  decision: z.string(),
  reason: nullableText,
  handoffId: nullableText,
  agentId: nullableText,
  keyId: nullableText,
  endUserRef: nullableText,
  operatorId: nullableText,
  targetOrigin: nullableText,
  details: z.string(),
  prevHash: z.string(),
});
export type ChainedRecord = z.infer<typeof ChainedRecordSchema>;

export const GENESIS_HASH = "0".repeat(64);

/** hash = SHA-256(canonical JSON of the record ‖ prevHash). */
export function hashRecord(record: ChainedRecord): string {
  return createHash("sha256").update(canonicalJson(record)).update(record.prevHash).digest("hex");
}
