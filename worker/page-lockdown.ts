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
 * module `import`, so its code is unchanged). Such a worker's own address is the wrapper's `blob:`
 * URL, against which no relative URL resolves; so in a wrapped worker `location` reads as its
 * script's URL, and `fetch`, `Request`, `XMLHttpRequest`, `importScripts`, `EventSource`, `WebSocket`
 * and nested workers resolve relative URLs against it, as they would have.
 *
 * @param workerScript in a wrapped worker, its script's URL; null in a document.
 */
export function pageLockdown(workerScript: string | null): void {
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
  // Everything the wrapper calls later is taken now, before any page script runs: a page could
  // otherwise replace URL.createObjectURL, Blob or JSON.stringify and hand the real Worker its own,
  // unlocked script (found in review, proven with both).
  const BlobCtor = Blob;
  const UrlCtor = URL;
  const createObjectUrl = URL.createObjectURL.bind(URL);
  const stringify = JSON.stringify.bind(JSON);
  const defineProperty = Object.defineProperty.bind(Object);
  // Its own source too: a page that replaced Function.prototype.toString would write its workers' "lockdown".
  const lockdownSource = pageLockdown.toString();
  if (workerScript !== null) resolveAgainstScript(workerScript);
  // Compilers that keep names wrap inner functions in `__name(...)`, which exists only in Node.
  const prelude = (url: string) => `(() => { const __name = (f) => f; (${lockdownSource})(${stringify(url)}); })();`;
  const script = (body: string) => createObjectUrl(new BlobCtor([body], { type: "text/javascript" }));
  // One wrapper script per worker URL, so a SharedWorker constructed twice is still shared.
  const wrappers: Record<string, string> = Object.create(null) as Record<string, string>;
  const wrap = (Original: typeof Worker | typeof SharedWorker | undefined, name: string) => {
    if (typeof Original !== "function") return;
    const Wrapped = function (this: unknown, url: string | URL, options?: string | WorkerOptions) {
      if (!new.target) throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator.`);
      const absolute = new UrlCtor(String(url), workerScript ?? location.href).href;
      const isModule = typeof options === "object" && options?.type === "module";
      const key = `${isModule ? "m" : "c"}|${absolute}`;
      // A module's imports run before its own body, in order: the lockdown must be an import too.
      const blobUrl = (wrappers[key] ??= script(
        isModule
          ? `import ${stringify(script(prelude(absolute)))};\nimport ${stringify(absolute)};`
          : `${prelude(absolute)}\nimportScripts(${stringify(absolute)});`,
      ));
      return new (Original as new (u: string, o?: string | WorkerOptions) => object)(blobUrl, options);
    };
    Wrapped.prototype = Original.prototype;
    defineProperty(scope, name, { value: Wrapped, configurable: false, writable: false });
  };
  wrap(scope.Worker as typeof Worker | undefined, "Worker");
  wrap(scope.SharedWorker as typeof SharedWorker | undefined, "SharedWorker");

  /** In a wrapped worker: relative URLs resolve against its script's URL, not the wrapper's blob:. */
  function resolveAgainstScript(base: string): void {
    const resolve = (url: unknown) => {
      if (typeof url !== "string") return url;
      try {
        return new UrlCtor(url, base).href;
      } catch {
        return url;
      }
    };
    const global = scope;
    const subclass = (name: string) => {
      const Native = global[name] as (new (url: unknown, ...rest: unknown[]) => object) | undefined;
      if (typeof Native !== "function") return;
      const Resolved = class extends Native {
        constructor(url: unknown, ...rest: unknown[]) {
          super(resolve(url), ...rest);
        }
      };
      defineProperty(Resolved, "name", { value: name });
      defineProperty(scope, name, { value: Resolved, configurable: true, writable: true });
    };
    for (const name of ["Request", "EventSource", "WebSocket"]) subclass(name);
    const nativeFetch = global.fetch as typeof fetch | undefined;
    if (nativeFetch)
      defineProperty(scope, "fetch", {
        value: (input: unknown, init?: RequestInit) => nativeFetch(resolve(input) as RequestInfo, init),
        configurable: true,
        writable: true,
      });
    const nativeImport = global.importScripts as ((...urls: string[]) => void) | undefined;
    if (nativeImport)
      defineProperty(scope, "importScripts", {
        value: (...urls: string[]) => nativeImport(...(urls.map(resolve) as string[])),
        configurable: true,
        writable: true,
      });
    const xhr = global.XMLHttpRequest as typeof XMLHttpRequest | undefined;
    if (xhr) {
      const open = Reflect.get(xhr.prototype, "open") as (this: XMLHttpRequest, ...args: unknown[]) => void;
      defineProperty(xhr.prototype, "open", {
        value: function (this: XMLHttpRequest, method: string, url: unknown, ...rest: unknown[]) {
          return open.apply(this, [method, resolve(url), ...rest]);
        },
        configurable: true,
        writable: true,
      });
    }
    // WorkerLocation's fields, read from the script's URL.
    defineProperty(scope, "location", { value: new UrlCtor(base), configurable: true, writable: false });
  }
}
