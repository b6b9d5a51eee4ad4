/**
 * The CLI's webhook commands on a temp SQLite file: a refused URL leaves no agent behind, the
 * secret is printed once and stored only sealed, rotation prints a new one, clearing stops it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SECRET_LINE = /^whsec_[A-Za-z0-9+/]{43}=$/m;
const dir = mkdtempSync(path.join(tmpdir(), "baton-webhook-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function baton(dbFile: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], {
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

const ALLOWED = { WEBHOOK_ALLOWED_PRIVATE_ORIGINS: "http://127.0.0.1:9" };
/** Each spawn costs a second or more (several on a busy machine), and these run a few in a row. */
const SPAWNS_TIMEOUT = 120_000;

it(
  "refuses a loopback webhook URL that is not allowed, and creates no agent then",
  async () => {
    const db = path.join(dir, "refused.db");
    const refused = await baton(db, {}, "agent", "create", "--name", "A", "--origins", "https://bank.example", "--webhook", "http://127.0.0.1:9/hook");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Webhook URL refused");
    expect(refused.stdout).not.toMatch(/bat_/);
    expect((await baton(db, {}, "agent", "list")).stdout.trim()).toBe("");
  },
  SPAWNS_TIMEOUT,
);

it(
  "prints the secret once at creation and on rotation, stores it only sealed, and clears the webhook",
  async () => {
    const db = path.join(dir, "allowed.db");
    const created = await baton(db, ALLOWED, "agent", "create", "--name", "A", "--origins", "https://bank.example", "--webhook", "http://127.0.0.1:9/hook");
    expect(created.code).toBe(0);
    const secret = SECRET_LINE.exec(created.stdout)?.[0];
    expect(secret).toBeDefined();
    const agentId = /Agent (agt_\S+) created/.exec(created.stdout)![1];

    const rotated = await baton(db, ALLOWED, "agent", "webhook", agentId, "--rotate-secret");
    expect(rotated.code).toBe(0);
    const next = SECRET_LINE.exec(rotated.stdout)?.[0];
    expect(next).toBeDefined();
    expect(next).not.toBe(secret);

    const bytes = Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    for (const s of [secret!, next!]) expect(bytes.includes(Buffer.from(s.slice(6)))).toBe(false);

    const cleared = await baton(db, ALLOWED, "agent", "webhook", agentId, "--clear");
    expect(cleared.code).toBe(0);
    const again = await baton(db, ALLOWED, "agent", "webhook", agentId, "--rotate-secret");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no webhook");
  },
  SPAWNS_TIMEOUT,
);
