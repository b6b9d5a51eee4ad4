/** Operator sign-in, sign-out and "who am I". */
import { AppError } from "../../errors/app-error";
import { OperatorEmailSchema } from "../../operators/operator.store";
import { EmptyRequestSchema, type OkResponse, type OperatorSessionResponse, SignInRequestSchema as SignInContract } from "../../protocol/operator-api";
import { OPERATOR_SESSION } from "../../operators/operator-session.store";
import { readJson, sendJson } from "../http-json";
import { assertSameOriginRequest, requireOperator, requireOperatorMutation, resolveOperator } from "../operator-auth";
import { clearOperatorCookie, sealOperatorCookie } from "../operator-cookie";
import { clientAddress, type Route } from "./route";

/** The contract's sign-in body, with the email read as the operator store reads it (trimmed, lower-cased, checked). */
const SignInRequestSchema = SignInContract.extend({ email: OperatorEmailSchema });

const signIn: Route["handler"] = async ({ req, res, services }) => {
  // Login CSRF: a foreign page must not sign a browser in to someone else's account.
  assertSameOriginRequest(req, services);
  const address = clientAddress(req, services);
  if (!(await services.limits.signIns.take(address))) {
    services.failures.record(address, "sign_in_rate_limited");
    throw new AppError("RATE_LIMITED", "sign-ins per address");
  }
  const { email, password } = await readJson(req, SignInRequestSchema);
  const result = await services.operatorSignIn(email, password, address);
  if (!result.ok) {
    if (result.reason === "locked") {
      throw new AppError(
        "RATE_LIMITED",
        "operator locked",
        { retryAfterSeconds: result.retryAfterSeconds },
        `Too many failed attempts. Try again in ${result.retryAfterSeconds} seconds.`,
      );
    }
    throw new AppError("UNAUTHENTICATED", "bad credentials", undefined, "That email and password do not match an operator account.");
  }
  // A new sign-in replaces whatever session this browser had.
  const previous = await resolveOperator(req.headers.cookie, services);
  if (previous) await services.operatorSessions.revoke(previous.session);
  const issued = await services.operatorSessions.issue(result.operatorId);
  const cookie = await sealOperatorCookie({ t: issued.token, c: issued.csrfToken }, OPERATOR_SESSION.absoluteSeconds, services.operatorCookie);
  res.setHeader("set-cookie", cookie);
  const body: OperatorSessionResponse = {
    operator: { id: result.operatorId, email: result.email },
    csrfToken: issued.csrfToken,
    expiresAt: issued.expiresAt.toISOString(),
  };
  sendJson(res, 200, body);
};

const signOut: Route["handler"] = async ({ req, res, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  await readJson(req, EmptyRequestSchema);
  await services.operatorSessions.revoke(session);
  res.setHeader("set-cookie", clearOperatorCookie(services.operatorCookie));
  sendJson(res, 200, { ok: true } satisfies OkResponse);
};

const me: Route["handler"] = async ({ req, res, services }) => {
  const { session, csrfToken } = await requireOperator(req, services);
  sendJson(res, 200, {
    operator: { id: session.operatorId, email: session.email },
    csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  } satisfies OperatorSessionResponse);
};

export const sessionRoutes: Route[] = [
  { method: "POST", pattern: /^\/api\/operator\/sign-in$/, handler: signIn },
  { method: "POST", pattern: /^\/api\/operator\/sign-out$/, handler: signOut },
  { method: "GET", pattern: /^\/api\/operator\/me$/, handler: me },
];
