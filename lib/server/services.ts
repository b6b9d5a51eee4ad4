/** Builds Baton's services from config, database, clock and logger. No I/O beyond what they do. */
import { createAgentStore } from "../agents/agent.store";
import { createAuditLog } from "../audit/audit-log";
import { createFailureLedger } from "../audit/failure-ledger";
import type { Config } from "../config/config";
import type { Db } from "../db/open-database";
import { createHandoffService } from "../handoffs/handoff-service";
import { createHandoffStore } from "../handoffs/handoff.store";
import type { Logger } from "../logging/logger";
import { createOperatorSessionStore } from "../operators/operator-session.store";
import { createOperatorStore } from "../operators/operator.store";
import { createSignIn } from "../operators/sign-in";
import { createAgentPresence } from "./agent-presence";
import type { Clock } from "../time/clock";
import type { OperatorCookieOptions } from "./operator-cookie";
import type { PhoneSessionOptions } from "./phone-session";
import { createAuthThrottle } from "./auth-throttle";
import { createSharedRateLimiter } from "./rate-limiter";
import { createCluster } from "../cluster/cluster";
import { createLeases } from "../cluster/lease";
import { resolveSessionPasswords } from "./session-secret";
import { createAgentWebhookStore } from "../webhooks/agent-webhook.store";
import { createWebhookWorker } from "../webhooks/webhook-worker";
import { resolveWebhookSealKey } from "../webhooks/webhook-secret";
import { type Resolve, systemResolve } from "../webhooks/webhook-url";

/** `resolve`: name resolution for webhook URLs (tests pass their own DNS answers). */
export function createServices(deps: { config: Config; db: Db; clock: Clock; logger: Logger; resolve?: Resolve }) {
  const { config, db, clock, logger } = deps;
  /** Redis when several nodes share the work (REDIS_URL); memory otherwise. */
  const cluster = createCluster({ redisUrl: config.redisUrl, clock, logger });
  const { counters } = cluster;
  const audit = createAuditLog(db, clock);
  /** Unauthenticated failures, one row per address per minute (failure-ledger.ts). */
  const failures = createFailureLedger(audit, clock, { windowMs: 60_000 });
  /** Past 30 bad keys a minute from one address, unknown keys from it are refused without a lookup. */
  const authThrottle = createAuthThrottle(counters, { failuresPerWindow: 30, windowMs: 60_000 });
  const agents = createAgentStore(db, audit, clock);
  const store = createHandoffStore(db, audit, clock);
  const handoffs = createHandoffService({ config, store, audit, clock, counters, logger });
  const agentPresence = createAgentPresence({ store, clock, logger });
  const sessionPasswords = resolveSessionPasswords(config.sessionSecret, config.dataDir);
  const phoneSession: PhoneSessionOptions = {
    passwords: sessionPasswords,
    isHttps: config.isHttps,
    ttlSeconds: config.linkTtlSeconds + config.sessionMaxSeconds + 60,
  };
  const resolve = deps.resolve ?? systemResolve;
  const { allowedPrivateOrigins, secretKey, timeoutMs } = config.webhooks;
  const sealKey = resolveWebhookSealKey(secretKey, config.dataDir);
  const webhooks = createAgentWebhookStore({ db, audit, clock, sealKey, allowedPrivateOrigins, resolve });
  /** The sweep's lease: one node ends due handoffs and sends webhooks for all (create-baton-server.ts). */
  const leadership = { isLeader: !cluster.isShared };
  const leases = createLeases(db, clock);
  const webhookWorker = createWebhookWorker({ audit, clock, logger, webhooks, allowedPrivateOrigins, resolve, timeoutMs, isActive: () => leadership.isLeader });
  const operators = createOperatorStore(db, audit, clock);
  const operatorSessions = createOperatorSessionStore(db, audit, clock);
  const operatorSignIn = createSignIn(db, audit, clock, failures).signIn;
  const operatorCookie: OperatorCookieOptions = { passwords: sessionPasswords, isHttps: config.isHttps };
  const limits = {
    creates: createSharedRateLimiter(counters, "creates", config.rates.createsPerMinute, 60_000),
    claims: createSharedRateLimiter(counters, "claims", config.rates.claimsPerMinute, 60_000),
    /** Sign-in attempts per client address, on top of the per-account lockout. */
    signIns: createSharedRateLimiter(counters, "sign-ins", 30, 60_000),
  };
  return {
    config,
    cluster,
    db,
    clock,
    logger,
    audit,
    failures,
    authThrottle,
    agents,
    store,
    handoffs,
    agentPresence,
    phoneSession,
    limits,
    operators,
    operatorSessions,
    operatorSignIn,
    operatorCookie,
    webhooks,
    webhookWorker,
    leadership,
    leases,
  };
}

export type Services = ReturnType<typeof createServices>;
