/**
 * An audit entry: who did what to which handoff, with what decision and why. Agent-supplied
 * strings are stored as data; secrets never enter (no token, key, cookie value or typed text).
 */
import { createHash } from "node:crypto";
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

export interface ChainedRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  decision: string;
  reason: string | null;
  handoffId: string | null;
  agentId: string | null;
  keyId: string | null;
  endUserRef: string | null;
  operatorId: string | null;
  targetOrigin: string | null;
  details: string;
  prevHash: string;
}

export const GENESIS_HASH = "0".repeat(64);

/** hash = SHA-256(canonical JSON of the record ‖ prevHash). */
export function hashRecord(record: ChainedRecord): string {
  return createHash("sha256").update(canonicalJson(record)).update(record.prevHash).digest("hex");
}
