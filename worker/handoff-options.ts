/**
 * Checks `handoff()`'s options before anything is created on the server, so a mistake (no
 * `onLink`, a misspelt rule) fails at once with the option's name instead of as a link nobody
 * receives. Unknown keys pass: the options object is the caller's, and may carry more.
 */
import { z } from "zod";
import { CreateHandoffRequestSchema } from "../lib/protocol/api";
import { BatonError } from "./errors";

const isFunction = (v: unknown) => typeof v === "function";
const fn = (what: string) => z.custom<(...args: never[]) => unknown>(isFunction, { message: `must be a function: ${what}` });
const optionalFn = (what: string) => fn(what).optional();
/** What the server checks again is declared once, in the protocol: the same rules, the same messages. */
const request = CreateHandoffRequestSchema.shape;
const site = request.identityProviders.unwrap().element;

const SuccessRuleSchema = z.union(
  [
    z.strictObject({ url: z.union([z.instanceof(RegExp), z.string().min(1)]) }),
    z.strictObject({ selector: z.string().min(1) }),
    z.strictObject({ cookie: z.string().min(1) }),
  ],
  { message: "must be one of { url }, { selector }, { cookie }" },
);

export const HandoffOptionsSchema = z.looseObject({
  reason: request.reason,
  onLink: fn("required, it delivers the link and its code to the person"),
  loginUrl: request.loginUrl.optional(),
  endUserRef: request.endUserRef,
  success: SuccessRuleSchema.optional(),
  ttlSeconds: request.ttlSeconds,
  onReuseDetected: optionalFn("called with { attempts }"),
  onStateChange: optionalFn("called with each state"),
  onBlocked: optionalFn("called with each refused page"),
  signal: z.instanceof(AbortSignal).optional(),
  identityProviders: z.array(site).optional(),
  alsoHandOver: z.array(site).optional(),
  alsoSites: z.array(site).optional(),
  trustedPrivateOrigins: z.array(z.string()).optional(),
  includeStorage: z.boolean().optional(),
  maxCookieLifetimeSeconds: z.number().positive().optional(),
  frameSource: z.enum(["adaptive", "screencast", "screenshots"]).optional(),
});

/** Throws `BatonError("INVALID_OPTIONS")` naming every bad option (never its value). */
export function checkHandoffOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new BatonError("INVALID_OPTIONS", "handoff(page, options): options are required ({ reason, onLink, … })");
  }
  const parsed = HandoffOptionsSchema.safeParse(options);
  if (parsed.success) return;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`);
  throw new BatonError("INVALID_OPTIONS", `handoff(): invalid options — ${problems.join("; ")}`);
}
