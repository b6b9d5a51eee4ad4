/**
 * The on-screen keyboard's stand-in: a hidden input that takes the remote field's kind and turns
 * what the phone's keyboard produces into stream messages. Text arrives through `input` events
 * (typing, autofill, swipe, dictation), IME composition through composition events, and keys a
 * text field cannot hold (Enter, Backspace, Tab, arrows) through keydown. The proxy is emptied
 * after every commit, so it never holds more than the character being typed.
 */
import type { RemoteField, ToWorkerMessage } from "../../lib/protocol/stream";
import { KeyNames } from "../../lib/protocol/stream";

type Send = (message: ToWorkerMessage) => void;
const SPECIAL_KEYS = new Set<string>(KeyNames);

export function bindKeyboardProxy(input: HTMLInputElement, send: Send): () => void {
  let isComposing = false;

  const commit = () => {
    if (isComposing || input.value === "") return;
    send({ t: "text", text: input.value.slice(0, 1000) });
    input.value = "";
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // 229 / "Unidentified": the IME owns this key; its result arrives as input or composition.
    if (e.isComposing || e.keyCode === 229 || !SPECIAL_KEYS.has(e.key)) return;
    e.preventDefault();
    commit();
    send({ t: "key", key: e.key as (typeof KeyNames)[number], shift: e.shiftKey });
  };
  const onBeforeInput = (e: InputEvent) => {
    // Android keyboards often report Backspace and Enter only here.
    if (e.inputType === "deleteContentBackward" && input.value === "") {
      e.preventDefault();
      send({ t: "key", key: "Backspace", shift: false });
    } else if (e.inputType === "insertLineBreak") {
      e.preventDefault();
      commit();
      send({ t: "key", key: "Enter", shift: false });
    }
  };
  const onInput = () => commit();
  const onCompositionStart = () => {
    isComposing = true;
  };
  const onCompositionUpdate = (e: CompositionEvent) => send({ t: "compose", text: e.data.slice(0, 200) });
  const onCompositionEnd = (e: CompositionEvent) => {
    isComposing = false;
    // Clear the remote candidate, then insert exactly what the IME committed.
    send({ t: "compose", text: "" });
    if (e.data) send({ t: "text", text: e.data.slice(0, 1000) });
    input.value = "";
  };
  const onPaste = (e: ClipboardEvent) => {
    const text = e.clipboardData?.getData("text/plain") ?? "";
    e.preventDefault();
    if (text) send({ t: "text", text: text.slice(0, 1000) });
  };

  // One abort removes every listener.
  const listeners = new AbortController();
  const on = { signal: listeners.signal };
  input.addEventListener("keydown", onKeyDown, on);
  input.addEventListener("beforeinput", onBeforeInput, on);
  input.addEventListener("input", onInput, on);
  input.addEventListener("compositionstart", onCompositionStart, on);
  input.addEventListener("compositionupdate", onCompositionUpdate, on);
  input.addEventListener("compositionend", onCompositionEnd, on);
  input.addEventListener("paste", onPaste, on);
  return () => listeners.abort();
}

const TYPES = ["password", "email", "tel", "url", "search", "text"] as const;
const INPUT_MODES = ["numeric", "email", "tel", "text", "url", "search", "decimal", "none"] as const;
const ENTER_HINTS = ["go", "done", "next", "search", "send", "enter", "previous"] as const;

/** The proxy's kind: the attributes that pick the phone's keyboard and autofill. */
export interface ProxyKind {
  type: (typeof TYPES)[number];
  inputMode: (typeof INPUT_MODES)[number];
  autoComplete: string;
  enterKeyHint: (typeof ENTER_HINTS)[number];
}

const oneOf = <T extends string>(allowed: readonly T[], value: string | undefined): value is T => (allowed as readonly string[]).includes(value ?? "");

/**
 * The remote field's kind as the proxy's attributes. They are rendered as props, never set on the
 * element by hand: React re-renders the live view on every stream update and resets an input's
 * `type` it does not own to text — the password proxy would turn into a visible text field.
 */
export function proxyKind(field: RemoteField | null): ProxyKind {
  const type = field?.type ?? "text";
  const isOneTimeCode = field?.autocomplete.includes("one-time-code") ?? false;
  const fallbackMode = type === "number" || isOneTimeCode ? "numeric" : type === "email" ? "email" : type === "tel" ? "tel" : "text";
  const inputMode = field?.inputMode;
  const enterKeyHint = field?.enterKeyHint;
  return {
    // A number input cannot be emptied character by character reliably; numeric inputmode gives the same keypad.
    type: oneOf(TYPES, type) ? type : "text",
    inputMode: oneOf(INPUT_MODES, inputMode) ? inputMode : fallbackMode,
    autoComplete: isOneTimeCode ? "one-time-code" : type === "password" ? "current-password" : field?.autocomplete || "off",
    enterKeyHint: oneOf(ENTER_HINTS, enterKeyHint) ? enterKeyHint : "go",
  };
}
