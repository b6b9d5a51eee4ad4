/**
 * One HTTP attempt of a webhook delivery, to the address the URL check approved: the socket's
 * name lookup is answered with that address, so DNS is not asked a second time. No redirect is
 * followed (it could lead anywhere), no response body is read or kept, and failures are reported
 * in fixed words rather than the network's own messages.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "./webhook-url";

export type SendOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export interface SendRequest {
  url: URL;
  address: ResolvedAddress;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborts the attempt (the server is shutting down). */
  signal?: AbortSignal;
}

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) return void (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
    callback(null, pinned.address, pinned.family);
  };
}

const tlsCodes = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/;

/** A network error in safe, fixed words. */
function describeError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? "";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "EPIPE") return "connection reset";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "host unreachable";
  if (tlsCodes.test(code)) return "TLS certificate not accepted";
  return "network error";
}

function describeStatus(response: IncomingMessage): SendOutcome {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return { ok: true, status };
  if (status >= 300 && status < 400) return { ok: false, status, error: `redirect not followed (HTTP ${status})` };
  return { ok: false, status, error: `HTTP ${status}` };
}

export function sendWebhook(req: SendRequest): Promise<SendOutcome> {
  const send = req.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (outcome: SendOutcome) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const outgoing = send(
      req.url,
      {
        method: "POST",
        headers: { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) },
        lookup: pinnedLookup(req.address),
        // A fresh connection per attempt: a pooled socket could be one opened to another address.
        agent: false,
      },
      (response) => {
        settle(describeStatus(response));
        // Only the status matters; the body is not read, kept or shown.
        response.destroy();
      },
    );
    const timer = setTimeout(() => {
      settle({ ok: false, status: null, error: `timed out after ${req.timeoutMs < 1000 ? `${req.timeoutMs} ms` : `${Math.round(req.timeoutMs / 1000)} s`}` });
      outgoing.destroy();
    }, req.timeoutMs);
    const onAbort = () => {
      settle({ ok: false, status: null, error: "interrupted" });
      outgoing.destroy();
    };
    if (req.signal?.aborted) onAbort();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    outgoing.on("error", (error: NodeJS.ErrnoException) => settle({ ok: false, status: null, error: describeError(error) }));
    outgoing.end(req.body);
  });
}
