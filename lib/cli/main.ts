/**
 * `npm run baton -- <command>`: manage agents and the audit log on the configured database.
 *
 *   agent create --name <n> --origins <o,…> [--idps <site,…>] [--hand-over <site,…>] [--max-ttl <s>] [--max-concurrent <n>]
 *   agent list
 *   agent rotate <agentId> [--overlap <seconds>]
 *   agent revoke <agentId>
 *   audit verify
 *   audit export [--format jsonl|csv]
 *   operator create --email <e> [--password <p>]   (no --password: one is generated and shown once)
 *   operator list
 *   handoff --cdp <endpoint> --reason <text> …   (the CDP sidecar: lib/cli/handoff-command.ts)
 *   mcp [--cdp <endpoint>]                        (the MCP server: lib/mcp)
 *   help [command] | <command> --help
 */
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { ConfigError, parseConfig } from "../config/config";
import { openDatabase } from "../db/open-database";
import { createAgentStore } from "../agents/agent.store";
import { createAuditLog } from "../audit/audit-log";
import { verifyChain } from "../audit/verify-chain";
import { exportAudit } from "../audit/export-audit";
import { AppError } from "../errors/app-error";
import { createOperatorStore } from "../operators/operator.store";
import { generatePassword } from "../operators/password-hash";
import { systemClock } from "../server/clock";
import { runHandoffCommand } from "./handoff-command";
import { runMcpCommand } from "./mcp-command";
import { FULL_USAGE, usageFor } from "./usage";

const list = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []);

async function run(argv: string[], out: (line: string) => void): Promise<number> {
  const usage = usageFor(argv);
  if (usage) {
    out(usage.text);
    return usage.code;
  }
  // These two drive an agent's browser through the SDK and never open the database.
  const io = { out, err: (line: string) => void process.stderr.write(`${line}\n`), env: process.env };
  if (argv[0] === "handoff") return runHandoffCommand(argv.slice(1), io);
  if (argv[0] === "mcp") return runMcpCommand(argv.slice(1), io);
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
    },
  });
  const [group, command, target] = positionals;
  const config = parseConfig(process.env);
  const database = await openDatabase(config.databaseUrl);
  const audit = createAuditLog(database.db, systemClock);
  const agents = createAgentStore(database.db, audit, systemClock);
  try {
    if (group === "agent" && command === "create") {
      if (!values.name || !values.origins) throw new AppError("BAD_REQUEST", "missing", undefined, "agent create needs --name and --origins");
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
      out(`Audit chain BROKEN at seq ${verdict.brokenAt} (${verdict.problem}); ${verdict.rows} rows before it are intact.`);
      return 1;
    }
    if (group === "audit" && command === "export") {
      if (values.format !== "jsonl" && values.format !== "csv") throw new AppError("BAD_REQUEST", "format", undefined, "--format must be jsonl or csv");
      for await (const line of exportAudit(database.db, values.format)) out(line);
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

run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof AppError) process.stderr.write(`error: ${error.publicMessage}\n`);
    else if (error instanceof ZodError) process.stderr.write(`error: ${error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}\n`);
    else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
