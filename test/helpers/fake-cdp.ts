/** A CDP session played in memory for the screencast's tests: Chromium's frames on demand, and what was sent to it. */
import { EventEmitter } from "node:events";

export class FakeCdp extends EventEmitter {
  readonly acks: number[] = [];
  /** Every other method sent, in order. */
  readonly calls: string[] = [];
  private readonly held = new Map<string, Promise<void>>();
  /** The parameters of every Page.startScreencast, in order. */
  readonly starts: { format?: string; quality?: number }[] = [];
  private readonly failing = new Map<string, number>();
  private refusedFormats = new Set<string>();
  send(method: string, params?: { sessionId?: number; format?: string; quality?: number }): Promise<object> {
    if (method === "Page.screencastFrameAck" && params?.sessionId !== undefined) this.acks.push(params.sessionId);
    else this.calls.push(method);
    if (method === "Page.startScreencast") this.starts.push({ format: params?.format, quality: params?.quality });
    const failures = this.failing.get(method) ?? 0;
    if (failures > 0) {
      this.failing.set(method, failures - 1);
      return Promise.reject(new Error(`${method}: Target closed`));
    }
    if (method === "Page.startScreencast" && this.refusedFormats.has(params?.format ?? ""))
      return Promise.reject(new Error("Protocol error (Page.startScreencast): Invalid parameters"));
    return (this.held.get(method) ?? Promise.resolve()).then(() => ({}));
  }
  /** The next call of `method` fails, as on a page that is closing (once more for each call of this). */
  failOnce(method: string): void {
    this.failing.set(method, (this.failing.get(method) ?? 0) + 1);
  }
  /** Page.startScreencast refuses `format`, as a Chromium whose protocol does not have it. */
  refuseFormat(format: string): void {
    this.refusedFormats.add(format);
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
  /** Chromium sends `image` as a frame of a view of `view` CSS pixels. */
  picture(image: Buffer, view: { width: number; height: number }, sessionId = 2000): void {
    this.emit("Page.screencastFrame", {
      data: image.toString("base64"),
      sessionId,
      metadata: { deviceWidth: view.width, deviceHeight: view.height },
    });
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
