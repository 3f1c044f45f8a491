#!/usr/bin/env bash
# Installs playwright-core as package-lock.json pins it (no browser download: Debian's chromium
# is used), then runs the browser tests with node's test runner.
set -euo pipefail
cd "$(dirname "$0")"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node --test --test-reporter=spec
