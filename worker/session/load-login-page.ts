/**
 * The handoff page made ready: streamed, its fields and editables reported to the phone, its popups
 * followed, the login page loaded, and the sign-in recognizer started on it.
 */
import type { ToPhoneMessage } from "../../lib/protocol/stream";
import { watchEditables } from "../editables-watcher";
import { watchFields } from "../field-watcher";
import type { HandoffBrowser } from "../handoff-browser";
import type { SuccessRule } from "../success-detector";
import { SignInRecognizer, type SignInScope } from "./sign-in-recognizer";
import type { StreamStack } from "./stream-stack";

const LOAD_TIMEOUT_MS = 30_000;

export interface LoginPageDeps {
  stack: StreamStack;
  send(message: ToPhoneMessage): void;
  loginUrl: string;
  scope: SignInScope;
  success: SuccessRule | undefined;
  /** True once the handoff is over here: the recognizer then stops re-reading its baseline. */
  isOver(): boolean;
}

export async function loadLoginPage({ context, page }: HandoffBrowser, deps: LoginPageDeps): Promise<SignInRecognizer> {
  const { stack } = deps;
  await stack.start(page);
  await watchFields(context, (field, source) => source === stack.current.page && deps.send({ t: "focus", field }));
  await watchEditables(context, (boxes, source) => stack.fieldsOf(source, boxes));
  // An OAuth popup is shown in place of the login page until it closes; one that closes at once has nothing to show.
  context.on("page", (popup) => void stack.follow(popup).catch(() => undefined));
  await page.goto(deps.loginUrl, { waitUntil: "domcontentloaded", timeout: LOAD_TIMEOUT_MS });
  const recognizer = new SignInRecognizer(context, page, deps.loginUrl, deps.scope, deps.success);
  await recognizer.start(() => deps.isOver());
  return recognizer;
}
