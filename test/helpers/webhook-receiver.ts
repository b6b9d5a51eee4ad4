/**
 * A backend that receives Baton's webhooks on 127.0.0.1, the way the README tells one to: it
 * verifies every delivery with `standardwebhooks` (`new Webhook(secret).verify`, which also refuses
 * a timestamp more than 5 minutes old) and drops a `webhook-id` it has already accepted.
 * `respond` can make it fail or hang on chosen attempts.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";
import { type WebhookEvent, WebhookEventSchema } from "../../lib/protocol/webhook-event";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** 204 accepted, 400 signature or timestamp refused, 409 replay, or what `respond` chose. */
  status: number | "hung";
  /** Why verification refused it, if it did. */
  refusal: string | null;
  event: WebhookEvent | null;
}

export type Responder = (attempt: number, res: ServerResponse) => "verify" | "hang" | number;

export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly accepted: WebhookEvent[] = [];
  private readonly seenIds = new Set<string>();
  private readonly hung: ServerResponse[] = [];
  private server: Server | null = null;
  private waiters: { count: number; resolve: () => void }[] = [];
  secret = "";
  respond: Responder = () => "verify";

  get origin(): string {
    const address = this.server?.address();
    return typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : "";
  }

  get url(): string {
    return `${this.origin}/hooks/baton`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.handle(req.headers, Buffer.concat(chunks).toString("utf8"), res);
    });
    this.server.listen(port, "127.0.0.1");
    await once(this.server, "listening");
    return this;
  }

  /** Verifies like a real backend; returns the status it answered. */
  verify(headers: IncomingHttpHeaders, body: string): { status: number; refusal: string | null; event: WebhookEvent | null } {
    const flat = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
    let payload: unknown;
    try {
      payload = new Webhook(this.secret).verify(body, flat);
    } catch (error) {
      return { status: 400, refusal: error instanceof Error ? error.message : "refused", event: null };
    }
    const id = flat["webhook-id"];
    if (this.seenIds.has(id)) return { status: 409, refusal: "replayed webhook-id", event: null };
    this.seenIds.add(id);
    return { status: 204, refusal: null, event: WebhookEventSchema.parse(payload) };
  }

  private handle(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const choice = this.respond(this.received.length + 1, res);
    if (choice === "hang") {
      this.hung.push(res);
      this.push({ headers, body, status: "hung", refusal: null, event: null });
      return;
    }
    if (typeof choice === "number") {
      res.writeHead(choice).end();
      this.push({ headers, body, status: choice, refusal: null, event: null });
      return;
    }
    const verdict = this.verify(headers, body);
    if (verdict.event) this.accepted.push(verdict.event);
    res.writeHead(verdict.status).end();
    this.push({ headers, body, ...verdict });
  }

  private push(entry: Received): void {
    this.received.push(entry);
    for (const w of this.waiters.filter((w) => this.received.length >= w.count)) w.resolve();
    this.waiters = this.waiters.filter((w) => this.received.length < w.count);
  }

  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
