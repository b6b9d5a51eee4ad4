/** The README's quick start: `npm run demo -- --auto` runs the whole path unattended and ends well. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

async function runDemo(args: string[], port: string, dir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/demo/run-demo.ts", ...args], {
    env: { ...process.env, PORT: port, DATABASE_URL: `file:${path.join(dir, "baton.db")}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 140_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output };
}

test("the demo runs the whole path unattended: wall, link, phone sign-in, protected data", async () => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(path.join(tmpdir(), "baton-demo-"));
  const { code, output } = await runDemo(["--auto"], process.env.BATON_DEMO_TEST_PORT ?? "3331", dir);
  expect(output).toContain("handoff is now completed");
  expect(output).toContain("The agent reads the protected page: Balance: 1,234.56 EUR");
  expect(output).toContain("Demo complete.");
  expect(code, output.slice(-2000)).toBe(0);
});

test("the demo with --tls serves https with a certificate made at run time, and the whole path still works", async () => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(path.join(tmpdir(), "baton-demo-tls-"));
  const port = process.env.BATON_DEMO_TLS_TEST_PORT ?? "3332";
  const { code, output } = await runDemo(["--tls", "--auto"], port, dir);
  expect(output).toContain(`Starting Baton on https://127.0.0.1:${port}`);
  expect(output).toMatch(new RegExp(`https://127\\.0\\.0\\.1:${port}/h/`));
  expect(output).toContain("Demo complete.");
  expect(code, output.slice(-2000)).toBe(0);
  // Made beside the database for this run, the key readable by its owner only.
  expect(existsSync(path.join(dir, "tls", "demo-cert.pem"))).toBe(true);
  expect(statSync(path.join(dir, "tls", "demo-key.pem")).mode & 0o077).toBe(0);
});
