/**
 * One handoff driven end to end for the sign-in tests: a real server, the SDK in this process with a
 * real Chromium, the phone played from Node (claim, approve, hello), and the person's own actions
 * done with Playwright on the handoff page itself (the phone's input path has its own tests), or,
 * where it matters that the person did it, tapped through the phone (`tap`).
 */
import type { Browser, BrowserContext, Page } from "playwright";
import { BatonClient, type BlockedEvent, type HandoffOptions, type HandoffResult } from "../../worker";
import { NodePhone } from "./node-phone";
import type { TestServer } from "./test-server";

export interface SignIn {
  agentContext: BrowserContext;
  phone: NodePhone;
  /** The page the person sees (the login page, in the handoff context). */
  page: Page;
  handoffContext: BrowserContext;
  blocked: BlockedEvent[];
  outcome: Promise<{ ok: true; result: HandoffResult } | { ok: false; error: Error }>;
  handoffId: string;
}

export async function startSignIn(
  server: TestServer,
  browser: Browser,
  apiKey: string,
  options: Partial<HandoffOptions> & { loginUrl: string },
): Promise<SignIn> {
  const agentContext = await browser.newContext();
  const agentPage = await agentContext.newPage();
  const before = new Set(browser.contexts());
  before.add(agentContext);
  const blocked: BlockedEvent[] = [];
  let onLink!: (l: { url: string; handoffId: string }) => void;
  const linked = new Promise<{ url: string; handoffId: string }>((r) => (onLink = r));
  const outcome = new BatonClient({ serverUrl: server.url, apiKey })
    .handoff(agentPage, { reason: "Read your statements", onLink, onBlocked: (e) => blocked.push(e), ...options })
    .then(
      (result) => ({ ok: true as const, result }),
      (error: Error) => ({ ok: false as const, error }),
    );
  const link = await linked;
  const phone = new NodePhone(server.url, link.url);
  await phone.claim();
  await phone.decide("approve");
  await phone.connect(link.handoffId);
  await phone.send({ t: "hello", viewport: { width: 390, height: 844, dpr: 1 } });
  const page = await phone.waitFor(
    () =>
      browser
        .contexts()
        .find((c) => !before.has(c))
        ?.pages()
        .find((p) => p.url().startsWith(new URL(options.loginUrl).origin)),
    15_000,
    "the handoff page",
  );
  await page.waitForLoadState("domcontentloaded");
  await phone.waitFor(() => phone.states.includes("live"), 15_000, "the handoff to go live");
  return { agentContext, phone, page, handoffContext: page.context(), blocked, outcome, handoffId: link.handoffId };
}

/** The phone's notices so far, as `kind:site`. */
export function notices(phone: NodePhone): string[] {
  return phone.messages.flatMap((m) => (m.t === "notice" ? [`${m.kind}:${m.site ?? ""}`] : []));
}

/** The person taps the middle of `selector` on their phone: a touch down and up through the sealed stream. */
export async function tap(s: Pick<SignIn, "page" | "phone">, selector: string): Promise<void> {
  const box = await s.page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on view`);
  const at = { pointerType: "touch" as const, x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await s.phone.send({ t: "pointer", phase: "down", ...at });
  await s.phone.send({ t: "pointer", phase: "up", ...at });
}
