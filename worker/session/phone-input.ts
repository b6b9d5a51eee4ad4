/**
 * What the phone sends, applied to the handoff: a hello or resize sizes the view, an ack paces the
 * frames, "I'm signed in" proposes success, and everything else is input for the page on view,
 * applied one message at a time in the order it came.
 */
import type { ToWorkerMessage } from "../../lib/protocol/stream";
import type { Page } from "playwright-core";
import type { PageStream } from "../page-stream";
import type { FramePacer } from "./frame-pacer";
import type { SessionWatch } from "./session-watch";
import type { StreamStack } from "./stream-stack";

export interface PhoneInputDeps {
  stack: Pick<StreamStack, "view" | "closePopup"> & { readonly current: Pick<PageStream, "apply" | "page"> | undefined };
  pacer: Pick<FramePacer, "drawn" | "input" | "phoneDecodes">;
  watch(): Pick<SessionWatch, "input" | "start">;
  /** False before approval and after the end: the phone's messages are then ignored. */
  canApply(): boolean;
  /** The person pressed "I'm signed in". */
  signedIn(): Promise<void>;
  /** The person's touch, key or text is about to reach `page` (told before it is applied, so a navigation it starts comes after). */
  personActed(page: Page): void;
}

export class PhoneInput {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PhoneInputDeps) {}

  async handle(message: ToWorkerMessage): Promise<void> {
    const { stack, pacer } = this.deps;
    if (!this.deps.canApply() || !stack.current) return;
    const watch = this.deps.watch();
    switch (message.t) {
      case "hello":
        watch.input();
        // A view that fails (the page closed or detached meanwhile) is sized again by the next
        // hello, resize or page switch; the watch that looks for the sign-in starts all the same.
        await stack.view(message.viewport, true).catch(ignoreInputError);
        return watch.start();
      case "resize":
        return stack.view(message.viewport, false).catch(ignoreInputError);
      case "decodes":
        return pacer.phoneDecodes({ webp: message.formats.includes("webp") });
      case "frame_ack":
        return pacer.drawn(message.seq);
      case "signed_in":
        watch.input();
        return this.deps.signedIn();
      default:
        watch.input();
        pacer.input();
        // A nav "close" only ever closes a popup; everything else is input for the page on view.
        if (message.t === "nav" && message.action === "close") return stack.closePopup();
        this.queue = this.queue
          .then(() => {
            const current = stack.current;
            if (!current) return;
            if (maySetOffNavigation(message)) this.deps.personActed(current.page);
            return current.apply(message);
          })
          .catch(ignoreInputError);
    }
  }

  /** Settles once every input taken so far has been applied. */
  applied(): Promise<unknown> {
    return this.queue;
  }
}

/** A touch, a key, text or a step back: what may set off a navigation (a finger's move or a scroll goes on all the time). */
function maySetOffNavigation(message: ToWorkerMessage): boolean {
  return !(message.t === "wheel" || (message.t === "pointer" && message.phase === "move"));
}

/** Input for a page that navigated or closed meanwhile has nothing to act on; the next message still goes. */
function ignoreInputError(): void {}
