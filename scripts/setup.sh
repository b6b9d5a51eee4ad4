#!/usr/bin/env bash
# Installs what Baton needs on a fresh Debian/Ubuntu machine: Chromium (for the agent's browser,
# the demo's phone and the end-to-end tests), PostgreSQL and Redis (for the multinode tests) and
# the npm packages from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium always; PostgreSQL and Redis only for `npm run test:multinode` (its
# tests start their own throwaway servers on loopback ports; `--no-multinode` skips them).
PACKAGES=()
if [ -z "${BATON_CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then PACKAGES+=(chromium); fi
if [ "${1:-}" != "--no-multinode" ]; then
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || PACKAGES+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || PACKAGES+=(redis-server)
fi
if [ ${#PACKAGES[@]} -gt 0 ]; then
  echo "▸ Installing from Debian's packages: ${PACKAGES[*]}…"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
fi

echo "▸ Installing npm packages (npm ci; better-sqlite3 may compile, ~2 min on 2 cores)…"
# Playwright's own browser download is not needed: Baton uses the system Chromium by default.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

echo "▸ Caching the SDK's dependencies for its offline install test…"
bash scripts/cache-sdk-deps.sh

echo "▸ Setup done."
