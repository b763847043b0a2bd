#!/usr/bin/env bash
# The demo (npm run demo): builds the package, then a real n8n 2.x with it installed turns the sample CRM
# records into Libredesk conversations, twice, and reports. Libredesk is the embedded emulator; `--real` runs the
# real Libredesk server (../shared/libredesk-server), and LIBREDESK_URL/_API_KEY/_API_SECRET name any other one.
# The first run on a machine installs Node 24 and n8n into ~/.cache/n8n-nodes-libredesk (a few minutes, once).
set -euo pipefail
preset_user_folder="${N8N_USER_FOLDER-}"
source "$(dirname "$0")/env.sh"
# env.sh makes an empty user folder for the engine tests; the demo brings its own.
if [ -z "$preset_user_folder" ]; then trap 'rmdir "$N8N_USER_FOLDER" 2>/dev/null || true' EXIT; fi
if ! build_log=$(npx n8n-node build 2>&1); then echo "$build_log" >&2; exit 1; fi
npx tsc -p tsconfig.test.json
node .build/scripts/demo.js "$@"
