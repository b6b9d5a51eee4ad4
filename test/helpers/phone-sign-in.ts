/**
 * A person signing in to the demo site through the live view, played from Node: claims the link,
 * approves, taps the fields where the worker reports them, types the password and the current
 * one-time code. For tests whose handoff runs in another process (the packed SDK, the CDP sidecar,
 * the MCP server): only the link crosses over.
 */
import type { RemoteBox } from "../../lib/protocol/stream";
import type { DemoSite } from "../fixtures/demo-site/demo-site";
import { NodePhone } from "./node-phone";

const center = (box: RemoteBox) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

async function tap(phone: NodePhone, box: RemoteBox): Promise<void> {
  const { x, y } = center(box);
  await phone.send({ t: "pointer", phase: "down", pointerType: "touch", x, y });
  await phone.send({ t: "pointer", phase: "up", pointerType: "touch", x, y });
}

/** Taps the field at `index` of the reported boxes until the page says a field like `isWanted` has focus. */
async function focusField(phone: NodePhone, index: number, isWanted: (autocomplete: string | undefined) => boolean): Promise<void> {
  const boxes = await phone.waitFor(() => phone.messages.findLast((m) => m.t === "editables" && m.boxes.length > index), 15_000, "field boxes");
  if (boxes.t !== "editables") throw new Error("unreachable");
  const seen = phone.messages.length;
  await tap(phone, boxes.boxes[index]);
  await phone.waitFor(() => phone.messages.slice(seen).find((m) => m.t === "focus" && isWanted(m.field?.autocomplete)), 10_000, "field focus");
}

/** Plays the whole sign-in; resolves with the phone once the code is submitted (close it after). */
export async function signInOnPhone(serverUrl: string, link: string, site: DemoSite): Promise<NodePhone> {
  const phone = new NodePhone(serverUrl, link);
  const claimed = await phone.claim();
  if (claimed.status !== 200) throw new Error(`claim refused: ${claimed.status}`);
  await phone.decide("approve");
  await phone.connect(claimed.json.handoffId);
  await phone.send({ t: "hello", viewport: { width: 390, height: 844, dpr: 1 } });
  await phone.waitFor(() => phone.frames.length > 0, 15_000, "first frame");
  await focusField(phone, 0, (a) => a === "username");
  await phone.send({ t: "text", text: site.username });
  await focusField(phone, 1, (a) => a === "current-password");
  await phone.send({ t: "text", text: site.password });
  await phone.send({ t: "key", key: "Enter", shift: false });
  await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field?.autocomplete === "one-time-code"), 10_000, "code field");
  await phone.send({ t: "text", text: site.currentCode() });
  await phone.send({ t: "key", key: "Enter", shift: false });
  return phone;
}
