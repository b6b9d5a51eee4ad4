#!/usr/bin/env bash
# The SDK package test installs the packed SDK into a fresh project offline, from npm's cache: the
# cache must hold the SDK's dependencies and theirs, metadata included (npm ci caches tarballs, not
# always their metadata, and `npm cache add` caches only the packages named). One throwaway install
# online fills it: the SDK's dependencies as packages/sdk/package.json pins them, and the
# playwright-core of the repo's own Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
# Read first, so a failure (no node_modules yet) stops the script instead of caching nothing.
list="$(node -p '
  const sdk = require("./packages/sdk/package.json");
  const playwright = require("./node_modules/playwright-core/package.json");
  [...Object.entries(sdk.dependencies ?? {}).map(([name, version]) => `${name}@${version}`), `playwright-core@${playwright.version}`].join("\n")')"
mapfile -t packages <<<"$list"
if [ "${#packages[@]}" -lt 2 ]; then
  echo "cache-sdk-deps: expected the SDK's dependencies and playwright-core, got: ${packages[*]}" >&2
  exit 1
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
echo '{"name":"sdk-cache-fill","private":true}' > "$dir/package.json"
(cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --ignore-scripts --prefer-online "${packages[@]}" >/dev/null)
echo "npm's cache holds ${packages[*]} and their dependencies."
