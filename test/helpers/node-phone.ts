/**
 * A phone played from Node for integration tests: it claims a link with a device cookie, decides,
 * and speaks the sealed stream protocol over a real Socket.IO connection.
 */
import { io, type Socket } from "socket.io-client";
import { fromBase64Url } from "../../lib/crypto/base64url";
import { createOpener, createSealer, Direction, importSealKey, type Opener, randomEpoch, type Sealer } from "../../lib/crypto/seal";
import { decodeToPhone, encodeControl, type Frame, type ToPhoneMessage, type ToWorkerMessage } from "../../lib/protocol/stream";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";

export class NodePhone {
  cookie = "";
  /** The Origin the phone's page has (the multinode suite reaches a node through its own door). */
  origin: string;
  socket: Socket | null = null;
  readonly frames: Frame[] = [];
  readonly messages: ToPhoneMessage[] = [];
  readonly states: string[] = [];
  private sealer: Sealer | null = null;
  private opener: Opener | null = null;

  constructor(
    /** Where requests go; may change, as when a phone's next connection lands on another node. */
    public serverUrl: string,
    readonly link: string,
    readonly userAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
  ) {
    this.origin = serverUrl;
  }

  get token(): string {
    return new URL(this.link).pathname.split("/").pop() ?? "";
  }

  get key(): string {
    return new URL(this.link).hash.replace(/^#k=/, "");
  }

  async post(path: string, body: unknown, origin = this.origin): Promise<{ status: number; json: any }> {
    const response = await fetch(new URL(path, this.serverUrl), {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie: this.cookie, "user-agent": this.userAgent },
      body: JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie?.() ?? [];
    if (setCookie.length > 0) this.cookie = setCookie.map((c) => c.split(";")[0]).join("; ");
    return { status: response.status, json: await response.json() };
  }

  claim() {
    return this.post(`/api/link/${this.token}/claim`, {});
  }

  decide(decision: "approve" | "deny" | "cancel") {
    return this.post(`/api/link/${this.token}/decision`, { decision });
  }

  async connect(handoffId: string): Promise<void> {
    const key = await importSealKey(fromBase64Url(this.key)!);
    this.sealer = createSealer(key, handoffId, Direction.toWorker, randomEpoch());
    this.opener = createOpener(key, handoffId, Direction.toPhone);
    this.socket = io(this.serverUrl, {
      // Its own connection: socket.io-client would otherwise reuse a cached one to the same URL,
      // with another client's headers (cookie, origin).
      forceNew: true,
      transports: ["websocket"],
      auth: { role: "phone", protocolVersion: PROTOCOL_VERSION, handoffId },
      extraHeaders: { cookie: this.cookie, origin: this.origin },
    });
    this.socket.on("handoff:state", (e: { state: string }) => this.states.push(e.state));
    this.socket.on("stream:data", async (payload: Uint8Array) => {
      const opened = await this.opener!.open(new Uint8Array(payload));
      if (!opened.ok) return;
      const decoded = decodeToPhone(opened.plain);
      if (!decoded.ok) return;
      if (decoded.kind === "frame") {
        this.frames.push(decoded.frame);
        await this.send({ t: "frame_ack", seq: decoded.frame.seq });
      } else this.messages.push(decoded.message);
    });
    await new Promise<void>((resolve, reject) => {
      this.socket!.once("connect", () => resolve());
      this.socket!.once("connect_error", (e) => reject(e));
    });
  }

  async send(message: ToWorkerMessage): Promise<void> {
    this.socket!.emit("stream:data", await this.sealer!.seal(encodeControl(message)));
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 15_000, what = "condition"): Promise<T> {
    const start = Date.now();
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    this.socket?.disconnect();
  }
}
