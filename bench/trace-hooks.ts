/**
 * Timestamps for `npm run bench -- --trace`, taken where each hop happens and never on a product
 * path: the phone page's hooks are an init script the trace alone installs; the worker's are
 * wrappers put round its classes' methods in this (the bench's) process for the trace's duration;
 * the relay's are in bench/server-probe.ts. Every time is epoch milliseconds at high resolution
 * (`performance.timeOrigin + performance.now()`), each process on its own clock; trace.ts measures
 * the offsets between them. Envelopes are matched by their IV (readable framing), frames by size.
 */
import type { BrowserContext } from "playwright";
import { Socket } from "socket.io-client";
import { InputDriver } from "../worker/input-driver";
import { Screencast } from "../worker/screencast";
import { FramePacer } from "../worker/session/frame-pacer";
import { SealedChannel } from "../worker/session/sealed-channel";

export const ivHex = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 12)).toString("hex");
const now = () => performance.timeOrigin + performance.now();

/** What the worker did, in this process's clock. */
export interface WorkerMarks {
  /** Envelopes from the phone: when opening began and ended, and whether it held text. */
  opened: Map<string, { start: number; end: number; isText: boolean }>;
  /** Text input applied to the page: which envelope it came in, dispatch start and end. */
  applied: { iv: string; start: number; end: number }[];
  /** New pictures as they reach the worker from Chromium (screencast frames or captures), with their JPEG size. */
  arrived: { at: number; bytes: number }[];
  /** Screencast frames handed on to the pacer (once there is room to the phone), by seq, with their JPEG size. */
  frames: Map<number, { at: number; bytes: number }>;
  /** Sealed frames handed to the socket, by IV, with the envelope's size. */
  emitted: Map<string, { at: number; bytes: number }>;
}

/** Wraps the worker's methods; returns the marks and a function that puts the originals back. */
export function hookWorker(): { marks: WorkerMarks; unhook: () => void } {
  const marks: WorkerMarks = { opened: new Map(), applied: [], arrived: [], frames: new Map(), emitted: new Map() };
  type Produced = (this: Screencast, picture: { image: Buffer }) => void;
  const screencast = Screencast.prototype as unknown as { produced: Produced };
  const produced = screencast.produced;
  // Taken off the prototypes to be called again with each instance as `this`, and put back after.
  /* eslint-disable @typescript-eslint/unbound-method */
  const open = SealedChannel.prototype.open;
  const apply = InputDriver.prototype.apply;
  const deliver = FramePacer.prototype.deliver;
  const emit = Socket.prototype.emit;
  /* eslint-enable @typescript-eslint/unbound-method */
  let lastTextIv = "";
  SealedChannel.prototype.open = async function (this: SealedChannel, payload: unknown) {
    const start = now();
    const message = await open.call(this, payload);
    if (payload instanceof Uint8Array) {
      const iv = ivHex(payload);
      marks.opened.set(iv, { start, end: now(), isText: message?.t === "text" });
      if (message?.t === "text") lastTextIv = iv;
    }
    return message;
  };
  InputDriver.prototype.apply = async function (this: InputDriver, message: Parameters<InputDriver["apply"]>[0]) {
    const start = now();
    const iv = lastTextIv;
    await apply.call(this, message);
    if (message.t === "text") marks.applied.push({ iv, start, end: now() });
  };
  screencast.produced = function (this: Screencast, picture: { image: Buffer }) {
    marks.arrived.push({ at: now(), bytes: picture.image.length });
    if (marks.arrived.length > 2000) marks.arrived.splice(0, 1000);
    produced.call(this, picture);
  };
  FramePacer.prototype.deliver = function (this: FramePacer, stream, frame) {
    marks.frames.set(frame.seq, { at: now(), bytes: frame.image.length });
    deliver.call(this, stream, frame);
  };
  Socket.prototype.emit = function (this: Socket, event: string, ...args: unknown[]) {
    const payload = args[0];
    // Direction byte 1: worker → phone.
    if (event === "stream:data" && payload instanceof Uint8Array && payload[0] === 1) marks.emitted.set(ivHex(payload), { at: now(), bytes: payload.length });
    return emit.call(this, event, ...args);
  } as typeof Socket.prototype.emit;
  return {
    marks,
    unhook: () => {
      SealedChannel.prototype.open = open;
      InputDriver.prototype.apply = apply;
      FramePacer.prototype.deliver = deliver;
      screencast.produced = produced;
      Socket.prototype.emit = emit;
    },
  };
}

/** Runs in the phone page: when the key left, when each envelope was sealed, sent, received, opened, decoded. */
function phoneHooks(): void {
  const at = () => performance.timeOrigin + performance.now();
  const hex = (b: ArrayBuffer | ArrayBufferView) => {
    const u = b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return Array.from(u.subarray(0, 12), (x) => x.toString(16).padStart(2, "0")).join("");
  };
  const t = {
    keys: [] as number[],
    sealed: [] as { iv: string; start: number; end: number }[],
    sent: new Map<string, number>(),
    received: new Map<string, number>(),
    opened: [] as { iv: string; start: number; end: number; bytes: number }[],
    decoded: [] as { bytes: number; start: number; end: number }[],
    bitmaps: new WeakMap<object, number>(),
  };
  (window as unknown as { __trace: typeof t }).__trace = t;
  document.addEventListener("keydown", () => t.keys.push(at()), true);
  const subtle = crypto.subtle;
  const encrypt = subtle.encrypt.bind(subtle);
  const decrypt = subtle.decrypt.bind(subtle);
  subtle.encrypt = async (algorithm: AesGcmParams, key: CryptoKey, data: BufferSource) => {
    const start = at();
    const out = await encrypt(algorithm, key, data);
    t.sealed.push({ iv: hex(algorithm.iv), start, end: at() });
    return out;
  };
  subtle.decrypt = async (algorithm: AesGcmParams, key: CryptoKey, data: BufferSource) => {
    const start = at();
    const out = await decrypt(algorithm, key, data);
    t.opened.push({ iv: hex(algorithm.iv), start, end: at(), bytes: out.byteLength });
    return out;
  };
  const bitmap = window.createImageBitmap.bind(window) as (blob: Blob) => Promise<ImageBitmap>;
  (window as unknown as { createImageBitmap: unknown }).createImageBitmap = async (blob: Blob) => {
    const start = at();
    const out = await bitmap(blob);
    t.decoded.push({ bytes: blob.size, start, end: at() });
    t.bitmaps.set(out, blob.size);
    return out;
  };
  // Called again with each socket as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    if (typeof data !== "string" && !(data instanceof Blob)) t.sent.set(hex(data as ArrayBuffer), at());
    send.call(this, data);
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", (e: MessageEvent) => {
        if (e.data instanceof ArrayBuffer) t.received.set(hex(e.data), at());
      });
    }
  };
}

export async function installPhoneHooks(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: "globalThis.__name ||= (f) => f;" });
  await context.addInitScript(phoneHooks);
}
