/**
 * The commands that work on Baton's own database: `agent …`, `audit …` and `operator …`
 * (see main.ts for the usage). Loaded only when one of them runs.
 */
import { parseArgs } from "node:util";
import { parseConfig } from "../config/config";
import { openDatabase } from "../db/open-database";
import { createAgentStore } from "../agents/agent.store";
import { createAuditLog } from "../audit/audit-log";
import { verifyChain } from "../audit/verify-chain";
import { exportAudit } from "../audit/export-audit";
import { AppError } from "../errors/app-error";
import { createOperatorStore } from "../operators/operator.store";
import { generatePassword } from "../operators/password-hash";
import { systemClock } from "../time/clock";
import { FULL_USAGE } from "./usage";
import { createWebhookCli } from "../webhooks/webhook-cli";
import type { CliOutput } from "./output";

const list = (v: string | undefined) =>
  v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export async function runAdminCommand(argv: string[], out: (line: string) => void, output: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      origins: { type: "string" },
      idps: { type: "string" },
      "hand-over": { type: "string" },
      "max-ttl": { type: "string" },
      "max-concurrent": { type: "string" },
      overlap: { type: "string" },
      format: { type: "string", default: "jsonl" },
      email: { type: "string" },
      password: { type: "string" },
      webhook: { type: "string" },
      url: { type: "string" },
      clear: { type: "boolean" },
      "rotate-secret": { type: "boolean" },
    },
  });
  const [group, command, target] = positionals;
  const config = parseConfig(process.env);
  const database = await openDatabase(config.databaseUrl);
  const audit = createAuditLog(database.db, systemClock);
  const agents = createAgentStore(database.db, audit, systemClock);
  const webhooks = createWebhookCli(database.db, audit, systemClock, config);
  try {
    if (group === "agent" && command === "create") {
      if (!values.name || !values.origins) throw new AppError("BAD_REQUEST", "missing", undefined, "agent create needs --name and --origins");
      if (values.webhook !== undefined) await webhooks.check(values.webhook);
      const created = await agents.create({
        name: values.name,
        origins: list(values.origins),
        identityProviders: list(values.idps),
        handOverSites: list(values["hand-over"]),
        ...(values["max-ttl"] ? { maxTtlSeconds: Number(values["max-ttl"]) } : {}),
        ...(values["max-concurrent"] ? { maxConcurrent: Number(values["max-concurrent"]) } : {}),
      });
      out(`Agent ${created.agentId} created for ${created.origins.join(", ")}.`);
      out("Its API key, shown only this once (store it in your agent's secrets):");
      out(created.apiKey);
      if (values.webhook !== undefined) await webhooks.setOnCreate(created.agentId, values.webhook, out);
      return 0;
    }
    if (group === "agent" && command === "webhook" && target) {
      await webhooks.run(target, values, out);
      return 0;
    }
    if (group === "agent" && command === "list") {
      for (const a of await agents.list()) {
        out(`${a.id}  ${a.name}  ${a.revokedAt ? "REVOKED" : "active"}  origins=${a.origins.join(",")}  keys=${a.keyPrefixes.join(",") || "-"}`);
      }
      return 0;
    }
    if (group === "agent" && command === "rotate" && target) {
      const rotated = await agents.rotate(target, values.overlap ? Number(values.overlap) : 3600);
      out(`New key for ${target}; the old key works until ${rotated.oldKeysExpireAt.toISOString()}. Shown only this once:`);
      out(rotated.apiKey);
      return 0;
    }
    if (group === "agent" && command === "revoke" && target) {
      await agents.revoke(target);
      out(`Agent ${target} revoked: its keys stop working now and a running server ends its live handoffs within a second.`);
      return 0;
    }
    if (group === "audit" && command === "verify") {
      const verdict = await verifyChain(database.db);
      if (verdict.ok) {
        out(`Audit chain intact: ${verdict.rows} rows, head ${verdict.head.slice(0, 16)}…`);
        return 0;
      }
      out(
        `Audit chain BROKEN at seq ${verdict.brokenAt} (${verdict.problem}); ${verdict.intactBefore} rows before it are intact; ${verdict.breakCount} broken in all:`,
      );
      for (const b of verdict.breaks) out(`  seq ${b.seq}: ${b.problem}`);
      if (verdict.breakCount > verdict.breaks.length) out(`  … and ${verdict.breakCount - verdict.breaks.length} more`);
      return 1;
    }
    if (group === "audit" && command === "export") {
      if (values.format !== "jsonl" && values.format !== "csv") throw new AppError("BAD_REQUEST", "format", undefined, "--format must be jsonl or csv");
      for await (const line of exportAudit(database.db, values.format)) await output.record(line);
      return 0;
    }
    if (group === "operator" && command === "create") {
      if (!values.email) throw new AppError("BAD_REQUEST", "missing", undefined, "operator create needs --email");
      // A password given on the command line lands in shell history; a generated one does not.
      const password = values.password ?? generatePassword();
      const operator = await createOperatorStore(database.db, audit, systemClock).create({ email: values.email, password });
      out(`Operator ${operator.id} created for ${operator.email}.`);
      if (!values.password) {
        out("Their password, shown only this once:");
        out(password);
      }
      out(`Sign in at ${config.publicOrigin}/dashboard`);
      return 0;
    }
    if (group === "operator" && command === "list") {
      for (const o of await createOperatorStore(database.db, audit, systemClock).list()) {
        out(`${o.id}  ${o.email}  ${o.isDisabled ? "DISABLED" : o.isLocked ? "LOCKED" : "active"}  last sign-in ${o.lastLoginAt?.toISOString() ?? "never"}`);
      }
      return 0;
    }
    out(FULL_USAGE);
    return 2;
  } finally {
    await database.close();
  }
}
