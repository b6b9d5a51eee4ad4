/** Builds Baton's services from config, database, clock and logger. No I/O beyond what they do. */
import path from "node:path";
import { createAgentStore } from "../agents/agent.store";
import { createAuditLog } from "../audit/audit-log";
import type { Config } from "../config/config";
import { type Db, sqlitePath } from "../db/open-database";
import { createHandoffService } from "../handoffs/handoff-service";
import { createHandoffStore } from "../handoffs/handoff.store";
import type { Logger } from "../logging/logger";
import { createOperatorSessionStore } from "../operators/operator-session.store";
import { createOperatorStore } from "../operators/operator.store";
import { createSignIn } from "../operators/sign-in";
import { createAgentPresence } from "./agent-presence";
import type { Clock } from "./clock";
import type { OperatorCookieOptions } from "./operator-cookie";
import type { PhoneSessionOptions } from "./phone-session";
import { createRateLimiter } from "./rate-limiter";
import { resolveSessionPasswords } from "./session-secret";

export function createServices(deps: { config: Config; db: Db; clock: Clock; logger: Logger }) {
  const { config, db, clock, logger } = deps;
  const audit = createAuditLog(db, clock);
  const agents = createAgentStore(db, audit, clock);
  const store = createHandoffStore(db, audit, clock);
  const handoffs = createHandoffService({ config, store, audit, clock });
  const agentPresence = createAgentPresence({ store, clock, logger });
  const sessionPasswords = resolveSessionPasswords(config.sessionSecret, path.dirname(sqlitePath(config.databaseUrl)));
  const phoneSession: PhoneSessionOptions = {
    passwords: sessionPasswords,
    isHttps: config.isHttps,
    ttlSeconds: config.linkTtlSeconds + config.sessionMaxSeconds + 60,
  };
  const operators = createOperatorStore(db, audit, clock);
  const operatorSessions = createOperatorSessionStore(db, audit, clock);
  const operatorSignIn = createSignIn(db, audit, clock).signIn;
  const operatorCookie: OperatorCookieOptions = { passwords: sessionPasswords, isHttps: config.isHttps };
  const limits = {
    creates: createRateLimiter(config.rates.createsPerMinute, 60_000, clock),
    claims: createRateLimiter(config.rates.claimsPerMinute, 60_000, clock),
    /** Sign-in attempts per client address, on top of the per-account lockout. */
    signIns: createRateLimiter(30, 60_000, clock),
  };
  return { config, db, clock, logger, audit, agents, store, handoffs, agentPresence, phoneSession, limits, operators, operatorSessions, operatorSignIn, operatorCookie };
}

export type Services = ReturnType<typeof createServices>;
