#!/usr/bin/env bash
# Installs what Baton needs on a fresh Debian/Ubuntu machine: Chromium (for the agent's browser,
# the demo's phone and the end-to-end tests) and the npm packages from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${BATON_CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "▸ Installing Chromium from Debian's packages…"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "▸ Installing npm packages (npm ci; better-sqlite3 may compile, ~2 min on 2 cores)…"
# Playwright's own browser download is not needed: Baton uses the system Chromium by default.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

# The SDK package test installs the packed SDK into a fresh project offline, from npm's cache: the
# cache must hold the SDK's own dependencies (npm ci caches tarballs, not always their metadata).
echo "▸ Caching the SDK's dependencies for its offline install test…"
npm cache add socket.io-client@4.8.4 zod@4.6.7 tldts@7.5.4 playwright-core@1.65.1 >/dev/null

echo "▸ Setup done."
