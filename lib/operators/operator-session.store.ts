/**
 * Server-side operator sessions. The cookie seals a random session token and a CSRF token; only
 * their SHA-256 live here. Every request resolves the row, so revoking it (sign-out) ends the
 * session at once, even for a copied cookie. Sessions have an absolute lifetime and an idle limit.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { AuditLog } from "../audit/audit-log";
import { newId, sameDigest, sha256Hex } from "../auth/secrets";
import type { Db } from "../db/open-database";
import type { Clock } from "../time/clock";
import { neutralizeText } from "../text/neutralize-text";

export const OPERATOR_SESSION = {
  absoluteSeconds: 12 * 3600,
  idleSeconds: 30 * 60,
  /** lastSeenAt is written at most this often, so reads do not each cost a write. */
  touchEverySeconds: 60,
} as const;

export interface IssuedSession {
  sessionId: string;
  /** Sealed into the cookie; never stored. */
  token: string;
  /** Sealed into the cookie and handed to the page; sent back in a header on every mutation. */
  csrfToken: string;
  expiresAt: Date;
}

export interface ActiveSession {
  sessionId: string;
  operatorId: string;
  email: string;
  csrfHash: string;
  expiresAt: Date;
}

export interface SessionEvents {
  revoked: [sessionId: string];
}

export function createOperatorSessionStore(db: Db, audit: AuditLog, clock: Clock) {
  const events = new EventEmitter<SessionEvents>();

  async function issue(operatorId: string): Promise<IssuedSession> {
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + OPERATOR_SESSION.absoluteSeconds * 1000);
    const sessionId = newId("ses");
    await db.operatorSession.create({
      data: { id: sessionId, operatorId, tokenHash: sha256Hex(token), csrfHash: sha256Hex(csrfToken), createdAt: now, expiresAt, lastSeenAt: now },
    });
    return { sessionId, token, csrfToken, expiresAt };
  }

  /**
   * The live session for a cookie's token, or null: unknown, revoked, expired, idle, or its operator
   * disabled. `touch: false` checks without counting as activity (a background recheck is not the operator).
   */
  async function resolve(token: string, options: { touch?: boolean } = {}): Promise<ActiveSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const row = await db.operatorSession.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { operator: true } });
    if (!row || row.revokedAt || row.operator.disabledAt) return null;
    const now = clock.now();
    if (row.expiresAt <= now) return null;
    if (now.getTime() - row.lastSeenAt.getTime() >= OPERATOR_SESSION.idleSeconds * 1000) return null;
    if (options.touch !== false && now.getTime() - row.lastSeenAt.getTime() >= OPERATOR_SESSION.touchEverySeconds * 1000) {
      await db.operatorSession.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastSeenAt: now } });
    }
    return { sessionId: row.id, operatorId: row.operatorId, email: neutralizeText(row.operator.email), csrfHash: row.csrfHash, expiresAt: row.expiresAt };
  }

  function isCsrfValid(session: ActiveSession, presented: string | undefined): boolean {
    return typeof presented === "string" && /^[A-Za-z0-9_-]{43}$/.test(presented) && sameDigest(session.csrfHash, sha256Hex(presented));
  }

  async function revoke(session: ActiveSession): Promise<void> {
    const now = clock.now();
    await audit.write(async (tx, append) => {
      const { count } = await tx.operatorSession.updateMany({ where: { id: session.sessionId, revokedAt: null }, data: { revokedAt: now } });
      if (count === 1)
        await append({
          actor: "operator",
          operatorId: session.operatorId,
          action: "operator.signed_out",
          decision: "info",
          details: { session: session.sessionId },
        });
    });
    events.emit("revoked", session.sessionId);
  }

  return { events, issue, resolve, isCsrfValid, revoke };
}

export type OperatorSessionStore = ReturnType<typeof createOperatorSessionStore>;
