#!/usr/bin/env bash
# npm test                          The whole suite, as CI runs it: build, lint (zero findings), compile the tests,
#                                   run them all (engine + real n8n).
# npm test -- test/sync.test.ts     Only the given test files or folders (test/e2e = the real-n8n suite); other
#                                   arguments go to jest unchanged (e.g. -t 'name'). No lint; the tests compile
#                                   incrementally; the package itself is rebuilt only when a real-n8n test (which
#                                   installs the packed package) may run.
# Tests are TypeScript in test/, compiled into .build/ and run by jest from there, so test/x.test.ts is given to
# jest as .build/test/x.test.js.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ $# -eq 0 ]; then
  npx n8n-node build >/dev/null
  npx n8n-node lint
  npx tsc -p tsconfig.test.json
  exec npx jest
fi

args=() selected=0 real_n8n=0
for arg in "$@"; do
  path=${arg#./}
  if [[ $arg != -* && ( $path == test || $path == test/* ) && -e $path ]]; then
    selected=1
    [[ $path == test || $path == test/e2e || $path == test/e2e/* ]] && real_n8n=1
    path=${path%/}
    [[ $path == *.ts ]] && path=${path%.ts}.js
    args+=(".build/$path")
  else
    args+=("$arg")
  fi
done
# No file selected (only jest options): every test file runs, the real-n8n ones included.
if [ $real_n8n = 1 ] || [ $selected = 0 ]; then npx n8n-node build >/dev/null; fi
npx tsc -p tsconfig.test.json --incremental --tsBuildInfoFile .build/.tsbuildinfo
exec npx jest "${args[@]}"
