/**
 * The phone's end of a live handoff: one Socket.IO connection to the relay, sealing what the phone
 * sends and opening what the worker sends. React components subscribe to its snapshots; it owns no
 * DOM. Sends are sealed at call time (the IV counter follows call order) and emitted strictly in
 * that order, or the worker's replay guard would refuse a keystroke that overtook another.
 */
import { io, type Socket } from "socket.io-client";
import { fromBase64Url } from "../../lib/crypto/base64url";
import { createOpener, createSealer, Direction, importSealKey, type Opener, randomEpoch, type Sealer } from "../../lib/crypto/seal";
import { type ClientToServerEvents, HandoffStateEventSchema, PeerStatusSchema, type ServerToClientEvents, SocketEvents } from "../../lib/protocol/events";
import {
  decodeToPhone,
  encodeControl,
  type ExtraImageFormat,
  type Frame,
  type NoticeKind,
  type RemoteBox,
  type RemoteField,
  type ToWorkerMessage,
} from "../../lib/protocol/stream";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { extraImageFormats } from "./image-formats";
import type { HandoffState } from "../../lib/lifecycle/states";

export type Connection = "connecting" | "connected" | "reconnecting" | "closed";

export interface StreamSnapshot {
  connection: Connection;
  isAgentConnected: boolean;
  state: HandoffState | null;
  endReason: string | null;
  page: { origin: string; isSecure: boolean; title: string; canGoBack: boolean; isPopup: boolean } | null;
  remoteSize: { width: number; height: number } | null;
  field: RemoteField | null;
  /** Where the remote page has fields: a tap there opens the keyboard. */
  editables: RemoteBox[];
  phase: "loading" | "ready" | "signed_in" | null;
  /** The latest notice for the trusted chrome, with when it came (so it can fade). */
  notice: { kind: NoticeKind; site: string; at: number } | null;
  /** The remote page has left the login page ("I'm signed in" becomes the main action). */
  hasLeftLogin: boolean;
  hasFrame: boolean;
}

export interface StreamHandlers {
  /** Draw this frame; resolve once it is on screen (the ack that paces the worker follows it). */
  draw(frame: Frame): Promise<void>;
  onChange(snapshot: StreamSnapshot): void;
}

export class PhoneStream {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private sealer: Sealer | null = null;
  private opener: Opener | null = null;
  private sendQueue: Promise<unknown> = Promise.resolve();
  private pendingFrame: Frame | null = null;
  private isDrawing = false;
  private viewport: { width: number; height: number; dpr: number } | null = null;
  /** Picture formats beyond JPEG this browser decodes (see image-formats.ts). */
  private decodes: ExtraImageFormat[] = [];
  private snapshot: StreamSnapshot = {
    connection: "connecting",
    isAgentConnected: false,
    state: null,
    endReason: null,
    page: null,
    remoteSize: null,
    field: null,
    editables: [],
    phase: null,
    notice: null,
    hasLeftLogin: false,
    hasFrame: false,
  };

  constructor(
    private readonly handoffId: string,
    private readonly handlers: StreamHandlers,
  ) {}

  /** @param keyText the base64url key from the link's fragment */
  async start(keyText: string): Promise<void> {
    const raw = fromBase64Url(keyText);
    if (!raw) throw new Error("malformed key");
    // The format probe decodes beside the key's import, not after it.
    const formats = extraImageFormats();
    const key = await importSealKey(raw);
    this.sealer = createSealer(key, this.handoffId, Direction.toWorker, randomEpoch());
    this.opener = createOpener(key, this.handoffId, Direction.toPhone);
    this.decodes = await formats;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ["websocket"],
      auth: { role: "phone", protocolVersion: PROTOCOL_VERSION, handoffId: this.handoffId },
      reconnectionDelay: 300,
      reconnectionDelayMax: 3000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.update({ connection: "connected" });
      // Every (re)connection says hello: the worker re-sends its last frame and page info.
      if (this.viewport) this.hello(this.viewport);
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      this.update({ connection: this.isEnded() ? "closed" : "reconnecting", isAgentConnected: false });
    });
    socket.on("connect_error", () => {
      if (!socket.active) this.update({ connection: "closed" });
      else this.update({ connection: "reconnecting" });
    });
    socket.on(SocketEvents.handoffState, (raw) => {
      const parsed = HandoffStateEventSchema.safeParse(raw);
      if (parsed.success) this.update({ state: parsed.data.state, endReason: parsed.data.endReason });
    });
    socket.on(SocketEvents.peerStatus, (raw) => {
      const parsed = PeerStatusSchema.safeParse(raw);
      if (parsed.success) this.update({ isAgentConnected: parsed.data.agent });
    });
    socket.on(SocketEvents.streamData, (payload) => void this.receive(payload));
  }

  /** The area the live view can fill, in CSS pixels; the remote viewport follows it. */
  setViewport(viewport: { width: number; height: number; dpr: number }): void {
    const isFirst = this.viewport === null;
    const changed = !this.viewport || this.viewport.width !== viewport.width || this.viewport.height !== viewport.height || this.viewport.dpr !== viewport.dpr;
    this.viewport = viewport;
    if (!this.socket?.connected) return;
    if (isFirst) this.hello(viewport);
    else if (changed) this.send({ t: "resize", viewport });
  }

  /** Says hello (the worker re-sends its last frame and the page's facts), then which formats this phone decodes. */
  private hello(viewport: { width: number; height: number; dpr: number }): void {
    this.send({ t: "hello", viewport });
    this.send({ t: "decodes", formats: this.decodes });
  }

  send(message: ToWorkerMessage): void {
    const socket = this.socket;
    const sealer = this.sealer;
    if (!socket || !sealer || this.isEnded()) return;
    const sealed = sealer.seal(encodeControl(message));
    this.sendQueue = this.sendQueue.then(async () => socket.emit(SocketEvents.streamData, await sealed)).catch(() => undefined);
  }

  stop(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.update({ connection: "closed" });
  }

  private isEnded(): boolean {
    const s = this.snapshot.state;
    return s === "completed" || s === "denied" || s === "expired" || s === "cancelled" || s === "failed";
  }

  private async receive(payload: unknown): Promise<void> {
    if (!(payload instanceof ArrayBuffer) && !(payload instanceof Uint8Array)) return;
    const opened = await this.opener?.open(new Uint8Array(payload));
    if (!opened?.ok) return;
    const decoded = decodeToPhone(opened.plain);
    if (!decoded.ok) return;
    if (decoded.kind === "frame") return this.queueFrame(decoded.frame);
    const m = decoded.message;
    switch (m.t) {
      case "page":
        return this.update({ page: { origin: m.origin, isSecure: m.isSecure, title: m.title, canGoBack: m.canGoBack, isPopup: m.isPopup } });
      case "viewport":
        return this.update({ remoteSize: { width: m.width, height: m.height } });
      case "focus":
        return this.update({ field: m.field });
      case "editables":
        return this.update({ editables: m.boxes });
      case "phase":
        return this.update({ phase: m.phase });
      case "notice":
        return this.update({ notice: { kind: m.kind, site: m.site ?? "", at: performance.now() } });
      case "progress":
        return this.update({ hasLeftLogin: m.hasLeftLogin });
    }
  }

  /** Latest frame wins: while one is being decoded, newer ones replace each other, never queue. */
  private queueFrame(frame: Frame): void {
    this.pendingFrame = frame;
    if (!this.isDrawing) void this.drawLoop();
  }

  private async drawLoop(): Promise<void> {
    this.isDrawing = true;
    try {
      while (this.pendingFrame) {
        const frame = this.pendingFrame;
        this.pendingFrame = null;
        await this.handlers.draw(frame).catch(() => undefined);
        if (!this.snapshot.hasFrame) this.update({ hasFrame: true });
        // Acknowledges this frame and every older one the worker still holds.
        this.send({ t: "frame_ack", seq: frame.seq });
      }
    } finally {
      this.isDrawing = false;
    }
  }

  private update(patch: Partial<StreamSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.handlers.onChange(this.snapshot);
  }
}
