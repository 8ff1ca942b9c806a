#!/usr/bin/env bash
# Gives an inner `npm install` the environment a plain shell would give it, not the one an outer
# `npm run …` (npm start, npm test, another project's script) exported to its script.
#
# Why: npm reads every `npm_config_*` variable as its own configuration and passes it on to the
# install scripts it runs. The outer npm exports its whole resolved configuration. Inherited by an
# inner install, `npm_config_user_agent=npm/… node/v20…` made code-server's postinstall believe it
# ran on Node 20 and refuse ("code-server currently requires node v24") although Node 24 ran it;
# `npm_config_ignore_scripts` would skip that postinstall silently; `npm_config_prefix`,
# `npm_config_global`, `npm_config_omit`, workspaces, `npm_config_node_gyp` or `npm_config_nodedir`
# would install elsewhere, leave packages out or build native modules against the wrong Node.
# The outer script's own variables (`npm_package_*`, `npm_lifecycle_*`, `INIT_CWD`, `NODE`,
# `npm_execpath`, …) and the `node_modules/.bin` folders npm put first on PATH describe the outer
# project, not the inner one.
#
# Kept: the settings that say how to reach the registry (registry, proxies, certificates, cache, which
# .npmrc files to read). A plain shell gets those from the same .npmrc files, and a machine behind a
# proxy needs them.
#
# Use: `source npm-clean-env.sh; scrub_outer_npm_env` (the current shell), or
#      `npm-clean-env.sh COMMAND [ARG…]` (runs COMMAND in the scrubbed environment).
# Covered by test/unit/harness/npmCleanEnv.test.ts.

scrub_outer_npm_env() {
  local name lower key entry
  local -a kept_path=()
  for name in $(compgen -e); do
    lower="${name,,}"
    case "$lower" in
      npm_config_*)
        key="${lower#npm_config_}"
        key="${key//-/_}"
        case "$key" in
          registry | *:registry | //* | _auth | _authtoken | proxy | http_proxy | https_proxy | noproxy | no_proxy \
            | ca | cafile | cert | key | strict_ssl | cache | userconfig | globalconfig | fetch_* | maxsockets \
            | offline | prefer_offline | prefer_online) ;;
          *) unset "$name" ;;
        esac
        ;;
      npm_package_* | npm_lifecycle_* | npm_execpath | npm_node_execpath | npm_command | init_cwd | node)
        unset "$name"
        ;;
    esac
  done
  # npm put the outer project's node_modules/.bin chain and its node-gyp shim first on PATH.
  local IFS=:
  for entry in $PATH; do
    case "$entry" in
      */node_modules/.bin | */node_modules/.bin/ | */run-script/lib/node-gyp-bin | */run-script/lib/node-gyp-bin/) ;;
      *) kept_path+=("$entry") ;;
    esac
  done
  PATH="${kept_path[*]}"
  export PATH
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  if [ $# -eq 0 ]; then
    echo "usage: npm-clean-env.sh COMMAND [ARG…]" >&2
    exit 2
  fi
  scrub_outer_npm_env
  exec "$@"
fi
