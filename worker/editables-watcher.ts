/**
 * Tells the phone where the page the user sees has fields — inputs, text areas, editable regions,
 * and frames (which may hold a login form from another origin) — so a tap there can open the
 * phone's keyboard inside the tap itself, as phones require, and a tap anywhere else does not.
 */
import type { BrowserContext, Page } from "playwright-core";
import { EditablesSchema, type RemoteBox } from "../lib/protocol/stream";
import { pageScript } from "./page-script";

const BINDING = "__batonEditables";

/** Runs in the top frame of every handoff page. Small and dependency-free. */
function editablesReporter(binding: string): void {
  if (window !== window.top) return;
  const skip = new Set(["button", "submit", "checkbox", "radio", "range", "file", "hidden", "reset", "image", "color"]);
  const selector = "input, textarea, [contenteditable]:not([contenteditable=false]), iframe";
  let last = "";
  let scheduled = false;
  const measure = () => {
    scheduled = false;
    const boxes: { x: number; y: number; width: number; height: number }[] = [];
    for (const el of Array.from(document.querySelectorAll(selector)).slice(0, 500)) {
      if (el instanceof HTMLInputElement && skip.has(el.type)) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) continue;
      // Clipped to the screen: only what can be tapped matters, and sizes stay within the protocol's bounds.
      const left = Math.max(0, r.left);
      const top = Math.max(0, r.top);
      const right = Math.min(innerWidth, r.right);
      const bottom = Math.min(innerHeight, r.bottom);
      boxes.push({ x: Math.round(left), y: Math.round(top), width: Math.round(right - left), height: Math.round(bottom - top) });
      if (boxes.length === 64) break;
    }
    const json = JSON.stringify(boxes);
    if (json === last) return;
    last = json;
    (globalThis as unknown as Record<string, ((v: unknown) => void) | undefined>)[binding]?.(boxes);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(measure, 50);
  };
  addEventListener("scroll", schedule, { capture: true, passive: true });
  addEventListener("resize", schedule);
  addEventListener("load", schedule);
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(schedule).observe(document.documentElement, { subtree: true, childList: true, attributes: true });
    schedule();
  });
  document.addEventListener("transitionend", schedule, true);
}

export async function watchEditables(context: BrowserContext, onBoxes: (boxes: RemoteBox[], page: Page) => void): Promise<void> {
  await context.exposeBinding(BINDING, (source, raw: unknown) => {
    const parsed = EditablesSchema.safeParse(raw);
    if (parsed.success) onBoxes(parsed.data, source.page);
  });
  await context.addInitScript({ content: pageScript(editablesReporter, BINDING) });
}
