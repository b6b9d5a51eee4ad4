/**
 * The operator's dashboard in real Chromium at 1440×900: sign in with the keyboard, watch a
 * handoff appear and move in the history while an agent and a phone run it (no reload), open its
 * timeline, revoke the agent and see its live handoff end on the phone and in the agent. Then the
 * audit chain, a tablet-sized look, and a sweep for secrets on every page visited.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright";
import { createAuditLog } from "../../lib/audit/audit-log";
import { openDatabase } from "../../lib/db/open-database";
import { createOperatorStore } from "../../lib/operators/operator.store";
import { systemClock } from "../../lib/time/clock";
import { BatonClient, HandoffFailed, type HandoffLink } from "../../worker";
import { PhoneBot } from "../../worker/demo/phone-bot";
import { E2E_DB, E2E_URL } from "./e2e-env";
import { createAgent, expect, test } from "./fixtures";

const SHOTS = "test-results/e2e/dashboard";

async function createOperator(email: string, password: string): Promise<void> {
  const database = await openDatabase(`file:${E2E_DB}`);
  try {
    await createOperatorStore(database.db, createAuditLog(database.db, systemClock), systemClock).create({ email, password });
  } finally {
    await database.close();
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test("an operator watches a handoff live, opens its timeline, and revoking its agent ends it", async ({ site, agentBrowser, phoneBrowser }) => {
  mkdirSync(SHOTS, { recursive: true });
  const email = `ops-${Date.now().toString(36)}@example.com`;
  const password = `canary-op-pw-${Date.now().toString(36)}-Zq9`;
  await createOperator(email, password);
  const agentName = `Statements bot ${Date.now().toString(36)}`;
  const { agentId, apiKey } = await createAgent([site.origin], agentName);
  const visited: string[] = [];

  const operatorContext = await agentBrowser.newContext({ viewport: { width: 1440, height: 900 } });
  const dash = await operatorContext.newPage();
  dash.on("load", async () => visited.push(await dash.content().catch(() => "")));

  // Signed out, the dashboard sends you to sign in; sign in with the keyboard only.
  await dash.goto(`${E2E_URL}/dashboard`);
  await expect(dash).toHaveURL(/\/dashboard\/sign-in$/);
  await expect(dash.getByLabel("Email")).toBeFocused();
  await shot(dash, "sign-in");
  await dash.keyboard.type(email);
  await dash.keyboard.press("Tab");
  await dash.keyboard.type("not-the-password");
  await dash.keyboard.press("Enter");
  await expect(dash.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await dash.getByLabel("Password").fill(password);
  await dash.keyboard.press("Enter");
  await expect(dash).toHaveURL(`${E2E_URL}/dashboard`);
  await expect(dash.getByRole("heading", { name: "Overview" })).toBeVisible();
  const cookies = await operatorContext.cookies();
  expect(cookies.find((c) => c.name === "baton-operator")).toMatchObject({ httpOnly: true, sameSite: "Strict" });

  // An earlier handoff by another agent is already in the table.
  const otherName = `Background agent ${Date.now().toString(36)}`;
  const other = await createAgent([site.origin], otherName);
  const earlier = await fetch(`${E2E_URL}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${other.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${site.url}/login`, reason: "Earlier request", endUserRef: "customer-0001" }),
  });
  expect(earlier.status).toBe(201);

  // The history page, live, before the handoff exists. Layout shifts are summed from here on.
  await dash.getByRole("link", { name: "Handoffs", exact: true }).click();
  await expect(dash.getByRole("heading", { name: "Handoffs" })).toBeVisible();
  await expect(dash.getByTestId("live-status")).toHaveText("Live");
  await expect(dash.getByTestId("history-row").filter({ hasText: otherName })).toBeVisible();
  await dash.evaluate(() => {
    const w = window as unknown as { notReloaded: boolean; layoutShift: number };
    w.notReloaded = true;
    w.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        if (!entry.hadRecentInput) w.layoutShift += entry.value;
    }).observe({ type: "layout-shift" });
  });

  // An agent hits the login wall and asks for a handoff.
  const agentPage = await (await agentBrowser.newContext()).newPage();
  await agentPage.goto(`${site.url}/account`);
  let resolveLink!: (link: HandoffLink) => void;
  const linkReady = new Promise<HandoffLink>((r) => (resolveLink = r));
  const handoff = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(agentPage, {
    reason: "Download your March statements",
    endUserRef: "customer-8841",
    onLink: resolveLink,
  });
  const ended = handoff.then(
    () => null,
    (error: unknown) => error,
  );
  const link = await linkReady;

  const row = dash.getByTestId("history-row").filter({ hasText: agentName });
  await expect(row).toBeVisible();
  await expect(row.getByTestId("status-badge")).toHaveText("pending");
  await expect(row).toContainText("customer-8841");

  // The phone opens the link and approves; the row follows without a reload.
  const phone = await PhoneBot.open(phoneBrowser, link.url);
  await phone.continueAndApprove();
  await expect(row.getByTestId("status-badge")).toHaveText("live");
  expect(await dash.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  // A new row on top moves the rows below it by one row height; nothing else may move (columns,
  // badges and counts have fixed sizes). 0.1 is the Web Vitals bound for "good".
  const layoutShift = await dash.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
  process.stdout.write(`[dashboard] cumulative layout shift while a row arrived and went pending → live: ${layoutShift.toFixed(4)}\n`);
  expect(layoutShift).toBeLessThan(0.1);
  await shot(dash, "history-live");

  // Its timeline.
  await row.getByRole("link").click();
  await expect(dash.getByRole("heading", { name: new RegExp(`${agentName}`) })).toBeVisible();
  const timeline = dash.getByTestId("timeline");
  for (const step of ["handoff created", "handoff opened", "handoff approved", "handoff live"])
    await expect(timeline.getByText(step, { exact: true })).toBeVisible();
  await expect(dash.getByRole("region", { name: "Device" })).toContainText("Safari on iOS");
  await expect(dash.getByRole("button", { name: "Cancel handoff" })).toBeVisible();
  await shot(dash, "handoff-detail-live");

  // Revoke the agent from the Agents page: its live handoff ends at once.
  await dash.getByRole("link", { name: "Agents", exact: true }).click();
  const agentRow = dash.locator(`[data-testid="agent-row"][data-agent-id="${agentId}"]`);
  await expect(agentRow).toContainText("1 live");
  await shot(dash, "agents");
  await agentRow.getByRole("button", { name: `Revoke ${agentName}` }).click();
  const dialog = dash.getByRole("dialog", { name: `Revoke ${agentName}?` });
  await expect(dialog).toContainText("its 1 live handoff end at once");
  await dialog.getByRole("button", { name: "Revoke agent" }).click();
  await expect(dash.getByTestId("agents-notice")).toHaveText(`${agentName} revoked; 1 live handoff ended.`);
  await expect(agentRow).toContainText("Revoked");
  await shot(dash, "agents-revoked");

  await phone.waitForState("failed");
  const error = await ended;
  expect(error).toBeInstanceOf(HandoffFailed);
  expect((error as HandoffFailed).reason).toBe("agent_revoked");
  await phone.page.screenshot({ path: `${SHOTS}/phone-after-revoke.png` });

  // The history and the timeline say so.
  await dash.goto(`${E2E_URL}/dashboard/handoffs?agent=${agentId}`);
  await expect(row.getByTestId("status-badge")).toHaveText("failed");
  await expect(row).toContainText("agent revoked");
  await row.getByRole("link").click();
  await expect(dash.getByTestId("timeline").getByText("handoff failed", { exact: true })).toBeVisible();
  await expect(dash.getByTestId("timeline").getByText("agent revoked").first()).toBeVisible();
  await shot(dash, "handoff-detail-ended");

  // The audit chain checks out; the overview counts the failure.
  await dash.getByRole("link", { name: "Audit", exact: true }).click();
  await dash.getByRole("button", { name: "Verify chain" }).click();
  await expect(dash.getByTestId("verify-result")).toContainText("Chain intact");
  await shot(dash, "audit");
  await dash.getByRole("link", { name: "Overview", exact: true }).click();
  await expect(dash.getByText("agent revoked")).toBeVisible();
  await shot(dash, "overview");

  // A tablet in portrait: same session, nothing cut off horizontally.
  const tablet = await agentBrowser.newContext({ viewport: { width: 768, height: 1024 }, storageState: await operatorContext.storageState() });
  const tab = await tablet.newPage();
  for (const [path, name] of [
    ["/dashboard", "tablet-overview"],
    ["/dashboard/handoffs", "tablet-history"],
    ["/dashboard/agents", "tablet-agents"],
  ] as const) {
    await tab.goto(`${E2E_URL}${path}`);
    await expect(tab.getByTestId("live-status")).toHaveText("Live");
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    visited.push(await tab.content());
    await shot(tab, name);
  }

  // No page showed a secret: not the operator's password, the agent's key or the link's token.
  visited.push(await dash.content());
  const token = new URL(link.url).pathname.split("/").pop()!;
  for (const html of visited) {
    expect(html.includes(password)).toBe(false);
    expect(html.includes(apiKey)).toBe(false);
    expect(html.includes(token)).toBe(false);
  }

  // Sign-out ends the session everywhere: the tablet's open page, signed in with the same
  // session, is sent to sign in by the live stream, and a fresh visit is refused too.
  await dash.getByRole("button", { name: "Sign out" }).click();
  await expect(dash).toHaveURL(/\/dashboard\/sign-in$/);
  await expect(tab).toHaveURL(/\/dashboard\/sign-in$/);
  await tab.goto(`${E2E_URL}/dashboard/handoffs`);
  await expect(tab).toHaveURL(/\/dashboard\/sign-in$/);
  await phone.close();
  await tablet.close();
  await operatorContext.close();
});
