/**
 * The landing route of a handoff link. GET reads and changes nothing (link scanners and chat
 * previews fetch it); it never redirects, so the fragment key stays on this page only. Unknown,
 * used and expired links all get the same answer.
 */
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { HandoffScreen } from "../../../components/handoff/handoff-screen";
import { strings } from "../../../components/handoff/strings";
import { loadLinkView } from "../../../lib/server/link-view";
import { readDeviceId } from "../../../lib/server/phone-session";
import { getServices } from "../../../lib/server/published-services";

// No phone number, address or e-mail in an agent's words may turn into something tappable.
export const metadata: Metadata = { title: `${strings.documentTitle} · ${strings.brand}`, formatDetection: { telephone: false, email: false, address: false } };

export default async function HandoffPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const services = getServices();
  const cookieHeader = (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  const deviceId = await readDeviceId(cookieHeader, services.phoneSession);
  const view = await loadLinkView(services, token, deviceId);
  return <HandoffScreen view={view} token={view ? token : ""} operatorName={services.config.operatorName} />;
}
