#!/usr/bin/env bash
# `npm run lint`: ESLint (type-aware rules and the layer boundaries) and Prettier's check, side by
# side — they share nothing, and one after the other they took most of a minute on 2 cores.
# Prettier keeps a per-file cache by content (node_modules/.cache/prettier): a clean clone checks
# every file, later runs only the files that changed. ESLint gets none: its type-aware rules read
# other files, which a per-file cache cannot see.
set -uo pipefail
cd "$(dirname "$0")/.."
npx prettier --check . --cache --cache-strategy content --log-level warn &
prettier=$!
npx eslint .
eslint=$?
wait "$prettier"
prettier_status=$?
[ "$prettier_status" -eq 0 ] || echo "Prettier: files above need \`npm run format\`." >&2
exit $(( eslint || prettier_status ))
