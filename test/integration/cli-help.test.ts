/**
 * `npm run baton -- …` answers requests for help with usage and exit 0, and an unknown command with
 * usage and exit 2 — all before any configuration is read or database opened.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "baton-cli-help-"));
const dbFile = path.join(dir, "never-created.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function baton(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // SESSION_SECRET too short: reading the configuration would fail, so help must not read it.
    const env = { ...process.env, DATABASE_URL: `file:${dbFile}`, SESSION_SECRET: "short" };
    const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("CLI help", () => {
  it("prints the usage of every command for --help, -h and help, exit 0", async () => {
    const runs = await Promise.all([baton("--help"), baton("-h"), baton("help")]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      for (const command of ["agent create", "audit verify", "operator create", "handoff --cdp", "mcp"]) expect(run.stdout).toContain(command);
    }
    expect(existsSync(dbFile)).toBe(false);
  }, 60_000);

  it("prints one command's usage for help <command> and <command> --help, exit 0", async () => {
    const [helpHandoff, handoffHelp, mcpHelp] = await Promise.all([baton("help", "handoff"), baton("handoff", "--cdp", "x", "--help"), baton("mcp", "--help")]);
    for (const run of [helpHandoff, handoffHelp]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Exit status: 0 completed, 1 error, 2 usage, 3 denied, 4 expired, 5 cancelled, 6 failed");
      expect(run.stdout).not.toContain("agent create");
    }
    expect(mcpHelp).toMatchObject({ code: 0, stdout: expect.stringContaining("request_human_sign_in") });
    expect(existsSync(dbFile)).toBe(false);
  }, 60_000);

  it("prints the usage and exits 2 for an unknown command, and for help on one", async () => {
    const [unknown, helpUnknown] = await Promise.all([baton("frobnicate"), baton("help", "frobnicate")]);
    for (const run of [unknown, helpUnknown]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toContain("usage: npm run baton -- <command>");
    }
    expect(existsSync(dbFile)).toBe(false);
  }, 60_000);

  it("refuses a handoff without --reason with exit 2, naming the flag", async () => {
    const run = await baton("handoff", "--cdp", "http://127.0.0.1:9222");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--reason <text> is required");
  }, 60_000);
});
