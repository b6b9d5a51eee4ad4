/**
 * Optional: carry the target origin's localStorage and sessionStorage over too (some sites keep
 * their tokens there; Playwright's storageState leaves sessionStorage out). Values stay in the
 * agent's process, like cookies. They are planted in the agent's context by an init script that
 * writes them when a page of exactly that origin loads.
 */
import type { BrowserContext, Page } from "playwright-core";
import { pageScript } from "./page-script";

export interface OriginStorage {
  origin: string;
  local: [string, string][];
  session: [string, string][];
}

export async function captureStorage(page: Page, origin: string): Promise<OriginStorage | null> {
  if (new URL(page.url()).origin !== origin) return null;
  return page.evaluate(pageScript(dumpStorage, origin)) as Promise<OriginStorage>;
}

function dumpStorage(origin: string): OriginStorage {
  const dump = (s: Storage) => Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, s.getItem(k) ?? ""] as [string, string]);
  return { origin, local: dump(localStorage), session: dump(sessionStorage) };
}

function plant(data: OriginStorage): void {
  if (location.origin !== data.origin) return;
  for (const [k, v] of data.local) if (localStorage.getItem(k) === null) localStorage.setItem(k, v);
  for (const [k, v] of data.session) if (sessionStorage.getItem(k) === null) sessionStorage.setItem(k, v);
}

/**
 * Plants the entries in the agent's context; returns what takes them out again (for `release()`):
 * the init script goes, and the entries are removed from the origin's storage and open tabs.
 */
export async function injectStorage(context: BrowserContext, data: OriginStorage): Promise<() => Promise<void>> {
  if (data.local.length === 0 && data.session.length === 0) return async () => undefined;
  const script = await context.addInitScript({ content: pageScript(plant, data) });
  return async () => {
    await script.dispose();
    await removeStorage(context, data);
  };
}

function unplant(data: OriginStorage): void {
  if (location.origin !== data.origin) return;
  for (const [k] of data.local) localStorage.removeItem(k);
  for (const [k] of data.session) sessionStorage.removeItem(k);
}

async function removeStorage(context: BrowserContext, data: OriginStorage): Promise<void> {
  for (const page of context.pages()) await page.evaluate(pageScript(unplant, data)).catch(() => undefined);
  // localStorage outlives tabs: open the origin once, served locally (no request leaves), to clear it.
  const page = await context.newPage();
  try {
    await page.route("**/*", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "" }));
    await page.goto(`${data.origin}/`);
    await page.evaluate(pageScript(unplant, data));
  } finally {
    await page.close();
  }
}
