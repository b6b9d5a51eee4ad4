/**
 * Agents and their API keys. A key is shown once at creation and stored only as its SHA-256;
 * a rotated key keeps working for an overlap window; a revoked agent's keys stop at once.
 */
import { z } from "zod";
import type { AuditLog } from "../audit/audit-log";
import type { Db } from "../db/open-database";
import { AppError } from "../errors/app-error";
import type { Clock } from "../time/clock";
import { API_KEY_PATTERN, newApiKey, newId, sameDigest, sha256Hex } from "../auth/secrets";
import { normalizeOrigin } from "../policy/target";
import { RegistrableSiteSchema } from "../protocol/site-name";
import { neutralizeText } from "../text/neutralize-text";
import { SafeText } from "../text/safe-text";

const AgentScopeFields = z.strictObject({
  name: SafeText(80),
  origins: z.array(z.string().max(2048)).min(1).max(50),
  /** Sites a handoff page may visit to sign in; registrable domains only (the worker confines by site). */
  identityProviders: z.array(RegistrableSiteSchema).max(20).default([]),
  /** Further sites of the same service whose cookies may be handed over with the target's (rare). */
  handOverSites: z.array(RegistrableSiteSchema).max(20).default([]),
  maxTtlSeconds: z.int().min(30).max(3600).default(600),
  maxConcurrent: z.int().min(1).max(100).default(3),
});

export const AgentScopeSchema = AgentScopeFields.refine((s) => !s.handOverSites.some((site) => s.identityProviders.includes(site)), {
  message: "a site is either an identity provider (visited) or handed over, never both",
  path: ["handOverSites"],
});
export type AgentScopeInput = z.input<typeof AgentScopeSchema>;

/** An edit of an agent's scope: every field optional, the same bounds as at creation. */
export const AgentScopeUpdateSchema = AgentScopeFields.partial();
export type AgentScopeUpdate = z.input<typeof AgentScopeUpdateSchema>;

export interface AgentPrincipal {
  agentId: string;
  keyId: string;
  name: string;
  allowedOrigins: string[];
  allowedIdps: string[];
  allowedHandOver: string[];
  maxTtlSeconds: number;
  maxConcurrent: number;
}

const StringArray = z.array(z.string());

/** The agent's scope columns, stored as JSON lists, read with their schema: the one parse of an agent row. */
function parseAgentScope(row: { id: string; allowedOrigins: string; allowedIdps: string; allowedHandOver: string }) {
  const list = (column: string, text: string): string[] => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError("INTERNAL", `agent ${row.id}: ${column} is not JSON`);
    }
    const parsed = StringArray.safeParse(raw);
    if (!parsed.success) throw new AppError("INTERNAL", `agent ${row.id}: ${column} is not a list of names`);
    return parsed.data;
  };
  return {
    origins: list("allowedOrigins", row.allowedOrigins),
    identityProviders: list("allowedIdps", row.allowedIdps),
    handOverSites: list("allowedHandOver", row.allowedHandOver),
  };
}

export function createAgentStore(db: Db, audit: AuditLog, clock: Clock) {
  function checkedOrigins(origins: string[]): string[] {
    return origins.map((o) => {
      const origin = normalizeOrigin(o);
      if (!origin || origin !== o.replace(/\/$/, "")) {
        throw new AppError(
          "BAD_REQUEST",
          "bad origin",
          { origin: neutralizeText(o.slice(0, 200)) },
          `Not an origin: "${neutralizeText(o.slice(0, 200))}" (expected scheme://host[:port]).`,
        );
      }
      return origin;
    });
  }

  async function create(input: AgentScopeInput, operatorId: string | null = null) {
    const scope = AgentScopeSchema.parse(input);
    const origins = checkedOrigins(scope.origins);
    const agentId = newId("agt");
    const keyId = newId("key");
    const apiKey = newApiKey();
    const now = clock.now();
    await audit.write(async (tx, append) => {
      await tx.agent.create({
        data: {
          id: agentId,
          name: scope.name,
          allowedOrigins: JSON.stringify(origins),
          allowedIdps: JSON.stringify(scope.identityProviders),
          allowedHandOver: JSON.stringify(scope.handOverSites),
          maxTtlSeconds: scope.maxTtlSeconds,
          maxConcurrent: scope.maxConcurrent,
          createdAt: now,
        },
      });
      await tx.agentKey.create({ data: { id: keyId, agentId, prefix: apiKey.slice(0, 8), hash: sha256Hex(apiKey), createdAt: now } });
      await append({
        actor: operatorId ? "operator" : "system",
        operatorId,
        action: "agent.created",
        decision: "allow",
        agentId,
        keyId,
        details: { name: scope.name, origins, identityProviders: scope.identityProviders, handOverSites: scope.handOverSites },
      });
    });
    return { agentId, keyId, apiKey, origins };
  }

  /** Returns the principal for a valid, unrevoked, unexpired key, or null. */
  async function authenticate(apiKey: string): Promise<AgentPrincipal | null> {
    if (!API_KEY_PATTERN.test(apiKey)) return null;
    const hash = sha256Hex(apiKey);
    const key = await db.agentKey.findUnique({ where: { hash }, include: { agent: true } });
    if (!key || !sameDigest(key.hash, hash)) return null;
    const now = clock.now();
    if (key.revokedAt || key.agent.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
    const scope = parseAgentScope(key.agent);
    return {
      agentId: key.agentId,
      keyId: key.id,
      name: key.agent.name,
      allowedOrigins: scope.origins,
      allowedIdps: scope.identityProviders,
      allowedHandOver: scope.handOverSites,
      maxTtlSeconds: key.agent.maxTtlSeconds,
      maxConcurrent: key.agent.maxConcurrent,
    };
  }

  /** A new key; the old ones keep working for `overlapSeconds`, then stop. */
  async function rotate(agentId: string, overlapSeconds = 3600, operatorId: string | null = null) {
    const agent = await db.agent.findUnique({ where: { id: agentId } });
    if (!agent || agent.revokedAt) throw new AppError("NOT_FOUND", "no such active agent");
    const keyId = newId("key");
    const apiKey = newApiKey();
    const now = clock.now();
    const until = new Date(now.getTime() + overlapSeconds * 1000);
    await audit.write(async (tx, append) => {
      await tx.agentKey.updateMany({
        where: { agentId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: until } }] },
        data: { expiresAt: until },
      });
      await tx.agentKey.create({ data: { id: keyId, agentId, prefix: apiKey.slice(0, 8), hash: sha256Hex(apiKey), createdAt: now } });
      await append({
        actor: operatorId ? "operator" : "system",
        operatorId,
        action: "agent.key_rotated",
        decision: "allow",
        agentId,
        keyId,
        details: { overlapSeconds },
      });
    });
    return { keyId, apiKey, oldKeysExpireAt: until };
  }

  async function revoke(agentId: string, operatorId: string | null = null) {
    const now = clock.now();
    const changed = await audit.write(async (tx, append) => {
      const { count } = await tx.agent.updateMany({ where: { id: agentId, revokedAt: null }, data: { revokedAt: now } });
      if (count === 0) return false;
      await tx.agentKey.updateMany({ where: { agentId, revokedAt: null }, data: { revokedAt: now } });
      await append({ actor: operatorId ? "operator" : "system", operatorId, action: "agent.revoked", decision: "allow", agentId });
      return true;
    });
    if (!changed) throw new AppError("NOT_FOUND", "no such active agent");
  }

  /**
   * Changes an agent's scope for handoffs it creates from now on. Handoffs already made keep the
   * target and identity providers fixed at their creation.
   */
  async function updateScope(agentId: string, input: AgentScopeUpdate, operatorId: string | null = null) {
    const scope = AgentScopeUpdateSchema.parse(input);
    const origins = scope.origins ? checkedOrigins(scope.origins) : undefined;
    const changed = await audit.write(async (tx, append) => {
      const { count } = await tx.agent.updateMany({
        where: { id: agentId, revokedAt: null },
        data: {
          ...(scope.name !== undefined ? { name: scope.name } : {}),
          ...(origins ? { allowedOrigins: JSON.stringify(origins) } : {}),
          ...(scope.identityProviders ? { allowedIdps: JSON.stringify(scope.identityProviders) } : {}),
          ...(scope.handOverSites ? { allowedHandOver: JSON.stringify(scope.handOverSites) } : {}),
          ...(scope.maxTtlSeconds !== undefined ? { maxTtlSeconds: scope.maxTtlSeconds } : {}),
          ...(scope.maxConcurrent !== undefined ? { maxConcurrent: scope.maxConcurrent } : {}),
        },
      });
      if (count === 0) return false;
      await append({
        actor: operatorId ? "operator" : "system",
        operatorId,
        action: "agent.scope_changed",
        decision: "allow",
        agentId,
        details: { ...scope, ...(origins ? { origins } : {}) },
      });
      return true;
    });
    if (!changed) throw new AppError("NOT_FOUND", "no such active agent");
  }

  async function list() {
    const agents = await db.agent.findMany({ orderBy: { createdAt: "asc" }, include: { keys: { where: { revokedAt: null } } } });
    return agents.map((a) => ({
      id: a.id,
      name: a.name,
      ...parseAgentScope(a),
      maxTtlSeconds: a.maxTtlSeconds,
      maxConcurrent: a.maxConcurrent,
      createdAt: a.createdAt,
      revokedAt: a.revokedAt,
      keyPrefixes: a.keys.map((k) => `${k.prefix}…`),
    }));
  }

  return { create, authenticate, rotate, revoke, updateScope, list };
}

export type AgentStore = ReturnType<typeof createAgentStore>;
