/** A CDP session played in memory for the screencast's tests: Chromium's frames on demand, and what was sent to it. */
import { EventEmitter } from "node:events";

export class FakeCdp extends EventEmitter {
  readonly acks: number[] = [];
  /** Every other method sent, in order. */
  readonly calls: string[] = [];
  private readonly held = new Map<string, Promise<void>>();
  private readonly failing = new Set<string>();
  send(method: string, params?: { sessionId?: number }): Promise<object> {
    if (method === "Page.screencastFrameAck" && params?.sessionId !== undefined) this.acks.push(params.sessionId);
    else this.calls.push(method);
    if (this.failing.delete(method)) return Promise.reject(new Error(`${method}: Target closed`));
    return (this.held.get(method) ?? Promise.resolve()).then(() => ({}));
  }
  /** The next call of `method` fails, as on a page that is closing. */
  failOnce(method: string): void {
    this.failing.add(method);
  }
  /** Calls of `method` from now on answer only once the function returned is called. */
  hold(method: string): () => void {
    let release!: () => void;
    this.held.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(method);
      release();
    };
  }
  /** Chromium produces frame number `n` (a distinct picture each time). */
  frame(n: number): void {
    this.emit("Page.screencastFrame", {
      data: Buffer.from(`jpeg-${n}`).toString("base64"),
      sessionId: 1000 + n,
      metadata: { deviceWidth: 390, deviceHeight: 700 },
    });
  }
}
