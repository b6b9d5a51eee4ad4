/**
 * Every dashboard screen, light and dark, at 1440×900 and 768×1024: axe-core finds no serious or
 * critical violation, no text is cut without an ellipsis, and the things an operator reads say
 * what they mean (people by email, decision pills only for decisions, blocked requests labelled by
 * kind with the browser's own traffic apart, lifecycle words in the status filter, agents with the
 * same name told apart). The data is made through Baton's own APIs, as an agent and a phone would.
 */
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright";
import { createAuditLog } from "../../lib/audit/audit-log";
import { openDatabase } from "../../lib/db/open-database";
import { createOperatorStore } from "../../lib/operators/operator.store";
import { systemClock } from "../../lib/time/clock";
import { NodePhone } from "../helpers/node-phone";
import { OperatorClient } from "../helpers/operator-client";
import { E2E_DB, E2E_URL } from "./e2e-env";
import { createAgent, expect, test } from "./fixtures";

// Outside test-results/e2e, which the global setup empties before every run.
const SHOTS = "test-results/dashboard-screens";
const TARGET = "http://127.0.0.1:4999";
const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "tablet", width: 768, height: 1024 },
] as const;
const SCHEMES = ["light", "dark"] as const;

interface Seed {
  email: string;
  password: string;
  operatorId: string;
  agentName: string;
  agents: { agentId: string; apiKey: string }[];
  cancelledId: string;
}

async function createOperator(email: string, password: string): Promise<string> {
  const database = await openDatabase(`file:${E2E_DB}`);
  try {
    const audit = createAuditLog(database.db, systemClock);
    await createOperatorStore(database.db, audit, systemClock).create({ email, password });
    return (await database.db.operator.findUniqueOrThrow({ where: { email } })).id;
  } finally {
    await database.close();
  }
}

async function agentPost(apiKey: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${E2E_URL}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Two agents with one name; a handoff that was approved, hit three blocks and was cancelled by the operator; one still pending. */
async function seed(): Promise<Seed> {
  const tag = Date.now().toString(36);
  const email = `screens-${tag}@example.com`;
  const password = `canary-screens-pw-${tag}-Zq9`;
  const operatorId = await createOperator(email, password);
  const agentName = `Statements bot ${tag}`;
  const agents = [await createAgent([TARGET], agentName), await createAgent([TARGET], agentName)];

  const created = await agentPost(agents[0].apiKey, "/api/handoffs", {
    loginUrl: `${TARGET}/login`,
    reason: "Download your March statements",
    endUserRef: "customer-8841",
  });
  expect(created.status).toBe(201);
  const phone = new NodePhone(
    E2E_URL,
    `${E2E_URL}/h/${created.json.token}#k=${"A".repeat(43)}`,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
  );
  expect((await phone.claim()).status).toBe(200);
  expect((await phone.decide("approve")).status).toBe(200);
  for (const report of [
    { origin: "https://evil.example", reason: "site", isNavigation: true },
    { origin: "https://tracker.example", reason: "site", isNavigation: false },
    { origin: "https://update.googleapis.com", reason: "site", isNavigation: false, source: "browser" },
  ]) {
    expect((await agentPost(agents[0].apiKey, `/api/handoffs/${created.json.id}/blocked`, report)).status).toBe(200);
  }
  const operator = new OperatorClient(E2E_URL);
  expect((await operator.signIn(email, "not-the-password")).status).toBe(401);
  expect((await operator.signIn(email, password)).status).toBe(200);
  expect((await operator.post(`/api/dashboard/handoffs/${created.json.id}/cancel`)).status).toBe(200);

  const pending = await agentPost(agents[1].apiKey, "/api/handoffs", {
    loginUrl: `${TARGET}/login`,
    reason: "Check your balance",
    endUserRef: "customer-0002",
  });
  expect(pending.status).toBe(201);
  return { email, password, operatorId, agentName, agents, cancelledId: created.json.id };
}

async function signIn(browser: Browser, seedData: Seed): Promise<Awaited<ReturnType<BrowserContext["storageState"]>>> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${E2E_URL}/dashboard/sign-in`);
  await page.getByLabel("Email").fill(seedData.email);
  await page.getByLabel("Password").fill(seedData.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const state = await context.storageState();
  await context.close();
  return state;
}

/** Serious and critical axe findings, each as "rule: target (summary)" so a failure names the element. */
async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} (${(n.failureSummary ?? "").split("\n").slice(1, 2).join("").trim()})`));
}

/** Elements whose text overflows their box without an ellipsis (or without the full text on hover). */
async function cutText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("main *"))) {
      if ((el.children.length > 0 && el.textContent === "") || el.closest(".sr-only")) continue;
      const style = getComputedStyle(el);
      if (style.overflowX === "visible" || el.scrollWidth <= el.clientWidth + 1) continue;
      if (el.closest("table") && el.matches("div.overflow-x-auto, table")) continue;
      if (el.classList.contains("overflow-x-auto")) continue;
      const hasEllipsis = style.textOverflow === "ellipsis";
      const hasTitle = Boolean(el.closest("[title]"));
      if (!hasEllipsis || !hasTitle)
        found.push(
          `${el.tagName.toLowerCase()}.${el.className.split(" ").slice(0, 3).join(".")}: "${(el.textContent ?? "").slice(0, 40)}"${hasEllipsis ? " (no title)" : ""}`,
        );
    }
    return found;
  });
}

/** The agents page's dialogs are screens too: the scope form and a confirmation, each scanned open. */
async function dialogProblems(page: Page, agentName: string): Promise<string[]> {
  const found: string[] = [];
  await page.getByRole("button", { name: "New agent" }).click();
  await expect(page.getByRole("dialog", { name: "New agent" })).toBeVisible();
  found.push(...(await axeProblems(page)));
  await page.keyboard.press("Escape");
  await page
    .getByRole("button", { name: `Revoke ${agentName}` })
    .first()
    .click();
  const confirm = page.getByRole("dialog", { name: `Revoke ${agentName}?` });
  await expect(confirm).toBeVisible();
  found.push(...(await axeProblems(page)));
  await confirm.getByRole("button", { name: "Keep it" }).click();
  await expect(confirm).toBeHidden();
  return found;
}

test("every dashboard screen passes axe in light and dark at desktop and tablet widths, and cuts no text without an ellipsis", async ({ agentBrowser }) => {
  test.setTimeout(240_000);
  mkdirSync(SHOTS, { recursive: true });
  const s = await seed();
  const storageState = await signIn(agentBrowser, s);
  const screens = [
    { name: "overview", path: "/dashboard", heading: "Overview" },
    { name: "handoffs", path: "/dashboard/handoffs", heading: "Handoffs" },
    { name: "handoff", path: `/dashboard/handoffs/${s.cancelledId}`, heading: new RegExp(s.agentName) },
    { name: "agents", path: "/dashboard/agents", heading: "Agents" },
    { name: "audit", path: "/dashboard/audit", heading: "Audit log" },
  ];
  const problems: string[] = [];
  for (const viewport of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      const signedOut = await agentBrowser.newContext({ viewport, colorScheme });
      const signInPage = await signedOut.newPage();
      await signInPage.goto(`${E2E_URL}/dashboard/sign-in`);
      await expect(signInPage.getByRole("heading", { name: "Operator sign-in" })).toBeVisible();
      problems.push(...(await axeProblems(signInPage)).map((p) => `sign-in ${colorScheme} ${viewport.width}: ${p}`));
      await signInPage.screenshot({ path: `${SHOTS}/sign-in-${colorScheme}-${viewport.width}.png`, fullPage: true });
      await signedOut.close();

      const context = await agentBrowser.newContext({ viewport, colorScheme, storageState });
      const page = await context.newPage();
      for (const screen of screens) {
        await page.goto(`${E2E_URL}${screen.path}`);
        await expect(page.getByRole("heading", { name: screen.heading, level: 1 })).toBeVisible();
        await expect(page.getByTestId("live-status")).toHaveText("Live");
        const where = `${screen.name} ${colorScheme} ${viewport.width}`;
        problems.push(...(await axeProblems(page)).map((p) => `${where}: ${p}`));
        problems.push(...(await cutText(page)).map((p) => `${where}: cut without ellipsis: ${p}`));
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${where} scrolls sideways`).toBeLessThanOrEqual(viewport.width);
        await page.screenshot({ path: `${SHOTS}/${screen.name}-${colorScheme}-${viewport.width}.png`, fullPage: true });
        if (screen.name === "agents") problems.push(...(await dialogProblems(page, s.agentName)).map((p) => `${where} dialog: ${p}`));
      }
      await context.close();
    }
  }
  expect(problems).toEqual([]);
});

test("the audit log names people, shows decision pills only for decisions, and the handoff page sorts its blocked requests by kind", async ({
  agentBrowser,
}) => {
  const s = await seed();
  const storageState = await signIn(agentBrowser, s);
  for (const viewport of VIEWPORTS) {
    const context = await agentBrowser.newContext({ viewport, storageState });
    const page = await context.newPage();

    // Audit: the operator by email (id on hover), the sign-in decisions with pills, lifecycle rows without.
    await page.goto(`${E2E_URL}/dashboard/audit?handoff=${s.cancelledId}`);
    const rows = page.getByTestId("audit-row");
    const cancelled = rows.filter({ hasText: "handoff.cancelled" });
    await expect(cancelled.getByTestId("audit-actor")).toHaveText(s.email);
    await expect(cancelled.getByTestId("audit-actor")).toHaveAttribute("title", new RegExp(s.operatorId));
    await expect(cancelled.getByTestId("decision-badge")).toHaveCount(0);
    await expect(rows.filter({ hasText: "handoff.approved" }).getByTestId("decision-badge")).toHaveCount(0);
    await expect(rows.filter({ hasText: "navigation.blocked" }).first().getByTestId("decision-badge")).toHaveText("deny");
    await expect(page.getByTestId("audit-table")).not.toContainText(s.operatorId);
    await page.goto(`${E2E_URL}/dashboard/audit?action=operator.sign_in`);
    const signIns = page.getByTestId("audit-row").filter({ hasText: s.email });
    // Newest first: this browser's sign-in, the API sign-in, the wrong password before it.
    await expect(signIns.getByTestId("decision-badge")).toHaveText(["allow", "allow", "deny"]);

    // The handoff page: a navigation, a subresource, and Chromium's own traffic apart from both.
    await page.goto(`${E2E_URL}/dashboard/handoffs/${s.cancelledId}`);
    const policy = page.getByRole("region", { name: "Blocked requests" });
    await expect(policy.getByTestId("blocked-page").filter({ hasText: "https://evil.example" })).toContainText("Navigation");
    await expect(policy.getByTestId("blocked-page").filter({ hasText: "https://tracker.example" })).toContainText("Subresource");
    const background = policy.getByRole("group", { name: "Browser background traffic" });
    await expect(background).toContainText("update.googleapis.com");
    await expect(policy.getByTestId("blocked-page")).toHaveCount(2);
    const timeline = page.getByTestId("timeline");
    // One event by the operator, named by email (a count, which waits out a re-render in flight).
    await expect(timeline.getByText(`by ${s.email}`)).toHaveCount(1);
    await expect(timeline.getByText(`by ${s.email}`)).toBeVisible();
    // Pills for the scope check at creation and the page's two blocks; the browser's own traffic is quiet.
    await expect(timeline.getByTestId("decision-badge")).toHaveText(["allow", "deny", "deny"]);
    await page.screenshot({ path: `${SHOTS}/handoff-blocked-${viewport.width}.png`, fullPage: true });
    await context.close();
  }
});

test("filters speak the lifecycle's words, agents with one name are told apart, and nothing an operator needs is cut at 768 px", async ({ agentBrowser }) => {
  const s = await seed();
  const storageState = await signIn(agentBrowser, s);
  for (const viewport of VIEWPORTS) {
    const context = await agentBrowser.newContext({ viewport, storageState });
    const page = await context.newPage();
    await page.goto(`${E2E_URL}/dashboard/handoffs`);

    // One status list: everything, then each group with its own states.
    const status = page.getByLabel("Status");
    const groups = await status
      .locator("optgroup")
      .evaluateAll((els) => els.map((g) => ({ label: g.getAttribute("label"), options: Array.from(g.querySelectorAll("option")).map((o) => o.textContent) })));
    expect(groups).toEqual([
      { label: "In progress", options: ["All in progress", "pending", "opened", "approved", "live", "captured"] },
      { label: "Ended", options: ["All ended", "completed", "denied", "expired", "cancelled", "failed"] },
    ]);
    await status.selectOption({ label: "All ended" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/status=ended/);
    await expect(page.getByTestId("history-row").filter({ hasText: s.agentName })).toHaveCount(1);
    await expect(page.getByTestId("history-row").filter({ hasText: s.agentName }).getByTestId("status-badge")).toHaveText("cancelled");

    // The two agents named alike: a short id each, in the table and in the agent filter.
    await page.goto(`${E2E_URL}/dashboard/handoffs`);
    const [first, second] = s.agents.map((a) => a.agentId.slice(0, 8));
    await expect(page.getByTestId("history-row").filter({ hasText: first })).toHaveCount(1);
    await expect(page.getByTestId("history-row").filter({ hasText: second })).toHaveCount(1);
    const agentChoices = await page.getByLabel("Agent").locator("option").allTextContents();
    expect(agentChoices.filter((c) => c.startsWith(s.agentName)).sort()).toEqual([`${s.agentName} · ${first}`, `${s.agentName} · ${second}`].sort());
    // Read in one pass: the list updates live, and a row that re-renders between a count and a
    // read would leave a locator waiting for an element that is gone.
    const names = await page.getByTestId("history-agent-name").evaluateAll((els) => els.map((el) => el.scrollWidth <= el.clientWidth + 1));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every(Boolean)).toBe(true);

    // Agents: whole names, whole scopes, the words people use.
    await page.goto(`${E2E_URL}/dashboard/agents`);
    for (const row of await page.getByTestId("agent-row").all()) {
      for (const cell of await row.locator("[data-testid=agent-name], [data-testid=agent-origin]").all())
        expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    }
    await page.getByRole("button", { name: "New agent" }).click();
    await expect(page.getByLabel("Link lifetime (seconds)")).toBeVisible();
    await page.keyboard.press("Escape");

    // Overview: the bar that holds now is labelled.
    await page.goto(`${E2E_URL}/dashboard`);
    await expect(page.getByTestId("chart-bucket").last().locator("text")).toHaveText(/^(Today|Now)$/);
    await page.screenshot({ path: `${SHOTS}/overview-chart-${viewport.width}.png`, fullPage: true });
    await context.close();
  }
});
