/**
 * The dashboard's calls to the operator API: JSON in and out, the CSRF token on every POST, and
 * errors as values carrying the server's safe message.
 */
import type { z } from "zod";
import { ErrorBodySchema, type ReceivedErrorCode } from "../../lib/protocol/errors";

/** A refusal's code from the server's table, or one of this client's own (no answer, no Baton error body, an answer not understood). */
export type ApiFailureCode = ReceivedErrorCode | "NETWORK" | "HTTP_ERROR" | "BAD_RESPONSE";

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; code: ApiFailureCode; message: string };

export async function operatorPost<T>(path: string, csrfToken: string, body: unknown, schema: z.ZodType<T>): Promise<ApiResult<T>> {
  return call(path, { method: "POST", headers: { "content-type": "application/json", "x-baton-csrf": csrfToken }, body: JSON.stringify(body) }, schema);
}

export async function operatorGet<T>(path: string, schema: z.ZodType<T>): Promise<ApiResult<T>> {
  return call(path, { method: "GET" }, schema);
}

async function call<T>(path: string, init: RequestInit, schema: z.ZodType<T>): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: "same-origin", cache: "no-store" });
  } catch {
    return { ok: false, status: 0, code: "NETWORK", message: "Baton cannot be reached. Check your connection and try again." };
  }
  const raw: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(raw);
    return {
      ok: false,
      status: response.status,
      code: parsed.success ? parsed.data.error.code : "HTTP_ERROR",
      message: parsed.success ? parsed.data.error.message : `The server answered ${response.status}.`,
    };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, status: response.status, code: "BAD_RESPONSE", message: "The server's answer was not understood." };
}
