/**
 * The worker's end of the sealed stream: messages and frames to the phone are sealed and emitted in
 * the order they were produced (the sealer settles in that order; the queue is what `flushed()`
 * waits on), and what the phone sends is opened and parsed, or dropped.
 */
import type { Opener, Sealer } from "../../lib/crypto/seal";
import { decodeToWorker, encodeControl, encodeFrame, type Frame, type ToPhoneMessage, type ToWorkerMessage } from "../../lib/protocol/stream";

export interface SealedChannelDeps {
  sealer: Sealer;
  opener: Opener;
  emit(payload: Uint8Array): void;
  /** False while the relay would refuse stream data (before approval, after the end). */
  canSend(): boolean;
}

export class SealedChannel {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SealedChannelDeps) {}

  send(message: ToPhoneMessage): void {
    if (!this.deps.canSend()) return;
    this.enqueue(this.deps.sealer.seal(encodeControl(message)));
  }

  sendFrame(frame: Frame): void {
    this.enqueue(this.deps.sealer.seal(encodeFrame(frame)));
  }

  /** Settles once everything sent so far has been emitted. */
  flushed(): Promise<unknown> {
    return this.queue;
  }

  /** The phone's message inside `payload`, or null for anything that does not open or parse. */
  async open(payload: unknown): Promise<ToWorkerMessage | null> {
    if (!(payload instanceof Uint8Array)) return null;
    const opened = await this.deps.opener.open(payload);
    if (!opened.ok) return null;
    const decoded = decodeToWorker(opened.plain);
    return decoded.ok && decoded.kind === "control" ? decoded.message : null;
  }

  private enqueue(sealed: Promise<Uint8Array>): void {
    this.queue = this.queue.then(async () => this.deps.emit(await sealed)).catch(dropUnsealable);
  }
}

/** A message that could not be sealed (the key was gone at shutdown) is not sent; later ones still are. */
function dropUnsealable(): void {}
