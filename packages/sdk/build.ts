/**
 * `npm run build:sdk`: builds the installable SDK package from `worker/` into packages/sdk/dist —
 * one ESM bundle (the `lib/` code the worker uses bundled in; socket.io-client, zod and tldts left
 * as dependencies; playwright-core as the peer) and type declarations by tsc. With `--pack` it also
 * runs `npm pack` and prints the tarball's path.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { z } from "zod";

const PACKAGE_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(PACKAGE_DIR, "../..");
const DIST = path.join(PACKAGE_DIR, "dist");

const ManifestSchema = z.object({
  version: z.string(),
  dependencies: z.record(z.string(), z.string()),
  peerDependencies: z.record(z.string(), z.string()).optional(),
});
const readManifest = (file: string) => ManifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));

/**
 * Every bare import must be a declared dependency, the peer, or a Node built-in: anything else would
 * be bundled silently or be missing at install. `playwright` itself is refused: the package must run
 * with only playwright-core installed (its types are the same; import them from there).
 */
function onlyDeclaredPackages(allowed: Set<string>): Plugin {
  return {
    name: "only-declared-packages",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
        if (allowed.has(name)) return { path: args.path, external: true };
        return { errors: [{ text: `${args.importer} imports "${args.path}", which is not a dependency of the SDK package` }] };
      });
    },
  };
}

/** The repo pins one version of each dependency; the package must ask for the same ones. */
function checkVersionsMatchRepo(sdk: z.infer<typeof ManifestSchema>): void {
  const repo = readManifest(path.join(ROOT, "package.json"));
  for (const [name, version] of Object.entries(sdk.dependencies)) {
    if (repo.dependencies[name] !== version) throw new Error(`packages/sdk depends on ${name}@${version}, the repo on ${repo.dependencies[name] ?? "nothing"}`);
  }
}

/** tsc writes `./x` the way the sources do; Node's ESM resolution (and `nodenext` types) need `./x.js`. */
function fixDeclarations(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) {
      fixDeclarations(file);
      continue;
    }
    if (!file.endsWith(".d.ts")) continue;
    const text = readFileSync(file, "utf8")
      .replace(/(from |import\()"(\.\.?\/[^"]+?)(?<!\.js)"/g, '$1"$2.js"')
      .replace(/(from |import\()"playwright"/g, '$1"playwright-core"');
    writeFileSync(file, text);
  }
}

export async function buildSdk(): Promise<void> {
  const manifest = readManifest(path.join(PACKAGE_DIR, "package.json"));
  checkVersionsMatchRepo(manifest);
  rmSync(DIST, { recursive: true, force: true });
  const allowed = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies ?? {})]);
  await build({
    entryPoints: [path.join(ROOT, "worker/index.ts")],
    outfile: path.join(DIST, "index.js"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
    plugins: [onlyDeclaredPackages(allowed)],
  });
  execFileSync(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", path.join(PACKAGE_DIR, "tsconfig.build.json")], { stdio: "inherit" });
  fixDeclarations(path.join(DIST, "types"));
}

/** `npm pack` into `destination`; returns the tarball's absolute path. */
export function packSdk(destination: string): string {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", destination], { cwd: PACKAGE_DIR, encoding: "utf8" });
  const [packed] = z
    .array(z.object({ filename: z.string() }))
    .min(1)
    .parse(JSON.parse(out));
  return path.join(destination, packed.filename);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildSdk();
  if (process.argv.includes("--pack")) process.stdout.write(`${packSdk(PACKAGE_DIR)}\n`);
}
