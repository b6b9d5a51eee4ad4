#!/usr/bin/env bash
# `npm run lint`: ESLint (type-aware rules and the layer boundaries) and Prettier's check, side by
# side — they share nothing, and one after the other they took most of a minute on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
npx prettier --check . --log-level warn &
prettier=$!
npx eslint .
eslint=$?
wait "$prettier"
prettier_status=$?
[ "$prettier_status" -eq 0 ] || echo "Prettier: files above need \`npm run format\`." >&2
exit $(( eslint || prettier_status ))
