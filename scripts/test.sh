#!/usr/bin/env bash
# The whole test suite: build, lint (zero findings), compile the tests, run them all (engine + real n8n).
set -euo pipefail
source "$(dirname "$0")/env.sh"
npx n8n-node build >/dev/null
npx n8n-node lint
npx tsc -p tsconfig.test.json
npx jest "$@"
