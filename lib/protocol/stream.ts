/**
 * Messages inside the sealed stream between worker and phone. The relay never sees these: it
 * forwards envelopes (crypto/seal.ts). Both ends parse every message they open with these schemas.
 *
 * Plaintext layout: kind (1 byte) then either a JSON control message (kind 1) or a frame (kind 2:
 * seq u32 ‖ width u16 ‖ height u16 ‖ JPEG or WebP bytes), so frames carry no base64 and no JSON.
 */
import { z } from "zod";

const Coord = z.number().finite().min(-10_000).max(10_000);
const Size = z.int().min(100).max(4096);

export const RemoteFieldSchema = z.strictObject({
  /** The focused element's `type` (text, password, email, tel, number, …). */
  type: z.string().max(32),
  inputMode: z.string().max(32),
  autocomplete: z.string().max(64),
  enterKeyHint: z.string().max(16),
  /** Where the field is, in remote CSS pixels, so the phone can keep it in view. */
  box: z.strictObject({ x: Coord, y: Coord, width: z.number().min(0).max(10_000), height: z.number().min(0).max(10_000) }),
});
export type RemoteField = z.infer<typeof RemoteFieldSchema>;

/** A box in the remote page's CSS pixels. */
export const RemoteBoxSchema = z.strictObject({ x: Coord, y: Coord, width: z.number().min(0).max(10_000), height: z.number().min(0).max(10_000) });
export type RemoteBox = z.infer<typeof RemoteBoxSchema>;

/** Where the remote page has fields (and frames that may hold some), so a tap there can open the keyboard. */
export const EditablesSchema = z.array(RemoteBoxSchema).max(64);

export const NoticeKinds = ["navigation_blocked", "identity_provider_not_in_scope", "not_signed_in_yet"] as const;
export type NoticeKind = (typeof NoticeKinds)[number];

/** Worker → phone control messages. */
export const ToPhoneMessageSchema = z.discriminatedUnion("t", [
  z.strictObject({
    t: z.literal("page"),
    origin: z.string().max(512),
    isSecure: z.boolean(),
    title: z.string().max(200),
    canGoBack: z.boolean(),
    /** The page on view is a popup (an OAuth window) that the phone may close. */
    isPopup: z.boolean().default(false),
  }),
  z.strictObject({ t: z.literal("focus"), field: RemoteFieldSchema.nullable() }),
  z.strictObject({ t: z.literal("editables"), boxes: EditablesSchema }),
  z.strictObject({ t: z.literal("viewport"), width: Size, height: Size }),
  z.strictObject({ t: z.literal("phase"), phase: z.enum(["loading", "ready", "signed_in"]) }),
  /**
   * Something the person should know, shown in the trusted chrome (never on the canvas):
   * - `navigation_blocked`: Baton kept the page from opening `site`; the page stayed where it was.
   * - `identity_provider_not_in_scope`: the sign-in goes through `site`, which the agent may not use;
   *   the handoff ends next.
   * - `not_signed_in_yet`: the person said "I'm signed in" but the site has set nothing to hand over.
   */
  z.strictObject({ t: z.literal("notice"), kind: z.enum(NoticeKinds), site: z.string().max(253).optional() }),
  /** Whether the remote page has left the login page, so the phone can offer "I'm signed in" prominently. */
  z.strictObject({ t: z.literal("progress"), hasLeftLogin: z.boolean() }),
]);
export type ToPhoneMessage = z.infer<typeof ToPhoneMessageSchema>;

export const KeyNames = ["Enter", "Backspace", "Delete", "Tab", "Escape", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"] as const;

const Viewport = z.strictObject({ width: Size, height: Size, dpr: z.number().min(1).max(4) });

/**
 * Picture formats a phone may decode besides JPEG, which every phone decodes; the worker uses those
 * it knows from a `decodes` message and ignores the others, so a phone that names a newer format
 * still works with an older worker.
 */
export type ExtraImageFormat = "webp";

/**
 * Phone → worker messages: an allowlist of input kinds with bounded values. There is deliberately
 * no message that navigates anywhere or runs script; only back and reload of the handoff tab.
 */
export const ToWorkerMessageSchema = z.discriminatedUnion("t", [
  z.strictObject({ t: z.literal("hello"), viewport: Viewport }),
  /**
   * After each hello: the picture formats beyond JPEG this phone decodes (a phone that sends none
   * gets JPEG only). A message of its own, not a field of the hello, so that a worker from before it
   * drops this message rather than the hello (schemas are strict).
   */
  z.strictObject({
    t: z.literal("decodes"),
    formats: z
      .array(z.string().regex(/^[a-z0-9]{1,16}$/))
      .max(8)
      .refine((f) => new Set(f).size === f.length, "formats are named once each"),
  }),
  z.strictObject({ t: z.literal("resize"), viewport: Viewport }),
  z.strictObject({
    t: z.literal("frame_ack"),
    seq: z
      .int()
      .min(0)
      .max(2 ** 32 - 1),
  }),
  z.strictObject({
    t: z.literal("pointer"),
    phase: z.enum(["down", "move", "up", "cancel"]),
    pointerType: z.enum(["touch", "mouse"]),
    x: Coord,
    y: Coord,
    /** When the finger did this, in the phone's own clock (ms); keeps a flick's speed across a jittery link. */
    ts: z.number().min(0).max(1e12).optional(),
  }),
  z.strictObject({ t: z.literal("wheel"), x: Coord, y: Coord, dx: Coord, dy: Coord }),
  z.strictObject({ t: z.literal("key"), key: z.enum(KeyNames), shift: z.boolean().default(false) }),
  z.strictObject({ t: z.literal("text"), text: z.string().min(1).max(1000) }),
  z.strictObject({ t: z.literal("compose"), text: z.string().max(200) }),
  /** `close` closes a popup the login page opened; the login page itself cannot be closed. */
  z.strictObject({ t: z.literal("nav"), action: z.enum(["back", "reload", "close"]) }),
  z.strictObject({ t: z.literal("signed_in") }),
]);
export type ToWorkerMessage = z.infer<typeof ToWorkerMessageSchema>;

export const PlainKind = { control: 1, frame: 2 } as const;

export interface Frame {
  seq: number;
  width: number;
  height: number;
  /** JPEG or WebP, told apart by their first bytes (frameImageType). */
  image: Uint8Array;
}

/**
 * A frame picture's MIME type from its first bytes: WebP starts "RIFF", four bytes of size, "WEBP";
 * PNG with its 8-byte signature (a Chromium that knows neither WebP nor says so may send it);
 * anything else is taken for JPEG.
 */
export function frameImageType(image: Uint8Array): "image/webp" | "image/png" | "image/jpeg" {
  const ascii = (from: number, to: number) => String.fromCharCode(...image.subarray(from, to));
  if (image.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  if (image.length >= 8 && ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "image/png";
  return "image/jpeg";
}

const FRAME_HEADER = 1 + 4 + 2 + 2;

export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER + frame.image.length);
  const view = new DataView(out.buffer);
  out[0] = PlainKind.frame;
  view.setUint32(1, frame.seq);
  view.setUint16(5, frame.width);
  view.setUint16(7, frame.height);
  out.set(frame.image, FRAME_HEADER);
  return out;
}

export function encodeControl(message: ToPhoneMessage | ToWorkerMessage): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(message));
  const out = new Uint8Array(1 + json.length);
  out[0] = PlainKind.control;
  out.set(json, 1);
  return out;
}

export type Decoded<T> = { ok: true; kind: "frame"; frame: Frame } | { ok: true; kind: "control"; message: T } | { ok: false; error: string };

function decodeWith<T>(plain: Uint8Array, schema: z.ZodType<T>, allowFrames: boolean): Decoded<T> {
  if (plain.length === 0) return { ok: false, error: "empty message" };
  if (plain[0] === PlainKind.frame) {
    if (!allowFrames) return { ok: false, error: "frames are not accepted in this direction" };
    if (plain.length <= FRAME_HEADER) return { ok: false, error: "frame too short" };
    const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    return {
      ok: true,
      kind: "frame",
      frame: { seq: view.getUint32(1), width: view.getUint16(5), height: view.getUint16(7), image: plain.subarray(FRAME_HEADER) },
    };
  }
  if (plain[0] !== PlainKind.control) return { ok: false, error: `unknown kind ${plain[0]}` };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plain.subarray(1)));
  } catch {
    return { ok: false, error: "control message is not JSON" };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  return { ok: true, kind: "control", message: parsed.data };
}

export const decodeToPhone = (plain: Uint8Array) => decodeWith(plain, ToPhoneMessageSchema, true);
export const decodeToWorker = (plain: Uint8Array) => decodeWith(plain, ToWorkerMessageSchema, false);
