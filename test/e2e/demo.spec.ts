/** The README's quick start: `npm run demo -- --auto` runs the whole path unattended and ends well. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("the demo runs the whole path unattended: wall, link, phone sign-in, protected data", async () => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(path.join(tmpdir(), "baton-demo-"));
  const child = spawn(process.execPath, ["--import", "tsx", "worker/demo/run-demo.ts", "--auto"], {
    env: { ...process.env, PORT: process.env.BATON_DEMO_TEST_PORT ?? "3331", DATABASE_URL: `file:${path.join(dir, "baton.db")}` },
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
  expect(output).toContain("handoff is now completed");
  expect(output).toContain("The agent reads the protected page: Balance: 1,234.56 EUR");
  expect(output).toContain("Demo complete.");
  expect(code, output.slice(-2000)).toBe(0);
});
