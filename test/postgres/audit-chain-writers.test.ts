/**
 * One audit chain with many writers: several processes (each its own Prisma client and pool, as
 * nodes are) append to one PostgreSQL database at once, and the chain still verifies — every row
 * written, seq without gaps, each linked to the one before. Without the ordering point in the
 * database, two writers read the same head and collide on the next seq.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../lib/audit/verify-chain";
import { openDatabase, type OpenedDatabase } from "../../lib/db/open-database";
import { createDatabase } from "../helpers/postgres-cluster";
import { postgresAdminUrl } from "../helpers/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WRITERS = 4;
const EACH = 60;

interface Writer {
  line(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  go(): void;
  exited: Promise<number | null>;
  stderr(): string;
}

function startWriter(url: string, name: string): Writer {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/children/audit-writer.ts", url, String(EACH), name], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on("line", (text) => {
    lines.push(JSON.parse(text));
    for (const waiter of [...waiters]) waiter();
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  return {
    line: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (waiters.has(check)) reject(new Error(`writer ${name} exited without the line; stderr: ${stderr.slice(-2000)}`));
        });
      }),
    go: () => child.stdin.end("go\n"),
    exited,
    stderr: () => stderr,
  };
}

let url: string;
let database: OpenedDatabase;
beforeAll(async () => {
  url = await createDatabase(postgresAdminUrl());
  database = await openDatabase(url);
});
afterAll(() => database?.close());

describe("the audit chain on PostgreSQL", () => {
  it("stays one verifiable chain with concurrent writers in several processes", { timeout: 120_000 }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, i) => startWriter(url, `w${i}`));
    await Promise.all(writers.map((w) => w.line((l) => l.ready === true)));
    for (const w of writers) w.go();
    const reports = await Promise.all(writers.map((w) => w.line((l) => typeof l.written === "number")));
    expect(await Promise.all(writers.map((w) => w.exited))).toEqual(Array(WRITERS).fill(0));
    expect(reports.map((r) => r.firstFailure)).toEqual(Array(WRITERS).fill(null));
    expect(reports.reduce((n, r) => n + Number(r.written), 0)).toBe(WRITERS * EACH);

    const verdict = await verifyChain(database.db);
    expect(verdict).toMatchObject({ ok: true, rows: WRITERS * EACH });
    // The writers really interleaved: the chain is not one writer's block after another's.
    const order = await database.db.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { details: true } });
    const switches = order.filter((row, i) => i > 0 && row.details.slice(0, 16) !== order[i - 1].details.slice(0, 16)).length;
    expect(switches).toBeGreaterThan(WRITERS);
  });
});
