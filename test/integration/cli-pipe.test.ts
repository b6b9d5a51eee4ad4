/**
 * Issue 14.11 and the CLI's share of 14.4, 14.7 and 14.8: the CLI run as a child process on a
 * temp SQLite file. An export through a pipe to a slow reader keeps every row (it used to exit
 * before stdout drained), `audit verify` lists every broken row, old rows cannot drive the
 * terminal, and a public suffix is no identity provider.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentStore } from "../../lib/agents/agent.store";
import { createAuditLog } from "../../lib/audit/audit-log";
import { openDatabase } from "../../lib/db/open-database";
import { systemClock } from "../../lib/time/clock";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ROWS = 400;
/** Escapes a terminal would act on, and the bidi controls that reorder a line. */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Reads its stdin slowly (a pause after every chunk) and prints how many lines it got. */
const SLOW_READER = `let lines = 0;
process.stdin.on("data", (chunk) => {
  for (const byte of chunk) if (byte === 10) lines += 1;
  process.stdin.pause();
  setTimeout(() => process.stdin.resume(), 3);
});
process.stdin.on("end", () => process.stdout.write(String(lines)));`;

let dir: string;
let dbFile: string;
let readerFile: string;

function run(command: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `set -o pipefail; ${command}`], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${dbFile}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
const baton = (args: string, env?: Record<string, string>) => run(`node --import tsx lib/cli/main.ts ${args}`, env);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "baton-cli-pipe-"));
  dbFile = path.join(dir, "baton.db");
  readerFile = path.join(dir, "slow-reader.cjs");
  writeFileSync(readerFile, SLOW_READER);
  const database = await openDatabase(`file:${dbFile}`);
  const audit = createAuditLog(database.db, systemClock);
  // About 1 MB of export: far more than a pipe buffers.
  await createAgentStore(database.db, audit, systemClock).create({ name: "Pipe agent", origins: ["https://a.test"] });
  for (let i = 1; i < ROWS; i++) await audit.append({ actor: "system", action: "test.filler", decision: "info", details: { i, padding: "p".repeat(2000) } });
  await database.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("CLI output", () => {
  it("exports every row through a pipe to a slow reader, in both formats, and exits 0", async () => {
    const [jsonl, csv] = await Promise.all([
      run(`node --import tsx lib/cli/main.ts audit export --format jsonl | node ${readerFile}`),
      run(`node --import tsx lib/cli/main.ts audit export --format csv | node ${readerFile}`),
    ]);
    expect(jsonl).toMatchObject({ code: 0, stdout: String(ROWS) });
    expect(csv).toMatchObject({ code: 0, stdout: String(ROWS + 1) });
  }, 120_000);

  it("lists every broken row in `audit verify`, not only the first", async () => {
    const raw = new Database(dbFile);
    raw.prepare(`UPDATE "AuditEvent" SET "reason" = 'edited' WHERE "seq" IN (3, 250)`).run();
    raw.prepare(`DELETE FROM "AuditEvent" WHERE "seq" = 120`).run();
    raw.close();
    const verify = await baton("audit verify");
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^Audit chain BROKEN at seq 3 \(edited\); 2 rows before it are intact; 3 broken in all:/);
    expect(verify.stdout.split("\n").filter((l) => l.startsWith("  seq "))).toEqual([
      "  seq 3: edited",
      "  seq 120: missing_or_reordered",
      "  seq 250: edited",
    ]);
  }, 60_000);

  it("prints old rows to the terminal without their escapes: no ANSI, OSC 8, NUL, C1 or bidi control reaches it", async () => {
    const raw = new Database(dbFile);
    raw.prepare(`UPDATE "Agent" SET "name" = ?`).run("Pipe\u001b[2J\u001b]8;;https://evil.test\u0007agent\u001b]8;;\u0007\u0000\u009b31m \u202Egnp.exe");
    raw.close();
    const listed = await baton("agent list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("Pipe\ufffd[2J\ufffd]8;;https://evil.test\ufffdagent");
    expect(listed.stdout).not.toMatch(TERMINAL_UNSAFE);
  }, 60_000);

  it("refuses a public suffix or an IP address in --idps, saying why", async () => {
    const cases = [
      ["co.uk", /public suffix/],
      ["github.io", /public suffix/],
      ["com", /public suffix/],
      ["127.0.0.1", /IP address/],
    ] as const;
    const runs = await Promise.all(cases.map(([idp]) => baton(`agent create --name Suffix --origins https://a.test --idps ${idp}`)));
    runs.forEach((created, i) => {
      const [idp, reason] = cases[i];
      expect(created.code, idp).toBe(1);
      expect(created.stderr, idp).toMatch(reason);
      expect(created.stdout, idp).not.toMatch(/bat_/);
    });
  }, 120_000);
});
