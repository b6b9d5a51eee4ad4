/**
 * `npm run demo` — the whole path on one machine: Baton's server, a demo bank with a real login
 * wall (password, then a TOTP code) and an agent that hits the wall, hands it to you, and resumes.
 * `npm run demo -- --auto` plays the phone with a second headless browser, unattended.
 * `npm run demo -- --tls` serves https with a certificate made now, for trying it on a real phone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import QRCode from "qrcode";
import { parseConfig } from "../../lib/config/config";
import { openDatabase } from "../../lib/db/open-database";
import { createAgentStore } from "../../lib/agents/agent.store";
import { createAuditLog } from "../../lib/audit/audit-log";
import { createOperatorStore } from "../../lib/operators/operator.store";
import { generatePassword } from "../../lib/operators/password-hash";
import { systemClock } from "../../lib/time/clock";
import { isWildcardHost, lanAddresses } from "../../lib/server/lan-addresses";
import { startDemoSite } from "../../test/fixtures/demo-site/demo-site";
import { BatonClient, type HandoffLink } from "../index";
import { launchChromium } from "./chromium";
import { prepareDemoTls } from "./demo-tls";
import { PhoneBot, locateOnPage } from "./phone-bot";

const root = fileURLToPath(new URL("../../", import.meta.url));
const say = (line = "") => process.stdout.write(`${line}\n`);
const step = (text: string) => say(`\n▸ ${text}`);

async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

async function startServer(env: NodeJS.ProcessEnv, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  // Server logs are JSON lines; only warnings and errors are worth showing during the demo.
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (/"level":"(warn|error)"|failed|Error/.test(line)) process.stderr.write(`  [server] ${line}\n`);
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the Baton server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error("the Baton server did not start within 60 s");
}

/**
 * With --tls, make the certificate and run the demo again in a child that trusts it: Node reads
 * NODE_EXTRA_CA_CERTS only at start, and the agent in this process must reach the https server.
 */
async function relaunchWithTls(): Promise<number> {
  const { databaseUrl } = parseConfig({ ...process.env, NODE_ENV: "production" });
  const dir = path.join(path.dirname(path.resolve(root, databaseUrl.replace(/^file:/, ""))), "tls");
  const tls = prepareDemoTls(dir, process.env);
  step(`Made a self-signed certificate for ${tls.names.join(", ")} in ${path.relative(root, dir) || dir} (valid 30 days).`);
  const env = {
    ...process.env,
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    PUBLIC_URL: tls.publicUrl,
    NODE_EXTRA_CA_CERTS: tls.certFile,
    BATON_DEMO_TLS_CHILD: "1",
  };
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { env, stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { auto: { type: "boolean", default: false }, rebuild: { type: "boolean", default: false }, tls: { type: "boolean", default: false } },
  });
  if (values.tls && !process.env.BATON_DEMO_TLS_CHILD) process.exit(await relaunchWithTls());
  const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } as NodeJS.ProcessEnv;
  const config = parseConfig(env);
  const serverUrl = config.publicOrigin;
  // Health checks go to this machine itself; a wildcard listener is reached on loopback.
  const localHost = isWildcardHost(config.host) ? "127.0.0.1" : config.host;
  const localUrl = `${config.tls ? "https" : "http"}://${localHost.includes(":") ? `[${localHost}]` : localHost}:${config.port}`;

  if (values.rebuild || !existsSync(path.join(root, ".next", "BUILD_ID"))) {
    step("Building the web app once (about a minute on 2 cores)…");
    await run("npx", ["next", "build"], env);
  }

  step(`Starting Baton on ${serverUrl} (database ${config.databaseUrl})…`);
  const server = await startServer(env, localUrl);
  if (isWildcardHost(config.host)) {
    say(
      `  On this network: ${
        lanAddresses(networkInterfaces())
          .map((a) => `${config.tls ? "https" : "http"}://${a}:${config.port}`)
          .join("  ") || "no LAN address found"
      }`,
    );
  }
  if (config.tls) say("  Your phone will warn that the certificate is not trusted: it was made on this machine a moment ago. See the README (A real phone).");
  const site = await startDemoSite();
  const browser = await launchChromium();
  let phoneBrowser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    step(`Demo bank running at ${site.url} — the agent will need you to sign in there.`);
    const database = await openDatabase(config.databaseUrl);
    const audit = createAuditLog(database.db, systemClock);
    const agent = await createAgentStore(database.db, audit, systemClock).create({ name: "Demo statements agent", origins: [site.origin] });
    // A fresh operator each run, with a random password shown only here.
    const operator = { email: `demo-${randomBytes(3).toString("hex")}@operators.example`, password: generatePassword() };
    await createOperatorStore(database.db, audit, systemClock).create(operator);
    await database.close();
    say(`  Registered agent ${agent.agentId} (allowed origin ${site.origin}).`);
    step(`Watch it live on the operator dashboard: ${serverUrl}/dashboard`);
    say(`  Sign in as ${operator.email} with password ${operator.password} (a demo account; shown only now).`);

    step("The agent opens the bank's account page…");
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${site.url}/account`);
    say(`  It landed on ${new URL(page.url()).pathname}: a login wall. Handing it to you.`);

    let phoneDone: Promise<void> = Promise.resolve();
    const baton = new BatonClient({ serverUrl, apiKey: agent.apiKey });
    const result = await baton.handoff(page, {
      reason: "Download your March statements",
      endUserRef: "demo-user",
      success: { url: /\/account/ },
      onLink: async (link) => {
        await printLink(link, site);
        if (values.auto) {
          // The stand-in phone accepts the self-signed certificate, as a person does past the warning.
          phoneBrowser = await launchChromium(config.tls ? ["--ignore-certificate-errors"] : []);
          phoneDone = playPhone(phoneBrowser, link, site).catch((e: Error) => void say(`  [phone] ${e.message}`));
        }
      },
      onStateChange: (state) => say(`  · handoff is now ${state}`),
      onReuseDetected: ({ attempts }) => say(`  ! someone else tried to open the link (${attempts}×)`),
    });

    step(`Signed in. Cookies handed over: ${result.cookies.map((c) => `${c.name} (${c.domain})`).join(", ")} — values never left this process.`);
    await page.goto(`${site.url}/account`);
    const data = await page.locator("#protected-data").textContent();
    say(`  The agent reads the protected page: ${data}`);
    // The phone shows its done screen a moment after the agent has the session.
    await phoneDone;
    say("\nDemo complete.");
  } finally {
    await phoneBrowser?.close();
    await browser.close();
    await site.close();
    server.kill("SIGTERM");
  }
}

async function printLink(link: HandoffLink, site: { username: string; password: string; totpSecret: string }): Promise<void> {
  step("Open this link on your phone (or any browser) to sign in:");
  say(`\n  ${link.url}\n`);
  say(await QRCode.toString(link.url, { type: "terminal", small: true }));
  say(`  Confirmation code: ${link.code}   ·   expires at ${link.expiresAt.toLocaleTimeString()}`);
  say(`  Demo credentials: username "${site.username}", password "${site.password}".`);
  say(`  The second step asks for a TOTP code: add the secret ${site.totpSecret} to an authenticator app,`);
  say(`  or run: node --import tsx -e "import('otpauth').then(o=>console.log(new o.TOTP({secret:'${site.totpSecret}'}).generate()))"`);
}

/** The unattended phone: a second headless browser signs in through the live view. */
async function playPhone(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  link: HandoffLink,
  site: Awaited<ReturnType<typeof startDemoSite>>,
): Promise<void> {
  say("  [phone] opening the link in a phone-sized browser…");
  const phone = await PhoneBot.open(browser, link.url);
  await phone.continueAndApprove();
  say("  [phone] approved; the live view is on. Tapping and typing…");
  const size = await phone.remoteSize();
  const boxes = await locateOnPage(browser, `${site.url}/login`, size, ["#username", "#password"]);
  await phone.tapField(boxes["#username"].x, boxes["#username"].y);
  await phone.type(site.username);
  await phone.tapField(boxes["#password"].x, boxes["#password"].y);
  await phone.type(site.password);
  await phone.press("Enter");
  // The code page focuses its field by itself; the phone's keyboard proxy follows that focus.
  await new Promise((r) => setTimeout(r, 1500));
  await phone.type(site.currentCode());
  await phone.press("Enter");
  await phone.waitForState("completed", 30_000);
  say("  [phone] done screen shown.");
}

main().catch((error: unknown) => {
  process.stderr.write(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
