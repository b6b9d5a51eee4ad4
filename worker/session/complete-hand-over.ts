/**
 * The last step of a successful handoff: record what is handed over (metadata only), move the
 * cookies (and, when asked, the storage) into the agent's context inside this process, and record
 * the completion. If the server refuses the completion — the handoff was cancelled, revoked or timed
 * out in between — the session is taken out of the agent's context again before the error goes on.
 */
import type { BrowserContext, Cookie } from "playwright-core";
import type { ApiClient } from "../api-client";
import { cookieMetadata, injectCookies } from "../cookie-capture";
import { injectStorage, type OriginStorage } from "../storage-capture";

export interface HandedOver {
  /** Takes exactly what was added out of the agent's context again. */
  signOut(): Promise<void>;
  storageEntries: number;
}

export async function completeHandOver(
  api: ApiClient,
  handoffId: string,
  agentContext: BrowserContext,
  cookies: Cookie[],
  storage: OriginStorage | null,
): Promise<HandedOver> {
  await api.report(handoffId, { event: "captured", cookies: cookieMetadata(cookies) });
  await injectCookies(agentContext, cookies);
  const removeStorage = storage ? await injectStorage(agentContext, storage) : null;
  const signOut = async () => {
    for (const c of cookies) await agentContext.clearCookies({ name: c.name, domain: c.domain, path: c.path });
    await removeStorage?.();
  };
  try {
    await api.report(handoffId, { event: "completed" });
  } catch (error) {
    // Best effort: the context may be closing; the error that ended the handoff is what matters.
    await signOut().catch(() => undefined);
    throw error;
  }
  return { signOut, storageEntries: storage ? storage.local.length + storage.session.length : 0 };
}
