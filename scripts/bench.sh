#!/usr/bin/env bash
# npm run bench: the node's cost against a raw HTTP client (engine section) and against n8n's HTTP Request
# node in a real n8n. Prints ratios measured in this run and writes bench/results.json.
set -euo pipefail
source "$(dirname "$0")/env.sh"
npx n8n-node build >/dev/null
npx tsc -p tsconfig.test.json
N8N_LOG_LEVEL=silent node .build/bench/run.js "$@"
