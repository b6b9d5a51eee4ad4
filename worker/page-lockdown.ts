/**
 * What runs first in every document of a handoff context: the channels that would leave the browser
 * without passing Baton's request routing and egress proxy are taken away.
 *
 * - WebRTC (`RTCPeerConnection` and its family) talks UDP to STUN/TURN servers — measured: a TURN
 *   username left over UDP to a loopback listener with the proxy and routing in place.
 * - WebTransport speaks HTTP/3 over QUIC (UDP) and ignores the proxy — measured the same way, from a
 *   page and from a dedicated worker.
 * - `javascript:` URLs do not run where the person's tap would run them — links (HTML and SVG), a
 *   form's action or a button's formaction — nor through `window.open` (a page's own script can run
 *   anything in its own origin anyway; what is refused is a URL acting as script). A URL is judged
 *   as the browser reads it, so `java&#9;script:` and ` JAVASCRIPT:` are one too.
 * - Service-worker registration: `serviceWorkers: "block"` alone did not stop it in a secure context
 *   (measured with Chromium 156), and requests a service worker serves bypass routing.
 *
 * Playwright's init scripts run in every frame's document, including the about:blank of an iframe a
 * page has just created, but not in workers; so `Worker` and `SharedWorker` are wrapped to start each
 * worker with the same lockdown before its own script (which then runs through `importScripts` or a
 * module `import`, so its code is unchanged).
 */
export function pageLockdown(): void {
  const REMOVED = [
    "RTCPeerConnection",
    "webkitRTCPeerConnection",
    "RTCDataChannel",
    "RTCRtpSender",
    "RTCRtpReceiver",
    "RTCRtpTransceiver",
    "RTCIceTransport",
    "RTCDtlsTransport",
    "RTCSctpTransport",
    "RTCIceCandidate",
    "RTCSessionDescription",
    "WebTransport",
    "WebTransportError",
  ];
  const scope = globalThis as unknown as Record<string, unknown>;
  for (const name of REMOVED) {
    if (!(name in scope)) continue;
    try {
      Object.defineProperty(scope, name, { value: undefined, configurable: false, writable: false });
    } catch {
      // Already locked down in this realm (the script ran twice): nothing left to remove.
    }
  }
  if (typeof ServiceWorkerContainer !== "undefined") {
    const refuse = () => Promise.reject(new DOMException("Service workers are disabled here", "SecurityError"));
    Object.defineProperty(ServiceWorkerContainer.prototype, "register", { value: refuse, configurable: false, writable: false });
  }
  if (typeof document !== "undefined") {
    const Url = URL;
    // Parsed as the browser parses it: tabs and newlines dropped, leading spaces and controls trimmed.
    const runsAsScript = (value: string | URL | null | undefined): boolean => {
      if (value === null || value === undefined) return false;
      try {
        return new Url(String(value), document.baseURI).protocol === "javascript:";
      } catch {
        return false;
      }
    };
    // A tapped `javascript:` link would run its URL as script; the page's own click handlers still
    // run (`href="javascript:void(0)"` with an onclick is common), only the URL does not.
    addEventListener(
      "click",
      (event) => {
        const link = (event.target as Element | null)?.closest?.("a, area");
        const href = link?.getAttribute("href") ?? link?.getAttributeNS("http://www.w3.org/1999/xlink", "href");
        if (runsAsScript(href)) event.preventDefault();
      },
      true,
    );
    // A form sent to a `javascript:` action (the button's formaction first) would run it as script.
    addEventListener(
      "submit",
      (event) => {
        const form = event.target as HTMLFormElement;
        const submitter = event.submitter;
        const action = submitter?.getAttribute("formaction") ?? form.getAttribute("action");
        if (runsAsScript(action)) event.preventDefault();
      },
      true,
    );
    const open = window.open.bind(window);
    const guardedOpen = (url?: string | URL, ...rest: [string?, string?]) => (runsAsScript(url) ? null : open(url, ...rest));
    Object.defineProperty(window, "open", { value: guardedOpen, configurable: false, writable: false });
  }
  // Compilers that keep names wrap inner functions in `__name(...)`, which exists only in Node.
  const prelude = `(() => { const __name = (f) => f; (${pageLockdown.toString()})(); })();`;
  // Everything the wrapper calls later is taken now, before any page script runs: a page could
  // otherwise replace URL.createObjectURL, Blob or JSON.stringify and hand the real Worker its own,
  // unlocked script (found in review, proven with both).
  const BlobCtor = Blob;
  const UrlCtor = URL;
  const createObjectUrl = URL.createObjectURL.bind(URL);
  const stringify = JSON.stringify.bind(JSON);
  const defineProperty = Object.defineProperty.bind(Object);
  const script = (body: string) => createObjectUrl(new BlobCtor([body], { type: "text/javascript" }));
  const preludeUrl = script(prelude);
  // One wrapper script per worker URL, so a SharedWorker constructed twice is still shared.
  const wrappers: Record<string, string> = Object.create(null) as Record<string, string>;
  const wrap = (Original: typeof Worker | typeof SharedWorker | undefined, name: string) => {
    if (typeof Original !== "function") return;
    const Wrapped = function (this: unknown, url: string | URL, options?: string | WorkerOptions) {
      if (!new.target) throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator.`);
      const absolute = new UrlCtor(String(url), location.href).href;
      const isModule = typeof options === "object" && options?.type === "module";
      const key = `${isModule ? "m" : "c"}|${absolute}`;
      // A module's imports run before its own body, in order: the lockdown must be an import too.
      const blobUrl = (wrappers[key] ??= script(
        isModule ? `import ${stringify(preludeUrl)};\nimport ${stringify(absolute)};` : `${prelude}\nimportScripts(${stringify(absolute)});`,
      ));
      return new (Original as new (u: string, o?: string | WorkerOptions) => object)(blobUrl, options);
    };
    Wrapped.prototype = Original.prototype;
    defineProperty(scope, name, { value: Wrapped, configurable: false, writable: false });
  };
  wrap(scope.Worker as typeof Worker | undefined, "Worker");
  wrap(scope.SharedWorker as typeof SharedWorker | undefined, "SharedWorker");
}
