/**
 * The phone's device cookie (iron-session). It holds only a random device id; which handoff the
 * device is bound to lives in the database and is checked on every request (a stateless seal
 * alone could not be revoked). A tampered or expired seal reads as "no device", never a 500.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getIronSession, unsealData } from "iron-session";
import type { PasswordMap } from "./session-secret";
import { cookieValue } from "./cookie-value";

export interface DeviceSession {
  deviceId?: string;
}

export interface PhoneSessionOptions {
  passwords: PasswordMap;
  isHttps: boolean;
  /** Lifetime of the cookie: a handoff's, not 14 days. */
  ttlSeconds: number;
}

/**
 * `__Host-` needs Secure, which browsers refuse over plain http except on localhost in some
 * browsers only; over http (local demo) the cookie is named without the prefix.
 */
export function deviceCookieName(isHttps: boolean): string {
  return isHttps ? "__Host-baton-device" : "baton-device";
}

function sessionOptions(o: PhoneSessionOptions) {
  return {
    cookieName: deviceCookieName(o.isHttps),
    password: o.passwords,
    ttl: o.ttlSeconds,
    cookieOptions: { httpOnly: true, secure: o.isHttps, sameSite: "lax" as const, path: "/" },
  };
}

/** Reads this device's id, creating one (and setting the cookie) when there is none. */
export async function ensureDeviceId(req: IncomingMessage, res: ServerResponse, o: PhoneSessionOptions): Promise<string> {
  const session = await getIronSession<DeviceSession>(req, res, sessionOptions(o));
  if (session.deviceId && /^[A-Za-z0-9_-]{43}$/.test(session.deviceId)) return session.deviceId;
  session.deviceId = randomBytes(32).toString("base64url");
  await session.save();
  return session.deviceId;
}

/** Reads the device id from a raw Cookie header (Socket.IO handshake, server components). */
export async function readDeviceId(cookieHeader: string | undefined, o: PhoneSessionOptions): Promise<string | null> {
  const seal = cookieValue(cookieHeader, deviceCookieName(o.isHttps));
  if (!seal) return null;
  try {
    const data = await unsealData<DeviceSession>(decodeURIComponent(seal), { password: o.passwords, ttl: o.ttlSeconds });
    return typeof data.deviceId === "string" && /^[A-Za-z0-9_-]{43}$/.test(data.deviceId) ? data.deviceId : null;
  } catch {
    return null;
  }
}
