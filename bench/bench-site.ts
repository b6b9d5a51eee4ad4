/**
 * The pages the benchmark types into: a fixed layout so the phone side knows where to look for
 * changed pixels, the caret hidden (a blinking caret would count as a change), a tap target that
 * toggles a colour, an animation that can be switched on, and a long field for fidelity checks.
 * `/type` is still until told otherwise; `/anim` is the same page animating all the time — a
 * spinner and a moving gradient repaint every frame beside the login field, as on real sign-in pages.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** Boxes in the page's CSS pixels (the remote viewport is at least 360 px wide). */
export const LAYOUT = {
  field: { x: 16, y: 60, width: 320, height: 48 },
  tapButton: { x: 16, y: 130, width: 150, height: 56 },
  tapBox: { x: 190, y: 130, width: 146, height: 56 },
  animButton: { x: 16, y: 210, width: 150, height: 48 },
  longField: { x: 16, y: 280, width: 320, height: 120 },
  /** Repaints every frame on `/anim`; nowhere near the boxes above (JPEG blocks are 16 px). */
  gradient: { x: 16, y: 560, width: 320, height: 40 },
} as const;

const box = (b: { x: number; y: number; width: number; height: number }) =>
  `position:absolute;left:${b.x}px;top:${b.y}px;width:${b.width}px;height:${b.height}px;box-sizing:border-box`;

const page = (isAnimating: boolean) => `<!doctype html><html><head><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Bench</title><style>
*{caret-color:transparent} body{margin:0;font-family:monospace;background:#fff}
#f{font-size:24px;border:1px solid #888;padding:0 8px;outline:none}
#tapbox{background:#ddd} #tapbox.on{background:#222}
#spin{position:absolute;left:150px;top:460px;width:60px;height:60px;background:#e33}
.run{animation:spin 1s linear infinite}@keyframes spin{to{transform:rotate(360deg)}}
#long{font-size:14px;border:1px solid #888;resize:none}
#grad{background:linear-gradient(90deg,#36c,#fc3,#36c);background-size:200% 100%}
.slide{animation:slide 2s linear infinite}@keyframes slide{to{background-position:-200% 0}}
</style></head><body>
<input id="f" autocomplete="off" style="${box(LAYOUT.field)}">
<button id="tap" style="${box(LAYOUT.tapButton)}" onclick="tapbox.classList.toggle('on');signIn()">Tap</button>
<div id="tapbox" style="${box(LAYOUT.tapBox)}"></div>
<button id="anim" style="${box(LAYOUT.animButton)}" onclick="spin.classList.toggle('run')">Animate</button>
<textarea id="long" style="${box(LAYOUT.longField)}"></textarea>
<div id="spin"${isAnimating ? ' class="run"' : ""}></div>
<div id="grad"${isAnimating ? ' class="slide"' : ""} style="${box(LAYOUT.gradient)}"></div>
<script>f.addEventListener('input',()=>{if(f.value.length>20)f.value=''})
let isSignedIn=false;function signIn(){if(!isSignedIn)fetch('/sign-in',{method:'POST'});isSignedIn=true}</script>
</body></html>`;

export interface BenchSite {
  /** The still page. */
  url: string;
  /** The page that never stops animating. */
  animatingUrl: string;
  origin: string;
  close(): Promise<void>;
}

export async function startBenchSite(): Promise<BenchSite> {
  const server = createServer((req, res) => {
    if (req.url === "/type" || req.url === "/anim") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page(req.url === "/anim"));
      return;
    }
    if (req.url === "/sign-in" && req.method === "POST") {
      // The first tap signs in: a session cookie set after the page loaded, so the hand-over at the
      // end has something new to move (cookies the page had from the start are not a sign-in).
      res.writeHead(204, { "set-cookie": "bench_session=s3ss10n; Path=/; HttpOnly; SameSite=Lax" }).end();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/type`,
    animatingUrl: `${origin}/anim`,
    origin,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
