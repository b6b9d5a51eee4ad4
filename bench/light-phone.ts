/**
 * A light phone for the concurrency phase: a Node Socket.IO client that claims and approves a link,
 * says hello, opens every sealed frame with the link's key and parses it (it does not decode the
 * JPEG — that is the phone's CPU, not Baton's), and acknowledges it the way the phone page does once
 * it has drawn it: the newest frame wins, one ack per frame handled. It types by sending sealed text.
 */
import { io, type Socket } from "socket.io-client";
import { fromBase64Url } from "../lib/crypto/base64url";
import { createOpener, createSealer, Direction, randomEpoch, type Sealer } from "../lib/crypto/seal";
import { importNodeSealKey } from "../worker/seal-key";
import { SocketEvents } from "../lib/protocol/events";
import { decodeToPhone, encodeControl, type ToWorkerMessage } from "../lib/protocol/stream";
import { PROTOCOL_VERSION } from "../lib/protocol/version";

const USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";

export class LightPhone {
  framesOpened = 0;
  bytesIn = 0;
  private socket: Socket | null = null;
  private sealer: Sealer | null = null;
  private cookie = "";
  private sendQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly serverUrl: string,
    private readonly link: string,
  ) {}

  /** Claims, approves, connects, says hello and waits for the first frame. */
  async start(handoffId: string): Promise<void> {
    const token = new URL(this.link).pathname.split("/").pop() ?? "";
    const claimed = await this.post(`/api/link/${token}/claim`, {});
    if (claimed !== 200) throw new Error(`claim refused: ${claimed}`);
    const decided = await this.post(`/api/link/${token}/decision`, { decision: "approve" });
    if (decided !== 200) throw new Error(`approve refused: ${decided}`);
    const key = importNodeSealKey(fromBase64Url(new URL(this.link).hash.replace(/^#k=/, ""))!);
    this.sealer = createSealer(key, handoffId, Direction.toWorker, randomEpoch());
    const opener = createOpener(key, handoffId, Direction.toPhone);
    const socket = io(this.serverUrl, {
      transports: ["websocket"],
      auth: { role: "phone", protocolVersion: PROTOCOL_VERSION, handoffId },
      extraHeaders: { cookie: this.cookie, origin: this.serverUrl },
    });
    this.socket = socket;
    let firstFrame!: () => void;
    const framed = new Promise<void>((resolve) => (firstFrame = resolve));
    socket.on(SocketEvents.streamData, async (payload: Uint8Array) => {
      this.bytesIn += payload.length;
      const opened = await opener.open(new Uint8Array(payload));
      if (!opened.ok) return;
      const decoded = decodeToPhone(opened.plain);
      if (!decoded.ok || decoded.kind !== "frame") return;
      this.framesOpened += 1;
      firstFrame();
      this.send({ t: "frame_ack", seq: decoded.frame.seq });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    this.send({ t: "hello", viewport: { width: 390, height: 700, dpr: 1 } });
    await framed;
  }

  /** A tap at (x, y) in remote CSS pixels, as the phone's touch sends it. */
  tap(x: number, y: number): void {
    this.send({ t: "pointer", phase: "down", pointerType: "touch", x, y });
    this.send({ t: "pointer", phase: "up", pointerType: "touch", x, y });
  }

  send(message: ToWorkerMessage): void {
    const socket = this.socket;
    const sealed = this.sealer!.seal(encodeControl(message));
    // Emitted in sealing order, as PhoneStream does, or the worker's replay guard refuses one.
    this.sendQueue = this.sendQueue.then(async () => socket?.emit(SocketEvents.streamData, await sealed));
  }

  close(): void {
    this.socket?.disconnect();
  }

  private async post(path: string, body: unknown): Promise<number> {
    const response = await fetch(new URL(path, this.serverUrl), {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.serverUrl, cookie: this.cookie, "user-agent": USER_AGENT },
      body: JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie?.() ?? [];
    if (setCookie.length > 0) this.cookie = setCookie.map((c) => c.split(";")[0]).join("; ");
    await response.body?.cancel();
    return response.status;
  }
}
