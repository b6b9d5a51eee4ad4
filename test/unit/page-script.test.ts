import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { pageScript } from "../../worker/page-script";

describe("page scripts", () => {
  // Regression: under tsx (esbuild keepNames) the SDK's in-page scripts referenced a `__name` helper
  // that pages lack, so field focus never reached the phone and the demo's phone stalled.
  it("run in a scope without esbuild's __name helper, with their argument", () => {
    // What esbuild with keepNames emits for a function with an inner arrow function.
    const compiled = runInNewContext("(function (arg) { const double = __name((n) => n * 2, 'double'); return double(arg.n); })") as (arg: {
      n: number;
    }) => number;
    // A page's realm: a fresh context with none of Node's globals.
    const run = (source: string) => runInNewContext(source) as unknown;
    expect(() => run(`(${compiled.toString()})({ n: 21 })`)).toThrow(/__name/);
    expect(run(pageScript(compiled, { n: 21 }))).toBe(42);
  });

  it("passes the argument as data, never as code", () => {
    const echo = (arg: string) => arg;
    expect(runInNewContext(pageScript(echo, '"); throw new Error("x'))).toBe('"); throw new Error("x');
  });
});
