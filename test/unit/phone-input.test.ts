import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { ToWorkerMessage } from "../../lib/protocol/stream";
import { PhoneInput } from "../../worker/session/phone-input";

function phone(canApply = true) {
  const events: string[] = [];
  let release: (() => void) | null = null;
  const input = new PhoneInput({
    stack: {
      view: async (viewport, isHello) => void events.push(`view:${viewport.width}:${isHello}`),
      closePopup: async () => void events.push("close_popup"),
      current: {
        page: {} as Page,
        // The first input is slow: later ones must still wait for it.
        apply: (message: ToWorkerMessage) =>
          new Promise<void>((resolve) => {
            const done = () => resolve(void events.push(`apply:${message.t}`));
            if (!release && events.every((e) => !e.startsWith("apply"))) release = done;
            else done();
          }),
      },
    },
    pacer: {
      drawn: (seq) => void events.push(`drawn:${seq}`),
      input: () => void events.push("pacer_input"),
      phoneDecodes: (formats) => void events.push(`decodes:${formats.webp ? "webp" : "jpeg"}`),
    },
    watch: () => ({ input: () => void events.push("watch_input"), start: () => void events.push("watch_start") }),
    canApply: () => canApply,
    signedIn: async () => void events.push("signed_in"),
    personActed: () => void events.push("acted"),
  });
  return { input, events, releaseFirst: () => release?.() };
}

const viewport = { width: 412, height: 839, dpr: 2 };

describe("the phone's input", () => {
  it("starts the watch although the view could not be sized (the page detached), and never rejects for it", async () => {
    const events: string[] = [];
    const input = new PhoneInput({
      stack: {
        view: () => Promise.reject(new Error("Protocol error (Page.startScreencast): Not attached to an active page")),
        closePopup: async () => undefined,
        current: { apply: async () => undefined, page: {} as Page },
      },
      pacer: { drawn: () => undefined, input: () => undefined, phoneDecodes: () => undefined },
      watch: () => ({ input: () => void events.push("watch_input"), start: () => void events.push("watch_start") }),
      canApply: () => true,
      signedIn: async () => undefined,
      personActed: () => void events.push("acted"),
    });
    await expect(input.handle({ t: "hello", viewport })).resolves.toBeUndefined();
    await expect(input.handle({ t: "resize", viewport })).resolves.toBeUndefined();
    expect(events).toEqual(["watch_input", "watch_start"]);
  });

  it("sizes the view on hello and starts the watch after it, and only sizes it on resize", async () => {
    const { input, events } = phone();
    await input.handle({ t: "hello", viewport });
    await input.handle({ t: "resize", viewport: { ...viewport, width: 390 } });
    expect(events).toEqual(["watch_input", "view:412:true", "watch_start", "view:390:false"]);
  });

  it("tells the pacer which formats the phone decodes, keeping only those it knows", async () => {
    const { input, events } = phone();
    await input.handle({ t: "hello", viewport });
    await input.handle({ t: "decodes", formats: ["avif", "webp"] });
    await input.handle({ t: "decodes", formats: ["avif"] });
    expect(events.filter((e) => e.startsWith("decodes"))).toEqual(["decodes:webp", "decodes:jpeg"]);
  });

  it("paces frames on an ack without counting it as input", async () => {
    const { input, events } = phone();
    await input.handle({ t: "frame_ack", seq: 7 });
    expect(events).toEqual(["drawn:7"]);
  });

  it("applies input in the order it came, even when the first is slow, each told as the person's just before it is applied", async () => {
    const { input, events, releaseFirst } = phone();
    await input.handle({ t: "text", text: "a" });
    await input.handle({ t: "key", key: "Enter", shift: false });
    expect(events.filter((e) => e.startsWith("apply"))).toEqual([]);
    releaseFirst();
    await input.applied();
    expect(events).toEqual(["watch_input", "pacer_input", "acted", "watch_input", "pacer_input", "apply:text", "acted", "apply:key"]);
  });

  it("tells a touch, a key and text as the person's, and not a finger's move or a scroll", async () => {
    const { input, events, releaseFirst } = phone();
    const at = { pointerType: "touch", x: 5, y: 5 } as const;
    for (const m of [
      { t: "text", text: "a" },
      { t: "pointer", phase: "move", ...at },
      { t: "wheel", x: 5, y: 5, dx: 0, dy: 40 },
      { t: "pointer", phase: "down", ...at },
      { t: "key", key: "Enter", shift: false },
    ] as ToWorkerMessage[])
      await input.handle(m);
    releaseFirst();
    await input.applied();
    expect(events.filter((e) => e.startsWith("apply") || e === "acted")).toEqual([
      "acted",
      "apply:text",
      "apply:pointer",
      "apply:wheel",
      "acted",
      "apply:pointer",
      "acted",
      "apply:key",
    ]);
  });

  it("closes a popup on nav close instead of passing it to the page", async () => {
    const { input, events } = phone();
    await input.handle({ t: "nav", action: "close" });
    await input.applied();
    expect(events).toEqual(["watch_input", "pacer_input", "close_popup"]);
  });

  it("proposes success when the person says they are signed in", async () => {
    const { input, events } = phone();
    await input.handle({ t: "signed_in" });
    expect(events).toEqual(["watch_input", "signed_in"]);
  });

  it("ignores everything while the stream may not flow", async () => {
    const { input, events } = phone(false);
    for (const m of [{ t: "hello", viewport }, { t: "text", text: "a" }, { t: "signed_in" }] as ToWorkerMessage[]) await input.handle(m);
    await input.applied();
    expect(events).toEqual([]);
  });
});
