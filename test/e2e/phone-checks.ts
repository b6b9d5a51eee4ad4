/** Checks every phone screen gets: no serious or critical axe violation, it fits, and a screenshot to look at. */
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright";
import { expect } from "./fixtures";

export const SHOTS = "test-results/e2e/screens";

/** Zero serious or critical accessibility violations (axe-core, WCAG 2.x A and AA rules). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary?.split("\n").slice(1).join(" ").trim()})`).join("; ")}`);
  expect(bad, `axe on ${screen}`).toEqual([]);
}

/** No sideways scrolling, and every control on screen. */
export async function expectFits(page: Page): Promise<void> {
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: innerWidth,
    height: innerHeight,
    controls: [...document.querySelectorAll("button")].map((el) => {
      const r = el.getBoundingClientRect();
      return { name: el.textContent?.trim() || el.getAttribute("aria-label") || "button", left: r.left, right: r.right, bottom: r.bottom + scrollY };
    }),
  }));
  expect(layout.scrollWidth, "no horizontal scrolling").toBeLessThanOrEqual(layout.width);
  for (const c of layout.controls) {
    expect(c.left, `${c.name} inside the screen`).toBeGreaterThanOrEqual(0);
    expect(c.right, `${c.name} inside the screen`).toBeLessThanOrEqual(layout.width + 0.5);
  }
}

/** Accessible, fits, and photographed. */
export async function checkScreen(page: Page, shot: string): Promise<void> {
  await expectFits(page);
  await expectAccessible(page, shot);
  await page.screenshot({ path: `${SHOTS}/${shot}.png` });
}
