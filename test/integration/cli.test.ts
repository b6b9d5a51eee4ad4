/**
 * The operator CLI (`npm run baton -- …`) run as a child process on a temp SQLite file: keys are
 * shown once and stored hashed, revocation bites a running server at once, and the audit verifier
 * and exports work on the real file. Each spawn costs about a second, so independent ones run
 * side by side.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../lib/auth/secrets";
import { fromBase64Url } from "../../lib/crypto/base64url";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer } from "../helpers/test-server";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const KEY_LINE = /^bat_[A-Za-z0-9_-]{43,}$/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baton(dbFile: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
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

/** The database file and its write-ahead log, as bytes: every place a row can sit on disk. */
function databaseBytes(dbFile: string): Buffer {
  return Buffer.concat([dbFile, `${dbFile}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

/** A copy of the (closed) database with one tampering applied through the SQLite driver. */
function tamperedCopy(dbFile: string, name: string, sql: string[]): string {
  const copy = path.join(path.dirname(dbFile), `${name}.db`);
  copyFileSync(dbFile, copy);
  if (existsSync(`${dbFile}-wal`)) copyFileSync(`${dbFile}-wal`, `${copy}-wal`);
  const raw = new Database(copy);
  try {
    raw.transaction(() => sql.forEach((s) => raw.prepare(s).run()))();
  } finally {
    raw.close();
  }
  return copy;
}

let dir: string;
let dbFile: string;
let created: Run;
let apiKey: string;
let agentId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "baton-cli-"));
  dbFile = path.join(dir, "baton.db");
  created = await baton(dbFile, "agent", "create", "--name", "CLI agent", "--origins", "https://a.test");
  apiKey = created.stdout.split("\n").find((l) => KEY_LINE.test(l)) ?? "";
  agentId = /Agent (agt_\S+) created/.exec(created.stdout)?.[1] ?? "";
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("baton CLI", () => {
  it("prints a new agent's key once, on its own line, with at least 128 random bits; stores only its SHA-256; never lists it", async () => {
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout.split("\n").filter((l) => KEY_LINE.test(l))).toEqual([apiKey]);
    expect(agentId).toMatch(/^agt_/);
    const random = fromBase64Url(apiKey.slice("bat_".length));
    expect(random?.length).toBeGreaterThanOrEqual(16);

    const bytes = databaseBytes(dbFile);
    expect(bytes.includes(apiKey)).toBe(false);
    expect(bytes.includes(apiKey.slice("bat_".length))).toBe(false);
    expect(bytes.includes(sha256Hex(apiKey))).toBe(true);

    const listed = await baton(dbFile, "agent", "list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(agentId);
    expect(listed.stdout).not.toContain(apiKey.slice("bat_".length));
  });

  it("revokes an agent so a running server refuses its key at once and ends its active handoffs", async () => {
    const server = await startTestServer({ env: { DATABASE_URL: `file:${dbFile}` } });
    try {
      const create = () =>
        fetch(new URL("/api/handoffs", server.url), {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ loginUrl: "https://a.test/login", reason: "Read statements" }),
        });
      const first = await create();
      expect(first.status).toBe(201);
      const handoff = (await first.json()) as { id: string; linkPath: string };
      const phone = new NodePhone(server.url, `${server.url}${handoff.linkPath}#k=x`);
      expect((await phone.claim()).status).toBe(200);

      const revoked = await baton(dbFile, "agent", "revoke", agentId);
      expect(revoked.code).toBe(0);
      // No cache between the CLI's write and the server's next request.
      expect((await create()).status).toBe(401);
      const deadline = Date.now() + 3000;
      let row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: handoff.id } });
      while (row.state !== "failed" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: handoff.id } });
      }
      expect(row).toMatchObject({ state: "failed", endReason: "agent_revoked" });

      // The key was used over the API: it still sits in no log line and no database byte.
      expect(server.logLines.join("\n")).not.toContain(apiKey);
      expect(databaseBytes(dbFile).includes(apiKey)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("verifies a clean audit chain with exit 0, and exits non-zero naming the first broken seq after an edit, a deletion or a reordering", async () => {
    const rows = new Database(dbFile, { readonly: true });
    const count = (rows.prepare('SELECT COUNT(*) AS n FROM "AuditEvent"').get() as { n: number }).n;
    rows.close();
    expect(count).toBeGreaterThanOrEqual(5);

    const edited = tamperedCopy(dbFile, "edited", [`UPDATE "AuditEvent" SET "reason" = 'nothing to see' WHERE "seq" = 3`]);
    const deleted = tamperedCopy(dbFile, "deleted", [`DELETE FROM "AuditEvent" WHERE "seq" = 2`]);
    const reordered = tamperedCopy(dbFile, "reordered", [
      `UPDATE "AuditEvent" SET "seq" = -1 WHERE "seq" = 4`,
      `UPDATE "AuditEvent" SET "seq" = 4 WHERE "seq" = 5`,
      `UPDATE "AuditEvent" SET "seq" = 5 WHERE "seq" = -1`,
    ]);
    const [clean, ...broken] = await Promise.all([dbFile, edited, deleted, reordered].map((f) => baton(f, "audit", "verify")));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(new RegExp(`^Audit chain intact: ${count} rows`));
    expect(broken.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(broken.map((r) => /BROKEN at seq (\d+)/.exec(r.stdout)?.[1])).toEqual(["3", "2", "4"]);
  });

  it("exports the audit log as JSON Lines (seq, prevHash, hash per line) and as CSV with a header and the same rows", async () => {
    const [jsonl, csv] = await Promise.all([baton(dbFile, "audit", "export", "--format", "jsonl"), baton(dbFile, "audit", "export", "--format", "csv")]);
    expect([jsonl.code, csv.code]).toEqual([0, 0]);
    const lines = jsonl.stdout.trimEnd().split("\n");
    const records = lines.map((l) => JSON.parse(l) as { seq: number; prevHash: string; hash: string });
    expect(records.length).toBeGreaterThanOrEqual(5);
    records.forEach((r, i) => {
      expect(r.seq).toBe(i + 1);
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.prevHash).toBe(i === 0 ? "0".repeat(64) : records[i - 1].hash);
    });
    const [header, ...rows] = csv.stdout.trimEnd().split("\n");
    expect(header.split(",")).toEqual(expect.arrayContaining(["seq", "prevHash", "hash"]));
    expect(rows).toHaveLength(records.length);
    expect(rows.map((r) => Number(r.split(",")[0]))).toEqual(records.map((r) => r.seq));
  });
});
