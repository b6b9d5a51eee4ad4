/**
 * A Chromium the way an agent in another language runs it: its own process, reachable only through
 * `--remote-debugging-port=0`; the endpoint is read from its "DevTools listening on ws://…" line.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "../../worker/demo/chromium";

export interface CdpChromium {
  /** `ws://127.0.0.1:<port>/devtools/browser/<id>` */
  endpoint: string;
  close(): Promise<void>;
}

export async function startCdpChromium(startUrl: string): Promise<CdpChromium> {
  const launch = chromiumLaunchOptions();
  const profile = mkdtempSync(path.join(tmpdir(), "baton-cdp-profile-"));
  const args = [...(launch.args ?? []), "--headless=new", "--remote-debugging-port=0", `--user-data-dir=${profile}`, startUrl];
  // Its own process group, so that closing it ends its helper processes too (they write to the profile).
  const child = spawn(launch.executablePath ?? chromium.executablePath(), args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Chromium printed no DevTools endpoint")), 20_000);
    createInterface({ input: child.stderr }).on("line", (line) => {
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited (${code}) before listening`)));
  });
  return {
    endpoint,
    async close() {
      child.kill("SIGTERM");
      await exited;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // The group is already gone: every helper exited with the browser.
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
