/**
 * Who is asking on an operator route. Reads are allowed with a live session; mutations also need
 * a same-origin request and the session's CSRF token in `x-baton-csrf` (double defence: the
 * cookie is SameSite=Strict as well). Middleware is never the only check: every handler calls one.
 */
import type { IncomingMessage } from "node:http";
import { AppError } from "../errors/app-error";
import type { ActiveSession } from "../operators/operator-session.store";
import { readOperatorCookie } from "./operator-cookie";
import type { Services } from "./services";

export const CSRF_HEADER = "x-baton-csrf";

export interface OperatorContext {
  session: ActiveSession;
  /** The CSRF token from the cookie, for pages that hand it to their scripts. */
  csrfToken: string;
}

/** The live session behind a Cookie header, or null. Used by routes, pages and the socket. */
export async function resolveOperator(cookieHeader: string | undefined, services: Services): Promise<OperatorContext | null> {
  const cookie = await readOperatorCookie(cookieHeader, services.operatorCookie);
  if (!cookie) return null;
  const session = await services.operatorSessions.resolve(cookie.t);
  return session ? { session, csrfToken: cookie.c } : null;
}

export async function requireOperator(req: IncomingMessage, services: Services): Promise<OperatorContext> {
  const context = await resolveOperator(req.headers.cookie, services);
  if (!context) throw new AppError("UNAUTHENTICATED", "no operator session", undefined, "Sign in to the dashboard first.");
  return context;
}

/** Origin must be Baton's own; without Origin, Sec-Fetch-Site must say same-origin. */
export function assertSameOriginRequest(req: IncomingMessage, services: Services): void {
  const origin = req.headers.origin;
  const site = req.headers["sec-fetch-site"];
  const isSame = origin ? origin === services.config.publicOrigin : site === "same-origin";
  if (!isSame) throw new AppError("CROSS_SITE_REQUEST", `operator request from ${origin ? "another origin" : "(no origin)"}`);
}

export async function requireOperatorMutation(req: IncomingMessage, services: Services): Promise<OperatorContext> {
  assertSameOriginRequest(req, services);
  const context = await requireOperator(req, services);
  const presented = req.headers[CSRF_HEADER];
  if (!services.operatorSessions.isCsrfValid(context.session, typeof presented === "string" ? presented : undefined)) {
    await services.audit.append({
      actor: "operator",
      operatorId: context.session.operatorId,
      action: "operator.csrf",
      decision: "deny",
      reason: presented ? "wrong_token" : "missing_token",
    });
    throw new AppError("CROSS_SITE_REQUEST", "csrf token", undefined, "The request is missing its CSRF token; reload the page.");
  }
  return context;
}
