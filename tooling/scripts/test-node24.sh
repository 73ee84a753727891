#!/usr/bin/env bash
# Runs every package's unit tests once more on Node 24 (the npm registry's node@24 package).
set -euo pipefail
prefix=${NODE24_PREFIX:-/tmp/node24}
if [ ! -x "$prefix/node_modules/.bin/node" ]; then
  npm i --no-save --no-audit --no-fund --loglevel=error --prefix "$prefix" node@24 >/dev/null
fi
export PATH="$prefix/node_modules/.bin:$PATH"
echo "test:node24 with node $(node --version)"
exec pnpm exec turbo run test --force --filter='./packages/*'
