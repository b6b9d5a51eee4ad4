/**
 * The worker's end of a handoff played from Node for integration tests: an agent socket that seals
 * frames to the phone with the link's key and opens what the phone sends back.
 */
import { io, type Socket } from "socket.io-client";
import { fromBase64Url } from "../../lib/crypto/base64url";
import { createOpener, createSealer, Direction, importSealKey, randomEpoch } from "../../lib/crypto/seal";
import { decodeToWorker, encodeControl, encodeFrame, type ToPhoneMessage, type ToWorkerMessage } from "../../lib/protocol/stream";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";

export interface AgentPeer {
  socket: Socket;
  /** Every control message the phone sent that opened and parsed. */
  readonly received: ToWorkerMessage[];
  sendFrame(seq: number): Promise<void>;
  /** A real picture (a JPEG the phone can decode) of the given size. */
  sendJpeg(seq: number, jpeg: Uint8Array, width: number, height: number): Promise<void>;
  sendControl(message: ToPhoneMessage): Promise<void>;
  close(): void;
}

/** A tiny JPEG-shaped payload: the relay never looks inside, and the phone only counts frames. */
const FAKE_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 0xff, 0xd9]);

/** `extraHeaders`: sent with the handshake (the multinode suite routes by a header). */
export async function connectAgentPeer(
  serverUrl: string,
  handoffId: string,
  link: string,
  apiKey: string,
  extraHeaders: Record<string, string> = {},
): Promise<AgentPeer> {
  const key = await importSealKey(fromBase64Url(new URL(link).hash.replace(/^#k=/, ""))!);
  const sealer = createSealer(key, handoffId, Direction.toPhone, randomEpoch());
  const opener = createOpener(key, handoffId, Direction.toWorker);
  const socket = io(serverUrl, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders,
    auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId, apiKey },
  });
  const received: ToWorkerMessage[] = [];
  socket.on("stream:data", async (payload: Uint8Array) => {
    const opened = await opener.open(new Uint8Array(payload));
    if (!opened.ok) return;
    const decoded = decodeToWorker(opened.plain);
    if (decoded.ok && decoded.kind === "control") received.push(decoded.message);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (e) => reject(e));
  });
  return {
    socket,
    received,
    async sendFrame(seq) {
      socket.emit("stream:data", await sealer.seal(encodeFrame({ seq, width: 390, height: 844, image: FAKE_JPEG })));
    },
    async sendJpeg(seq, jpeg, width, height) {
      socket.emit("stream:data", await sealer.seal(encodeFrame({ seq, width, height, image: jpeg })));
    },
    async sendControl(message) {
      socket.emit("stream:data", await sealer.seal(encodeControl(message)));
    },
    close: () => socket.close(),
  };
}
