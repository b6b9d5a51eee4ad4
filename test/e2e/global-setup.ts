/** Starts the built Baton server once for all end-to-end tests; its output goes to a log file. */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";
import { E2E_DB, E2E_DIR, E2E_LOG, E2E_PORT, E2E_URL, E2E_WEBHOOK_ORIGIN } from "./e2e-env";

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(path.resolve(".next/BUILD_ID"))) throw new Error("Build the app first: npm run build");
  rmSync(E2E_DIR, { recursive: true, force: true });
  mkdirSync(E2E_DIR, { recursive: true });
  const log = openSync(E2E_LOG, "a");
  const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(E2E_PORT),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${E2E_DB}`,
      LOG_LEVEL: "debug",
      NEXT_TELEMETRY_DISABLED: "1",
      WEBHOOK_ALLOWED_PRIVATE_ORIGINS: E2E_WEBHOOK_ORIGIN,
    },
    stdio: ["ignore", log, log],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}; see ${E2E_LOG}`);
    if (
      await fetch(`${E2E_URL}/healthz`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    if (Date.now() > deadline) throw new Error(`server did not start; see ${E2E_LOG}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  };
}
