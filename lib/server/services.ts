/** Builds Baton's services from config, database, clock and logger. No I/O beyond what they do. */
import path from "node:path";
import { createAgentStore } from "../agents/agent.store";
import { createAuditLog } from "../audit/audit-log";
import type { Config } from "../config/config";
import { type Db, sqlitePath } from "../db/open-database";
import { createHandoffService } from "../handoffs/handoff-service";
import { createHandoffStore } from "../handoffs/handoff.store";
import type { Logger } from "../logging/logger";
import type { Clock } from "./clock";
import type { PhoneSessionOptions } from "./phone-session";
import { createRateLimiter } from "./rate-limiter";
import { resolveSessionPasswords } from "./session-secret";

export function createServices(deps: { config: Config; db: Db; clock: Clock; logger: Logger }) {
  const { config, db, clock, logger } = deps;
  const audit = createAuditLog(db, clock);
  const agents = createAgentStore(db, audit, clock);
  const store = createHandoffStore(db, audit, clock);
  const handoffs = createHandoffService({ config, store, audit, clock });
  const phoneSession: PhoneSessionOptions = {
    passwords: resolveSessionPasswords(config.sessionSecret, path.dirname(sqlitePath(config.databaseUrl))),
    isHttps: config.isHttps,
    ttlSeconds: config.linkTtlSeconds + config.sessionMaxSeconds + 60,
  };
  const limits = {
    creates: createRateLimiter(config.rates.createsPerMinute, 60_000, clock),
    claims: createRateLimiter(config.rates.claimsPerMinute, 60_000, clock),
  };
  return { config, db, clock, logger, audit, agents, store, handoffs, phoneSession, limits };
}

export type Services = ReturnType<typeof createServices>;
