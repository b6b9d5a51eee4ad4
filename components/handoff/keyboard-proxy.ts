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

/** Gives the proxy the remote field's kind, so the phone shows the matching keyboard and autofill. */
export function shapeProxy(input: HTMLInputElement, field: RemoteField | null): void {
  const type = field?.type ?? "text";
  const isOneTimeCode = field?.autocomplete.includes("one-time-code") ?? false;
  // A number input cannot be emptied character by character reliably; numeric inputmode gives the same keypad.
  input.type = ["password", "email", "tel", "url", "search"].includes(type) ? type : "text";
  input.inputMode = field?.inputMode || (type === "number" || isOneTimeCode ? "numeric" : type === "email" ? "email" : type === "tel" ? "tel" : "text");
  input.setAttribute("autocomplete", isOneTimeCode ? "one-time-code" : type === "password" ? "current-password" : field?.autocomplete || "off");
  input.enterKeyHint = (field?.enterKeyHint || "go") as typeof input.enterKeyHint;
}
