/**
 * One handoff, from the agent's side: it creates the handoff, prepares the isolated context,
 * delivers the link, streams the page sealed to the phone, applies the phone's input, recognises the
 * sign-in, moves what it created into the agent's context and reports metadata only.
 *
 * This file orchestrates and owns the phase; the parts live in `session/`: preparing the handoff
 * (its creation and link, the relay link and its callbacks, the sealed channel, the watch, the login
 * page), the stream stack (login page and popups), the frame pacer (sharp frames, the echo hold),
 * the phone's input, the sign-in recognizer, the hand-over and the result.
 */
import type { Page } from "playwright-core";
import { randomSealKey } from "../lib/crypto/seal";
import { isStreaming, isTerminal, type HandoffState } from "../lib/lifecycle/states";
import { FailureReasons } from "../lib/protocol/end-reasons";
import type { ToPhoneMessage } from "../lib/protocol/stream";
import type { ApiClient } from "./api-client";
import { errorForEnd, HandoffCancelled, HandoffFailed } from "./errors";
import { completeHandOver } from "./session/complete-hand-over";
import { FramePacer } from "./session/frame-pacer";
import { handoffResult } from "./session/handoff-result";
import { PhoneInput } from "./session/phone-input";
import { prepareHandoff, type PreparedHandoff, type SessionHost } from "./session/prepare-handoff";
import { crashReason, reportFailure } from "./session/report-failure";
import type { SignInRecognizer } from "./session/sign-in-recognizer";
import { handoffLink } from "./session/start-handoff";
import { StreamStack } from "./session/stream-stack";
import { systemTimers, type Timers } from "./session/timers";
import type { BatonClientOptions, HandoffOptions, HandoffResult } from "./types";

type Detected = HandoffResult["detectedBy"];

/** Where this side is; the server's lifecycle state is `state`, kept apart. */
type Phase =
  | { kind: "running" }
  | { kind: "completing" }
  /** This side ended the handoff as failed; `report` settles once the server has heard it. */
  | { kind: "failing"; report: Promise<void> };

export class HandoffSession {
  private phase: Phase = { kind: "running" };
  private state: HandoffState = "pending";
  private p!: PreparedHandoff;
  private recognizer: SignInRecognizer | null = null;
  private hasReportedLive = false;
  private reuseDetected = false;
  private frameSeq = 0;
  private readonly startedAt: number;
  private linkReadyMs = 0;
  private settle!: { resolve: (r: HandoffResult) => void; reject: (e: Error) => void };
  private readonly pacer: FramePacer;
  private readonly stack: StreamStack;
  private readonly input: PhoneInput;

  constructor(
    private readonly api: ApiClient,
    private readonly client: BatonClientOptions,
    private readonly agentPage: Page,
    private readonly options: HandoffOptions,
    private readonly timers: Timers = systemTimers,
  ) {
    this.startedAt = timers.now();
    const nextSeq = () => (this.frameSeq = (this.frameSeq + 1) >>> 0);
    this.pacer = new FramePacer({
      timers,
      current: () => this.stack.current,
      viewport: () => this.stack.viewer.viewport,
      isViewerConnected: () => this.stack.viewer.isConnected,
      send: (frame) => this.sendFrame(frame),
      nextSeq,
    });
    this.stack = new StreamStack({ pacer: this.pacer, send: (m) => this.send(m), nextSeq, frameSource: options.frameSource });
    this.input = new PhoneInput({
      stack: this.stack,
      pacer: this.pacer,
      watch: () => this.p.watch,
      canApply: () => isStreaming(this.state),
      signedIn: () => this.tryFinish("user"),
      // Input is applied only once the page has loaded (onStreamData): the browser is open, so the
      // keeper is told in the next microtask, before any event of the navigation the input may start.
      personActed: (page) => void this.p.opening.then((hb) => hb.personActed(page)).catch(() => undefined),
    });
  }

  async run(): Promise<HandoffResult> {
    const { options } = this;
    if (options.signal?.aborted) throw new HandoffCancelled("", "cancelled_by_agent");
    const browser = options.browser ?? this.agentPage.context().browser();
    if (!browser) throw new HandoffFailed("", "no_browser", "pass `browser` when the page comes from a persistent context");
    const done = new Promise<HandoffResult>((resolve, reject) => (this.settle = { resolve, reject }));
    // It may settle (denied, expired…) while the page is still loading; it is awaited below.
    done.catch(() => undefined);
    const onAbort = () => void this.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const rawKey = randomSealKey();
      this.p = await prepareHandoff({
        api: this.api,
        client: this.client,
        options,
        timers: this.timers,
        browser,
        pageUrl: this.agentPage.url(),
        rawKey,
        stack: this.stack,
        host: this.host(),
      });
      this.linkReadyMs = this.timers.now() - this.startedAt;
      await options.onLink(handoffLink(this.p.created, this.client.serverUrl, rawKey));
      await this.p.ready;
      return await done;
    } catch (error) {
      await this.reportCrash(error);
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      await this.cleanup();
    }
  }

  /** What the parts may ask of the session; the phase and the state stay here. */
  private host(): SessionHost {
    return {
      isRunning: () => this.phase.kind === "running",
      state: () => this.state,
      applyState: (state, endReason) => this.onState(state, endReason),
      failWith: (error) => void this.failWith(error),
      viewerGone: () => this.stack.viewerGone(),
      reuseDetected: (attempts) => {
        this.reuseDetected = true;
        this.options.onReuseDetected?.({ attempts });
      },
      // Nothing a phone's message sets off may reject into the agent's process unhandled.
      streamData: (payload) => void this.onStreamData(payload).catch(() => undefined),
      send: (message) => this.send(message),
      onLiveTick: () => this.onLiveTick(),
      recognized: (recognizer) => (this.recognizer = recognizer),
    };
  }

  private onState(state: HandoffState, endReason: string | null): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange?.(state);
    if (state === "completed" || (state === "captured" && this.phase.kind === "completing")) return;
    if (isTerminal(state)) this.settle.reject(errorForEnd(this.p.created.id, state, endReason));
  }

  private async onStreamData(payload: unknown): Promise<void> {
    const message = await this.p.channel.open(payload);
    if (!message) return;
    // Messages that come while the page loads are applied once it has (or not at all, if it failed: run() reports that).
    await this.p.ready.catch(() => undefined);
    await this.input.handle(message);
  }

  private sendFrame(frame: { seq: number; width: number; height: number; image: Uint8Array }): void {
    this.p.channel.sendFrame(frame);
    if (this.state !== "approved" || this.hasReportedLive) return;
    this.hasReportedLive = true;
    // Best effort: the first input or the sign-in reports live again.
    void this.api.report(this.p.created.id, { event: "live" }).catch(() => undefined);
  }

  private send(message: ToPhoneMessage): void {
    this.p?.channel.send(message);
  }

  /** Tells the phone when the page leaves (or returns to) the login page, then looks for the sign-in. */
  private async onLiveTick(): Promise<void> {
    if (!this.recognizer) return;
    const left = await this.recognizer.progress();
    if (left !== null) this.send({ t: "progress", hasLeftLogin: left });
    if (await this.recognizer.looksSignedIn()) await this.tryFinish(this.options.success ? "rule" : "heuristic");
  }

  /**
   * Success is proposed (a rule, the heuristic, or the person): hand over what the sign-in created.
   * Nothing created is no success — the person is asked to keep going (the watch keeps looking); a
   * session kept only in storage, without `includeStorage`, fails with a reason that says so.
   */
  private async tryFinish(detectedBy: Detected): Promise<void> {
    if (this.phase.kind !== "running" || !this.recognizer) return;
    const created = await this.recognizer.created();
    if (this.phase.kind !== "running") return;
    if (created.kind === "nothing") {
      if (detectedBy === "user") this.send({ t: "notice", kind: "not_signed_in_yet" });
      return;
    }
    if (created.kind === "storage_only") {
      const detail = "the site keeps its session in browser storage: pass includeStorage: true to hand it over";
      return this.failWith(new HandoffFailed(this.p.created.id, FailureReasons.STORAGE_ONLY, detail));
    }
    this.phase = { kind: "completing" };
    const detectedAt = this.timers.now();
    const id = this.p.created.id;
    try {
      // Best effort: the server takes `captured` from `approved` too; this only keeps the record's order.
      if (this.state === "approved") await this.api.report(id, { event: "live" }).catch(() => undefined);
      this.send({ t: "phase", phase: "signed_in" });
      const handed = await completeHandOver(this.api, id, this.agentPage.context(), created.cookies, created.storage);
      const timings = { linkReadyMs: this.linkReadyMs, detectedToInjectedMs: this.timers.now() - detectedAt };
      this.settle.resolve(
        handoffResult({ handoffId: id, cookies: created.cookies, handed, reuseDetected: this.reuseDetected, detectedBy, timings, api: this.api }),
      );
    } catch (error) {
      this.settle.reject(error instanceof Error ? error : new HandoffFailed(id, FailureReasons.WORKER_ERROR, "capture failed"));
    }
  }

  /** Ends the handoff as failed with a typed error, once; the server records the reason code. */
  private async failWith(error: HandoffFailed): Promise<void> {
    if (this.phase.kind !== "running" || isTerminal(this.state)) return;
    // The agent gets this error, not the server's echo of it.
    this.settle.reject(error);
    const report = reportFailure(this.api, this.p.created.id, this.p.channel.flushed(), error.reason ?? FailureReasons.WORKER_ERROR, this.timers);
    this.phase = { kind: "failing", report };
    await report;
  }

  private async abort(): Promise<void> {
    // Best effort: the agent has its answer; the server's deadlines end a handoff it did not hear of.
    if (this.p) await this.api.report(this.p.created.id, { event: "cancelled" }).catch(() => undefined);
    this.settle.reject(new HandoffCancelled(this.p?.created.id ?? "", "cancelled_by_agent"));
  }

  /** An exception ended run(): the server hears the kind of failure only. */
  private async reportCrash(error: unknown): Promise<void> {
    if (this.phase.kind === "failing") return this.phase.report;
    if (!this.p || isTerminal(this.state) || error instanceof HandoffCancelled) return;
    await reportFailure(this.api, this.p.created.id, this.p.channel.flushed(), crashReason(error), this.timers);
  }

  private async cleanup(): Promise<void> {
    this.p?.watch.stop();
    this.pacer.stop();
    await this.stack.stopAll();
    this.p?.socket.disconnect();
    // A context that never opened has nothing to close; run() already has that error.
    const hb = await this.p?.opening.catch(() => null);
    await hb?.close();
  }
}
