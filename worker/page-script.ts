/**
 * Source text for a function to run inside a page, called with a JSON argument. Playwright sends a
 * function to the page as its source; when this SDK is loaded through a compiler that keeps
 * function names (tsx and other esbuild setups with `keepNames`), inner functions are wrapped in a
 * `__name(...)` helper that exists only in Node, and the page would throw. The script brings its
 * own harmless `__name`.
 */
export function pageScript<A>(fn: (arg: A) => unknown, arg: A): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}); })()`;
}
