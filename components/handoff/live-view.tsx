"use client";
/**
 * The live view: the remote page drawn on a canvas that fills the space between the trusted bar
 * and the actions, so the remote viewport has exactly this size (no letterboxing). Touch and mouse
 * become pointer messages in remote CSS pixels; the hidden keyboard proxy sits over the focused
 * remote field so the phone keeps that spot in view while its keyboard is open.
 */
import { useEffect, useRef } from "react";
import { type Frame, frameImageType, type RemoteBox, type RemoteField, type ToWorkerMessage } from "../../lib/protocol/stream";
import { bindKeyboardProxy, proxyKind } from "./keyboard-proxy";
import type { PhoneStream } from "./phone-stream";
import { strings } from "./strings";

interface Props {
  stream: PhoneStream | null;
  remoteSize: { width: number; height: number } | null;
  field: RemoteField | null;
  editables: RemoteBox[];
  /** A frame has been drawn: until then a themed placeholder stands in for the canvas. */
  hasFrame: boolean;
  site: string;
  label: string;
  /** Registers the function that draws a frame on this view's canvas. */
  onCanvas: (draw: ((frame: Frame) => Promise<void>) | null) => void;
}

/** How far (remote CSS px) a tap may miss a field and still count as on it: fingers are wide. */
const TAP_SLOP = 8;

export function LiveView({ stream, remoteSize, field, editables, hasFrame, site, label, onCanvas }: Props) {
  const areaRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const proxyRef = useRef<HTMLInputElement>(null);
  const sizeRef = useRef(remoteSize);
  sizeRef.current = remoteSize;
  const editablesRef = useRef(editables);
  editablesRef.current = editables;

  // Drawing: decode off the main thread, paint, then report the frame as drawn.
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d", { alpha: false });
    if (!canvas || !ctx) return;
    onCanvas(async (frame) => {
      const bitmap = await createImageBitmap(new Blob([frame.image as BlobPart], { type: frameImageType(frame.image) }));
      if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
      }
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
    });
    return () => onCanvas(null);
  }, [onCanvas]);

  // The remote viewport follows the area's size (rotation, browser bars, keyboard excluded).
  useEffect(() => {
    const area = areaRef.current;
    if (!area || !stream) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const report = () => {
      const rect = area.getBoundingClientRect();
      const clamp = (n: number) => Math.max(100, Math.min(4096, Math.floor(n)));
      stream.setViewport({ width: clamp(rect.width), height: clamp(rect.height), dpr: Math.max(1, Math.min(4, window.devicePixelRatio || 1)) });
    };
    report();
    // A rotation while the keyboard was up is reported once the keyboard goes.
    const onBlur = () => {
      clearTimeout(timer);
      timer = setTimeout(report, 150);
    };
    proxyRef.current?.addEventListener("blur", onBlur);
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      // While the on-screen keyboard is open the area shrinks; the remote page keeps its size.
      if (document.activeElement === proxyRef.current) return;
      timer = setTimeout(report, 150);
    });
    observer.observe(area);
    const proxy = proxyRef.current;
    return () => {
      proxy?.removeEventListener("blur", onBlur);
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [stream]);

  // Pointer input, coalesced to one move per animation frame.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !stream) return;
    let pendingMove: ToWorkerMessage | null = null;
    let raf = 0;
    const toRemote = (e: { clientX: number; clientY: number }) => {
      const rect = canvas.getBoundingClientRect();
      const size = sizeRef.current ?? { width: rect.width, height: rect.height };
      return { x: ((e.clientX - rect.left) * size.width) / rect.width, y: ((e.clientY - rect.top) * size.height) / rect.height };
    };
    const kind = (e: PointerEvent) => (e.pointerType === "mouse" ? "mouse" : "touch");
    const flush = () => {
      raf = 0;
      if (pendingMove) stream.send(pendingMove);
      pendingMove = null;
    };
    let down = { x: 0, y: 0, at: 0 };
    const onDown = (e: PointerEvent) => {
      if (!e.isPrimary) return;
      canvas.setPointerCapture(e.pointerId);
      const p = toRemote(e);
      down = { ...p, at: e.timeStamp };
      stream.send({ t: "pointer", phase: "down", pointerType: kind(e), ...p, ts: e.timeStamp });
    };
    const onMove = (e: PointerEvent) => {
      if (!e.isPrimary || (e.pointerType !== "mouse" && e.buttons === 0)) return;
      pendingMove = { t: "pointer", phase: "move", pointerType: kind(e), ...toRemote(e), ts: e.timeStamp };
      if (!raf) raf = requestAnimationFrame(flush);
    };
    const onUp = (e: PointerEvent) => {
      if (!e.isPrimary) return;
      if (raf) cancelAnimationFrame(raf);
      flush();
      const p = toRemote(e);
      stream.send({ t: "pointer", phase: e.type === "pointercancel" ? "cancel" : "up", pointerType: kind(e), ...p, ts: e.timeStamp });
      // Phones open the keyboard only inside a user gesture, and the remote focus report comes
      // after the tap: so a tap on a field the remote page has focuses the proxy right here.
      const isTap = e.type === "pointerup" && Math.hypot(p.x - down.x, p.y - down.y) < 12 && e.timeStamp - down.at < 600;
      const onField = editablesRef.current.some(
        (b) => p.x >= b.x - TAP_SLOP && p.x <= b.x + b.width + TAP_SLOP && p.y >= b.y - TAP_SLOP && p.y <= b.y + b.height + TAP_SLOP,
      );
      if (isTap && onField) proxyRef.current?.focus({ preventScroll: true });
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      stream.send({ t: "wheel", ...toRemote(e), dx: e.deltaX, dy: e.deltaY });
    };
    // A mousedown would move focus off the proxy and close the keyboard.
    const keepFocus = (e: Event) => e.preventDefault();
    const listeners = new AbortController();
    const on = { signal: listeners.signal };
    canvas.addEventListener("pointerdown", onDown, on);
    canvas.addEventListener("pointermove", onMove, on);
    canvas.addEventListener("pointerup", onUp, on);
    canvas.addEventListener("pointercancel", onUp, on);
    canvas.addEventListener("wheel", onWheel, { ...on, passive: false });
    canvas.addEventListener("mousedown", keepFocus, on);
    return () => {
      cancelAnimationFrame(raf);
      listeners.abort();
    };
  }, [stream]);

  useEffect(() => {
    const input = proxyRef.current;
    if (!input || !stream) return;
    return bindKeyboardProxy(input, (m) => stream.send(m));
  }, [stream]);

  // Focus follows the remote page: a focused field opens the keyboard, none closes it.
  useEffect(() => {
    const input = proxyRef.current;
    if (!input) return;
    if (field) input.focus({ preventScroll: true });
    else if (document.activeElement === input) input.blur();
  }, [field]);

  const box = field && remoteSize ? field.box : null;
  return (
    <div ref={areaRef} className="relative min-h-0 flex-1 overflow-hidden bg-white dark:bg-neutral-900">
      {hasFrame ? null : <LoadingSkeleton site={site} />}
      <canvas
        ref={canvasRef}
        data-testid="live-view"
        data-remote-width={remoteSize?.width ?? 0}
        data-remote-height={remoteSize?.height ?? 0}
        role="img"
        aria-label={label}
        // One finger drives the remote page; two fingers zoom this view (the mapping above uses the
        // canvas's on-screen box, so taps stay exact at any zoom).
        style={{ touchAction: "pinch-zoom" }}
        // An opaque canvas is black until its first frame: it stays hidden behind the placeholder till then.
        className={`block h-full w-full select-none ${hasFrame ? "" : "invisible"}`}
      />
      <input
        ref={proxyRef}
        aria-label="Keyboard input for the remote page"
        {...proxyKind(field)}
        data-remote-field={field ? `${field.type}|${field.autocomplete}|${field.inputMode}` : ""}
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        className="pointer-events-none absolute h-8 w-8 border-0 bg-transparent p-0 text-base text-transparent opacity-0 caret-transparent outline-none"
        style={
          box && remoteSize
            ? {
                left: `${Math.max(0, Math.min(95, (box.x / remoteSize.width) * 100))}%`,
                top: `${Math.max(0, Math.min(95, (box.y / remoteSize.height) * 100))}%`,
              }
            : { left: 0, top: 0 }
        }
      />
    </div>
  );
}

/** What the view shows while the remote browser starts: the page's shape in the theme's colours. */
function LoadingSkeleton({ site }: { site: string }) {
  return (
    <div data-testid="live-skeleton" className="absolute inset-0 flex flex-col gap-4 p-6" aria-hidden>
      <p className="text-base font-semibold text-neutral-800 dark:text-neutral-100">{strings.live.opening(site)}</p>
      <p className="-mt-2 text-sm text-neutral-700 dark:text-neutral-300">{strings.live.openingHint}</p>
      <div className="flex animate-pulse flex-col gap-3 pt-2">
        <div className="h-6 w-2/3 rounded bg-neutral-200 dark:bg-neutral-800" />
        <div className="h-11 rounded-lg bg-neutral-200 dark:bg-neutral-800" />
        <div className="h-11 rounded-lg bg-neutral-200 dark:bg-neutral-800" />
        <div className="h-11 w-1/2 rounded-lg bg-neutral-300 dark:bg-neutral-700" />
      </div>
    </div>
  );
}
