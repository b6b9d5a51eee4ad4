/**
 * Applies the phone's input to the handoff page. Only the allowlisted kinds of
 * lib/protocol/stream.ts reach here (already parsed); there is no way to navigate elsewhere or run
 * script — back and reload act on the handoff tab only.
 */
import type { CDPSession, Page } from "playwright-core";
import type { ToWorkerMessage } from "../lib/protocol/stream";

type InputMessage = Extract<ToWorkerMessage, { t: "pointer" | "wheel" | "key" | "text" | "compose" | "nav" }>;

/** One CDP input command, made when it is its turn to be sent. */
type PointerCommand = () => Promise<unknown>;

const touchType = { down: "touchStart", move: "touchMove", up: "touchEnd", cancel: "touchCancel" } as const;
const mouseType = { down: "mousePressed", move: "mouseMoved", up: "mouseReleased", cancel: "mouseReleased" } as const;

/** Short text is typed key by key (sites that listen for key events see them); long text is inserted. */
const TYPE_LIMIT = 16;

/**
 * Pointer and wheel events sent and not yet acknowledged by the renderer, at most. CDP handles one
 * session's commands in the order they came, so a tap's touch end can follow its touch start at
 * once rather than a renderer round trip later; the bound keeps a flood of moves from queueing up.
 */
const POINTER_EVENTS_IN_FLIGHT = 8;

/** A finger held this long without moving is a long press (a context menu, a selection). */
const LONG_PRESS_MS = 550;
const LONG_PRESS_SLOP = 8;

export class InputDriver {
  private isMouseDown = false;
  private press: { x: number; y: number; timer: NodeJS.Timeout } | null = null;
  /** The phone's clock against ours at the start of a touch, so a gesture keeps its own timing. */
  private touchClock: { phone: number; local: number } | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  /** Forgets a pending long press (the page is no longer on view). */
  stop(): void {
    if (this.press) clearTimeout(this.press.timer);
    this.press = null;
  }

  /**
   * Resolves once the input is on its way: pointer and wheel events as soon as they are sent (see
   * POINTER_EVENTS_IN_FLIGHT), everything else once the page took it. Keys, text and navigation go
   * through Playwright's own session, so they first wait for every pointer event before them.
   */
  async apply(message: InputMessage): Promise<void> {
    if (message.t === "pointer") {
      if (message.pointerType !== "touch") return this.send(this.mouse(message));
      this.trackLongPress(message);
      await this.send(this.touch(message));
      // Timed from when the touch start went out, so its right-click cannot overtake it.
      if (message.phase === "down") this.startLongPress(message);
      return;
    }
    if (message.t === "wheel") {
      const { x, y, dx: deltaX, dy: deltaY } = message;
      return this.send(() => this.cdp.send("Input.dispatchMouseEvent", { type: "mouseWheel", x, y, deltaX, deltaY }));
    }
    await this.acknowledged();
    switch (message.t) {
      case "key":
        await this.page.keyboard.press(message.shift ? `Shift+${message.key}` : message.key);
        return;
      case "text":
        if ([...message.text].length <= TYPE_LIMIT) await this.page.keyboard.type(message.text);
        else await this.page.keyboard.insertText(message.text);
        return;
      case "compose":
        await this.cdp.send("Input.imeSetComposition", { text: message.text, selectionStart: message.text.length, selectionEnd: message.text.length });
        return;
      case "nav":
        if (message.action === "close") return; // handled by the session: only a popup may close
        if (message.action === "back") await this.page.goBack({ timeout: 10_000 }).catch(() => undefined);
        else await this.page.reload({ timeout: 10_000 }).catch(() => undefined);
        return;
    }
  }

  /** Every pointer event sent so far has been acknowledged (or refused) by the renderer. */
  async acknowledged(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  private async send(command: PointerCommand): Promise<void> {
    while (this.inFlight.size >= POINTER_EVENTS_IN_FLIGHT) await Promise.race(this.inFlight);
    // A refusal (the page navigated, the target closed) has nothing to act on, as with any input.
    const sent = command().then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(sent);
    void sent.then(() => this.inFlight.delete(sent));
  }

  private touch(m: Extract<InputMessage, { t: "pointer" }>): PointerCommand {
    const type = touchType[m.phase];
    const touchPoints = type === "touchEnd" || type === "touchCancel" ? [] : [{ x: m.x, y: m.y, radiusX: 4, radiusY: 4, force: 1, id: 0 }];
    if (m.phase === "down") this.touchClock = m.ts === undefined ? null : { phone: m.ts, local: Date.now() };
    // Events carry the times the finger made them: relay jitter must not change a flick's speed.
    // Never before the touch began nor after now: the phone's clock is only trusted for intervals.
    const local =
      this.touchClock && m.ts !== undefined
        ? Math.min(Date.now(), Math.max(this.touchClock.local, this.touchClock.local + (m.ts - this.touchClock.phone)))
        : undefined;
    const timestamp = local === undefined ? undefined : local / 1000;
    return () => this.cdp.send("Input.dispatchTouchEvent", { type, touchPoints, ...(timestamp ? { timestamp } : {}) });
  }

  private mouse(m: Extract<InputMessage, { t: "pointer" }>): PointerCommand {
    if (m.phase === "move") {
      const buttons = this.isMouseDown ? 1 : 0;
      return () => this.cdp.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: m.x, y: m.y, button: buttons ? "left" : "none", buttons });
    }
    this.isMouseDown = m.phase === "down";
    const buttons = this.isMouseDown ? 1 : 0;
    return () => this.cdp.send("Input.dispatchMouseEvent", { type: mouseType[m.phase], x: m.x, y: m.y, button: "left", buttons, clickCount: 1 });
  }

  /**
   * Touch events sent over CDP do not drive Chromium's long-press detection, so a held finger is
   * turned into what a long press does on a phone: a context-menu request at that point.
   */
  private trackLongPress(m: Extract<InputMessage, { t: "pointer" }>): void {
    // A new touch, a lift, a cancel or a move past the slop ends the one being held.
    if (this.press && (m.phase !== "move" || Math.hypot(m.x - this.press.x, m.y - this.press.y) > LONG_PRESS_SLOP)) {
      clearTimeout(this.press.timer);
      this.press = null;
    }
  }

  private startLongPress(m: Extract<InputMessage, { t: "pointer" }>): void {
    const timer = setTimeout(() => {
      this.press = null;
      const at = { x: m.x, y: m.y, button: "right" as const, clickCount: 1 };
      // In line with the pointer events, so a key typed after it waits for it too.
      void this.send(() => this.cdp.send("Input.dispatchMouseEvent", { type: "mousePressed", ...at, buttons: 2 })).then(() =>
        this.send(() => this.cdp.send("Input.dispatchMouseEvent", { type: "mouseReleased", ...at, buttons: 0 })),
      );
    }, LONG_PRESS_MS);
    this.press = { x: m.x, y: m.y, timer };
  }
}
