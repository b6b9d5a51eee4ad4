/**
 * Tells the phone which kind of field has focus in the handoff page, so its keyboard proxy can
 * take the same kind (password, numeric one-time code, email, …) and open or close the on-screen
 * keyboard at the right moments. An init script reports focus changes through a binding; what it
 * reports comes from the remote page, so it is parsed like any other input.
 */
import type { BrowserContext, Page } from "playwright-core";
import { RemoteFieldSchema, type RemoteField } from "../lib/protocol/stream";
import { pageScript } from "./page-script";

const BINDING = "__batonFieldFocus";

/** Runs in every frame of the handoff page. Kept small and dependency-free. */
function fieldReporter(binding: string): void {
  // Looked up at call time: the binding may be installed after this script first runs.
  const report = (value: unknown) => (globalThis as unknown as Record<string, ((v: unknown) => void) | undefined>)[binding]?.(value);
  const describe = (el: Element | null) => {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && !(el instanceof HTMLElement && el.isContentEditable)) return null;
    const r = el.getBoundingClientRect();
    const input = el instanceof HTMLInputElement ? el : null;
    if (input && ["button", "submit", "checkbox", "radio", "range", "file", "hidden", "reset", "image", "color"].includes(input.type)) return null;
    return {
      type: input ? input.type : "text",
      inputMode: el.getAttribute("inputmode") ?? "",
      autocomplete: el.getAttribute("autocomplete") ?? "",
      enterKeyHint: el.getAttribute("enterkeyhint") ?? "",
      box: { x: r.x, y: r.y, width: r.width, height: r.height },
    };
  };
  const send = () => {
    // Focus inside a frame is reported by that frame's own copy of this script.
    if (document.activeElement instanceof HTMLIFrameElement) return;
    report(describe(document.activeElement));
  };
  document.addEventListener("focusin", send, true);
  document.addEventListener("focusout", () => setTimeout(send, 0), true);
  // An autofocused field (a code page) may get focus without a focus event reaching us: look once
  // the page is ready, and only report a field, so a frame without one cannot clear another's.
  const reportReady = () => {
    if (describe(document.activeElement)) send();
  };
  document.addEventListener("DOMContentLoaded", () => setTimeout(reportReady, 0));
  addEventListener("load", () => setTimeout(reportReady, 0));
}

/** `onField` learns which page reported, so only the page the phone sees is listened to. */
export async function watchFields(context: BrowserContext, onField: (field: RemoteField | null, page: Page) => void): Promise<void> {
  await context.exposeBinding(BINDING, (source, raw: unknown) => {
    if (raw === null) return onField(null, source.page);
    const parsed = RemoteFieldSchema.safeParse(raw);
    if (parsed.success) onField(parsed.data, source.page);
  });
  await context.addInitScript({ content: pageScript(fieldReporter, BINDING) });
}
