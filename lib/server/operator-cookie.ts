/**
 * The operator's session cookie (iron-session seal). It carries the session token and the CSRF
 * token; the database row those tokens hash to is what makes the session live (see
 * operator-session.store.ts). HttpOnly, SameSite=Strict, `__Host-` over https.
 */
import { sealData, unsealData } from "iron-session";
import type { PasswordMap } from "./session-secret";
import { cookieValue } from "./cookie-value";

export interface OperatorCookieOptions {
  passwords: PasswordMap;
  isHttps: boolean;
}

export interface OperatorCookieData {
  /** Session token. */
  t: string;
  /** CSRF token. */
  c: string;
}

/** `__Host-` needs Secure; over plain http (local demo) the cookie is named without the prefix. */
export function operatorCookieName(isHttps: boolean): string {
  return isHttps ? "__Host-baton-operator" : "baton-operator";
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function sealOperatorCookie(data: OperatorCookieData, ttlSeconds: number, o: OperatorCookieOptions): Promise<string> {
  const seal = await sealData(data, { password: o.passwords, ttl: ttlSeconds });
  return serialize(operatorCookieName(o.isHttps), seal, ttlSeconds, o.isHttps);
}

export function clearOperatorCookie(o: OperatorCookieOptions): string {
  return serialize(operatorCookieName(o.isHttps), "", 0, o.isHttps);
}

function serialize(name: string, value: string, maxAge: number, isHttps: boolean): string {
  return [`${name}=${value}`, "Path=/", `Max-Age=${maxAge}`, "HttpOnly", "SameSite=Strict", ...(isHttps ? ["Secure"] : [])].join("; ");
}

/** Reads the cookie from a raw Cookie header. A missing, tampered or expired seal is null, never a throw. */
export async function readOperatorCookie(cookieHeader: string | undefined, o: OperatorCookieOptions): Promise<OperatorCookieData | null> {
  const seal = cookieValue(cookieHeader, operatorCookieName(o.isHttps));
  if (!seal) return null;
  try {
    const data = await unsealData<Partial<OperatorCookieData>>(decodeURIComponent(seal), { password: o.passwords });
    return typeof data.t === "string" && TOKEN.test(data.t) && typeof data.c === "string" && TOKEN.test(data.c) ? { t: data.t, c: data.c } : null;
  } catch {
    return null;
  }
}
