/**
 * The SDK as a package: `npm run build:sdk` output, packed with `npm pack`, installed into a fresh
 * project outside the repo next to playwright-core only (no `playwright`), type-checked there, and
 * driving a real handoff from a child process with its own Chromium against a real Baton server and
 * the demo site, the phone played from Node.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildSdk, packSdk } from "../../packages/sdk/build";
import { chromiumLaunchOptions } from "../../worker/demo/chromium";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";
import { spawnJsonLines } from "../helpers/json-lines-child";
import { signInOnPhone } from "../helpers/phone-sign-in";
import { startTestServer, type TestServer } from "../helpers/test-server";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PLAYWRIGHT_CORE_VERSION = "1.65.1";
const SDK_DEPENDENCIES = z
  .object({ dependencies: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(path.join(ROOT, "packages/sdk/package.json"), "utf8"))).dependencies;
const CACHED_PACKAGES = [...Object.entries(SDK_DEPENDENCIES).map(([name, version]) => `${name}@${version}`), `playwright-core@${PLAYWRIGHT_CORE_VERSION}`];

const AGENT_SCRIPT = `
import { chromium } from "playwright-core";
import { BatonClient } from "@baton/sdk";

const [serverUrl, siteUrl] = process.argv.slice(2);
const browser = await chromium.launch(JSON.parse(process.env.LAUNCH_OPTIONS));
const page = await (await browser.newContext()).newPage();
await page.goto(siteUrl + "/account");
const baton = new BatonClient({ serverUrl, apiKey: process.env.BATON_API_KEY });
const result = await baton.handoff(page, {
  reason: "Read the balance",
  success: { url: /\\/account/ },
  onLink: ({ url, code }) => console.log(JSON.stringify({ event: "link", url, code })),
});
await page.goto(siteUrl + "/account");
const balance = await page.locator("#protected-data").textContent();
console.log(JSON.stringify({ event: "result", status: result.status, cookies: result.cookies, balance }));
await browser.close();
`;

const TYPES_CHECK = `
import { BatonClient, HandoffDenied, type HandoffResult } from "@baton/sdk";
import type { Page } from "playwright-core";

export async function signIn(page: Page): Promise<string[]> {
  const baton = new BatonClient({ serverUrl: "https://baton.example", apiKey: "bat_example" });
  // @ts-expect-error onLink is required
  void baton.handoff(page, { reason: "Read the balance" });
  // @ts-expect-error a Page from playwright-core, nothing else (the declarations resolved it)
  void baton.handoff("page", { reason: "Read the balance", onLink: () => undefined });
  const result: HandoffResult = await baton.handoff(page, { reason: "Read the balance", onLink: ({ url, code }) => console.log(url, code) });
  return result.cookies.map((c) => c.name).concat(new HandoffDenied("h").code);
}
`;

let server: TestServer;
let site: DemoSite;
let project: string;

beforeAll(async () => {
  [server, site] = await Promise.all([startTestServer(), startDemoSite()]);
  project = mkdtempSync(path.join(tmpdir(), "baton-sdk-consumer-"));
  await buildSdk();
  const tarball = packSdk(project);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "sdk-consumer", private: true, type: "module" }));
  // Offline: the pinned versions come from the npm cache, and the test sends nothing past loopback.
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball, `playwright-core@${PLAYWRIGHT_CORE_VERSION}`], { cwd: project }).catch(
    (error: { stderr?: string }) => {
      if (!error.stderr?.includes("ENOTCACHED")) throw error;
      throw new Error(`npm's cache lacks the SDK's dependencies (${CACHED_PACKAGES.join(" ")}) or theirs; fill it once with: bash scripts/cache-sdk-deps.sh`);
    },
  );
  // Bundling, declarations and the install take ~15 s on an idle 2-core machine, minutes on a busy one.
}, 240_000);
afterAll(async () => {
  await site?.close();
  await server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the packed SDK", () => {
  it("installs outside the repo with playwright-core only, and its declarations type-check there", async () => {
    expect(existsSync(path.join(project, "node_modules/@baton/sdk/dist/index.js"))).toBe(true);
    expect(existsSync(path.join(project, "node_modules/playwright"))).toBe(false);
    writeFileSync(path.join(project, "check.ts"), TYPES_CHECK);
    const tsconfig = {
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "ES2022",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        lib: ["ES2023", "dom"],
        typeRoots: [path.join(ROOT, "node_modules/@types")],
        types: ["node"],
      },
      files: ["check.ts"],
    };
    writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    const checked = await run(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", project], { cwd: project }).catch((error: { stdout: string }) => ({
      stdout: error.stdout,
    }));
    expect(checked.stdout).toBe("");
  }, 120_000);

  it("runs a real handoff from a fresh project: the agent's own Chromium ends up signed in", async () => {
    const { apiKey } = await server.createAgent([site.origin]);
    writeFileSync(path.join(project, "agent.mjs"), AGENT_SCRIPT);
    const agent = spawnJsonLines(process.execPath, ["agent.mjs", server.url, site.url], {
      cwd: project,
      env: { NODE_ENV: "test", PATH: process.env.PATH, BATON_API_KEY: apiKey, LAUNCH_OPTIONS: JSON.stringify(chromiumLaunchOptions()) },
    });
    const link = await agent.next((l) => l.event === "link");
    expect(link.code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const phone = await signInOnPhone(server.url, String(link.url), site);
    const result = await agent.next((l) => l.event === "result", 30_000);
    phone.close();
    expect(result).toEqual({
      event: "result",
      status: "completed",
      cookies: [{ name: "demo_session", domain: "127.0.0.1" }],
      balance: "Balance: 1,234.56 EUR",
    });
    expect(await agent.exited).toBe(0);
  }, 90_000);
});
