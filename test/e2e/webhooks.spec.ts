/**
 * An agent's webhook from the dashboard in real Chromium: set with the agent form, its signing
 * secret shown once after the API key, a refused private URL explained in the form, and the
 * delivery of a real handoff event listed on the handoff's page: a failed attempt, then its retry
 * (verified by the receiver) arriving on the open page without a reload.
 */
import { createAuditLog } from "../../lib/audit/audit-log";
import { openDatabase } from "../../lib/db/open-database";
import { createOperatorStore } from "../../lib/operators/operator.store";
import { systemClock } from "../../lib/time/clock";
import { WebhookReceiver } from "../helpers/webhook-receiver";
import { E2E_DB, E2E_URL, E2E_WEBHOOK_ORIGIN } from "./e2e-env";
import { expect, test } from "./fixtures";

test("an operator sets an agent's webhook, keeps its secret, and sees a verified delivery on the handoff", async ({ agentBrowser }) => {
  const email = `hooks-${Date.now().toString(36)}@example.com`;
  const password = `canary-op-pw-${Date.now().toString(36)}-Wh9`;
  const database = await openDatabase(`file:${E2E_DB}`);
  await createOperatorStore(database.db, createAuditLog(database.db, systemClock), systemClock).create({ email, password });
  await database.close();
  const receiver = await new WebhookReceiver().start(Number(new URL(E2E_WEBHOOK_ORIGIN).port));
  const context = await agentBrowser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const dash = await context.newPage();
    await dash.goto(`${E2E_URL}/dashboard/sign-in`);
    await dash.getByLabel("Email").fill(email);
    await dash.getByLabel("Password").fill(password);
    await dash.keyboard.press("Enter");
    await expect(dash.getByRole("heading", { name: "Overview" })).toBeVisible();

    await dash.goto(`${E2E_URL}/dashboard/agents`);
    await dash.getByRole("button", { name: "New agent" }).click();
    const name = `Hooked agent ${Date.now().toString(36)}`;
    await dash.getByLabel("Name").fill(name);
    await dash.getByLabel("Allowed target origins").fill("https://bank.example");
    await dash.getByLabel("Webhook URL").fill("https://10.0.0.7/hooks");
    await dash.getByRole("button", { name: "Create agent" }).click();
    await expect(dash.getByRole("alert").filter({ hasText: "Webhook URL refused" })).toBeVisible();

    await dash.getByLabel("Webhook URL").fill(receiver.url);
    await dash.getByRole("button", { name: "Create agent" }).click();
    const apiKey = await dash.getByTestId("new-api-key").inputValue();
    expect(apiKey).toMatch(/^bat_/);
    await dash.getByRole("button", { name: "I have stored it" }).click();
    const secret = await dash.getByTestId("new-webhook-secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    receiver.secret = secret;
    await dash.getByRole("button", { name: "I have stored it" }).click();
    const row = dash.getByTestId("agent-row").filter({ hasText: name });
    await expect(row.getByTestId("agent-webhook")).toHaveText(`webhook → ${new URL(receiver.url).host}`);
    expect(await dash.content()).not.toContain(secret.slice(6));

    // The receiver is down at first: the page shows the failed attempt, then the retry land live.
    receiver.respond = () => 503;
    const created = await fetch(`${E2E_URL}/api/handoffs`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ loginUrl: "https://bank.example/login", reason: "Read statements" }),
    });
    const { id } = (await created.json()) as { id: string };
    await receiver.waitForRequests(1);

    await dash.goto(`${E2E_URL}/dashboard/handoffs/${id}`);
    // Retrying reads of every row rather than one strict locator: the page re-renders as the
    // delivery changes, and exactly one row must hold each state.
    const delivery = dash.getByTestId("webhook-delivery");
    const rows = () => delivery.evaluateAll((els) => els.map((r) => ({ status: r.getAttribute("data-status"), text: r.textContent ?? "" })));
    const statuses = async () => (await rows()).map((r) => r.status);
    const texts = async () => (await rows()).map((r) => r.text);
    await expect.poll(statuses).toEqual(["pending"]);
    await expect.poll(texts).toEqual([expect.stringContaining("HTTP 503")]);
    await dash.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    receiver.respond = () => "verify";
    await expect.poll(statuses, { timeout: 20_000 }).toEqual(["delivered"]);
    await expect.poll(texts).toEqual([expect.stringContaining("created")]);
    await expect.poll(texts).toEqual([expect.stringContaining("2/8")]);
    expect(await dash.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(receiver.accepted.map((e) => [e.type, e.data.handoffId])).toEqual([["handoff.created", id]]);
    await dash.screenshot({ path: "test-results/e2e/webhooks/handoff.png", fullPage: true });
  } finally {
    await context.close();
    await receiver.close();
  }
});
