# Sourced by the project's scripts: puts the pinned Node 24 first in PATH (n8n 2.x and n8n-core need it) and
# exports N8N_BIN for the real-n8n tests and the demo. Installs both once into ~/.cache/n8n-nodes-libredesk.
eval "$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-n8n.sh")"
export PATH="$NODE24_BIN:$PATH"
export N8N_BIN NODE24_BIN
# n8n-core keeps instance settings in a user folder; tests get a throw-away one.
export N8N_USER_FOLDER="${N8N_USER_FOLDER:-$(mktemp -d -t libredesk-n8n-XXXXXX)}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x node_modules/.bin/n8n-node ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund >&2
fi
