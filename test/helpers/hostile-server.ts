/**
 * A server for one hostile-input file: small limits, a clock the file moves, an agent with room for
 * many handoffs, and the requests those tests make. Each file starts its own (`useHostileServer`),
 * so no file's clock, rate budget or flood reaches another's.
 */
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, expect } from "vitest";
import { randomSealKey } from "../../lib/crypto/seal";
import { toBase64Url } from "../../lib/crypto/base64url";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { NodePhone } from "./node-phone";
import { startTestServer, type TestServer } from "./test-server";

export const TARGET = "http://127.0.0.1:4997";

export const HOSTILE_LIMITS = { RATE_CREATES_PER_MINUTE: "40", RATE_CLAIMS_PER_MINUTE: "60", RATE_INPUT_PER_SECOND: "50" };

export interface ApiInit {
  method?: string;
  key?: string;
  body?: string;
  headers?: Record<string, string>;
}

export class HostileServer {
  private offsetMs = 0;
  readonly clock = { now: () => new Date(Date.now() + this.offsetMs) };

  constructor(
    readonly server: TestServer,
    readonly apiKey: string,
  ) {}

  static async start(env: Record<string, string> = HOSTILE_LIMITS): Promise<HostileServer> {
    let hostile: HostileServer | null = null;
    const server = await startTestServer({ clock: { now: () => hostile?.clock.now() ?? new Date() }, env });
    const { apiKey } = await server.createAgent([TARGET], { maxConcurrent: 40 });
    hostile = new HostileServer(server, apiKey);
    return hostile;
  }

  /** Moves the server's clock on: deadlines fall due without waiting for them. */
  advanceClock(ms: number): void {
    this.offsetMs += ms;
  }

  async api(path: string, init: ApiInit = {}) {
    const response = await fetch(new URL(path, this.server.url), {
      method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        ...init.headers,
      },
      body: init.body,
    });
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text) };
  }

  async handoff(key = this.apiKey, reason = "Read statements") {
    const created = await this.api("/api/handoffs", { key, body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason }) });
    expect(created.status).toBe(201);
    return { ...created.json, link: `${this.server.url}${created.json.linkPath}#k=${toBase64Url(randomSealKey())}` } as {
      id: string;
      token: string;
      link: string;
    };
  }

  async livePhone(key = this.apiKey) {
    const h = await this.handoff(key);
    const phone = new NodePhone(this.server.url, h.link);
    await phone.claim();
    await phone.decide("approve");
    await phone.connect(h.id);
    return { h, phone };
  }

  agentSocket(handoffId: string, key = this.apiKey, extra: Record<string, unknown> = {}): Socket {
    return io(this.server.url, {
      transports: ["websocket"],
      reconnection: false,
      auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId, apiKey: key, ...extra },
    });
  }

  /** A fresh agent per case, so its create rate and concurrency are its own. */
  freshAgent(origins = [TARGET], extra: { maxConcurrent?: number; maxTtlSeconds?: number } = {}) {
    return this.server.createAgent(origins, { maxConcurrent: 20, ...extra });
  }

  row(id: string) {
    return this.server.services.db.handoff.findUniqueOrThrow({ where: { id } });
  }

  /** Settles once every audit row queued so far is written (the writer is one queue). */
  auditSettled(): Promise<void> {
    return this.server.services.audit.write(async () => undefined);
  }

  auditCount(handoffId: string) {
    return this.server.services.db.auditEvent.count({ where: { handoffId } });
  }
}

/** Starts a hostile server before the file's tests and closes it after them. */
export function useHostileServer(env?: Record<string, string>): { readonly current: HostileServer } {
  const holder: { current: HostileServer | null } = { current: null };
  beforeAll(async () => {
    holder.current = await HostileServer.start(env);
  });
  afterAll(async () => holder.current?.server.close());
  return {
    get current(): HostileServer {
      if (!holder.current) throw new Error("the hostile server starts in beforeAll");
      return holder.current;
    },
  };
}

export const connectError = (socket: Socket) => new Promise<string>((resolve) => socket.once("connect_error", (e) => resolve(e.message)));
export const disconnected = (socket: Socket) => new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
export const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (e) => reject(e));
  });
