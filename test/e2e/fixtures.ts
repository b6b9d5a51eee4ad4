/** Shared pieces of the end-to-end tests: agents on the e2e database, browsers, the demo site. */
import { test as base } from "@playwright/test";
import type { Browser } from "playwright";
import { createAgentStore } from "../../lib/agents/agent.store";
import { createAuditLog } from "../../lib/audit/audit-log";
import { openDatabase } from "../../lib/db/open-database";
import { systemClock } from "../../lib/time/clock";
import { launchChromium } from "../../worker/demo/chromium";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";
import { E2E_DB } from "./e2e-env";

export async function createAgent(origins: string[], name = "E2E agent", identityProviders: string[] = []): Promise<{ agentId: string; apiKey: string }> {
  const database = await openDatabase(`file:${E2E_DB}`);
  try {
    const created = await createAgentStore(database.db, createAuditLog(database.db, systemClock), systemClock).create({
      name,
      origins,
      identityProviders,
      maxConcurrent: 20,
    });
    return { agentId: created.agentId, apiKey: created.apiKey };
  } finally {
    await database.close();
  }
}

export const test = base.extend<{ site: DemoSite; agentBrowser: Browser; phoneBrowser: Browser }>({
  site: async ({}, use) => {
    const site = await startDemoSite();
    await use(site);
    await site.close();
  },
  agentBrowser: async ({}, use) => {
    const browser = await launchChromium();
    await use(browser);
    await browser.close();
  },
  phoneBrowser: async ({}, use) => {
    const browser = await launchChromium();
    await use(browser);
    await browser.close();
  },
});

export { expect } from "@playwright/test";
