/** Starts a handoff on a page of the hard-login shop and brings a phone to it, for the phone specs. */
import type { Browser, Page } from "playwright";
import { BatonClient, type HandoffLink, type HandoffOptions, type HandoffResult } from "../../worker";
import { PhoneBot, type PhoneProfile } from "../../worker/demo/phone-bot";
import type { HardLoginSite } from "../fixtures/hard-login/hard-login-site";
import { E2E_URL } from "./e2e-env";
import { createAgent } from "./fixtures";

export interface PhoneHandoff {
  agentPage: Page;
  phone: PhoneBot;
  result: Promise<HandoffResult>;
  link: HandoffLink;
}

/** Opens the link on a phone and stops at the consent screen (nothing claimed yet). */
export async function openHandoff(
  shop: HardLoginSite,
  agentBrowser: Browser,
  phoneBrowser: Browser,
  path: string,
  options: { profile: PhoneProfile; colorScheme?: "light" | "dark"; reason?: string; agentName?: string; extra?: Partial<HandoffOptions> },
): Promise<PhoneHandoff> {
  const { apiKey } = await createAgent([shop.origin], options.agentName ?? "Shop assistant");
  const agentPage = await (await agentBrowser.newContext()).newPage();
  await agentPage.goto(`${shop.origin}${path}`);
  let deliver!: (link: HandoffLink) => void;
  const linkReady = new Promise<HandoffLink>((r) => (deliver = r));
  const result = new BatonClient({ serverUrl: E2E_URL, apiKey }).handoff(agentPage, {
    reason: options.reason ?? "Reorder your usual groceries",
    success: { url: /\/account/ },
    onLink: deliver,
    ...options.extra,
  });
  // Each test awaits the outcome it expects; an unobserved rejection must not fail another test.
  result.catch(() => undefined);
  const link = await linkReady;
  const phone = await PhoneBot.open(phoneBrowser, link.url, { profile: options.profile, colorScheme: options.colorScheme });
  return { agentPage, phone, result, link };
}

/** Opens the link, presses Continue and Approve, and waits until the live view is live. */
export async function liveHandoff(...args: Parameters<typeof openHandoff>): Promise<PhoneHandoff> {
  const handoff = await openHandoff(...args);
  await handoff.phone.continueAndApprove();
  await handoff.phone.page.getByRole("status").filter({ hasText: /^Live/ }).waitFor();
  return handoff;
}

/** The handoff's own tab in the agent's browser (the test reads the remote page from it). */
export function remotePage(agentBrowser: Browser, agentPage: Page, path: string): Page {
  for (const context of agentBrowser.contexts())
    for (const page of context.pages()) if (page !== agentPage && new URL(page.url()).pathname === path) return page;
  throw new Error(`no handoff page at ${path}`);
}
