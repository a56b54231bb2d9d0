#!/bin/bash
# Test environment for the e2e suites: two real dockerd engines, QEMU through binfmt_misc, a
# loopback registry and locally made base images (nothing is pulled from the internet).
#
# Usage: scripts/env/docker.sh install | start | stop | status   (root, Debian 12; loopback only)
#
# `install` installs the Debian packages of every command in NEEDS below that is missing (the
# e2e, e2e-registry and integration suites and the benches run them) and checks each command is
# then there; it fails once, naming the command, its package and the next step.
# `start` installs the same (plus busybox-static for amd64/arm64/armhf, downloaded, never
# installed), registers the QEMU binfmt handlers that are missing
# (remembering which, so `stop` removes only those), starts both engines and the registry, makes
# the base images and writes the ENV FILE. Starting while already running only adds a user
# (reference count); `stop` stops everything when the last user stops. State: .test-env/docker/.
#
# ENV FILE: .test-env/docker/env — one KEY=VALUE per line (no quotes, no spaces; `source`-able):
#   DOCKER_HOST            unix://…/engine1/docker.sock   the main engine (BuildKit, binfmt QEMU)
#   GC_TEST_DOCKER_HOST_2  unix://…/engine2/docker.sock   a second engine (greenCloud.builders tests)
#   GC_TEST_REGISTRY       127.0.0.1:PORT                 open registry (plain HTTP, loopback)
#   GC_TEST_BASE           127.0.0.1:PORT/base/busybox:1  manifest list: linux/amd64, linux/arm64, linux/arm/v7
#   GC_TEST_BASE_AMD64     127.0.0.1:PORT/base/busybox:amd64-1  single-arch images (also pushed)
#   GC_TEST_BASE_ARM64     127.0.0.1:PORT/base/busybox:arm64-1
#   GC_TEST_BASE_ARMV7     127.0.0.1:PORT/base/busybox:armv7-1
#   GC_TEST_QEMU_BASE      127.0.0.1:PORT/base/busybox-xbuild:armv7-1  arm/v7 busybox with
#                          /usr/bin/qemu-arm-static and exec-form cross-build-start/-end (x86_64)
#   GC_TEST_LOCAL_IMAGES   local/busybox:amd64,local/busybox:arm64,local/busybox:armhf (on engine 1)
#   GC_TEST_BINFMT         /proc/sys/fs/binfmt_misc
#   GC_TEST_ENGINE1_ROOT / GC_TEST_ENGINE2_ROOT   the engines' --data-root (BuildKit state inside)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=${GC_DOCKER_ENV_DIR:-$ROOT/.test-env/docker}
CACHE=$ROOT/.test-env/cache
ENV_FILE=$W/env
BINFMT=/proc/sys/fs/binfmt_misc
DOCKER=/usr/bin/docker
BRIDGES=(gcbr1 gcbr2)
BIPS=(10.231.7.1/24 10.232.7.1/24)

log() { printf 'docker-env: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

apt_install() {
  mkdir -p "$W"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" >>"$W/apt.log" 2>&1
}

# Every command (or file) that this script, the e2e/e2e-registry/integration suites and the
# benches need, and the Debian package that provides it: COMMAND=PACKAGE, one per line. A name
# starting with / is a file that must exist. test/meta/commands.test.ts derives the commands the
# project runs from the code and fails when one is neither here, in scripts/env/vscode.sh's
# NEEDS, nor part of the base machine (README: "What the first npm test installs").
NEEDS=(
  dockerd=docker.io
  /usr/bin/docker=docker.io # the 20.10 CLI with BuildKit (a /usr/local/bin/docker may lack buildx)
  runc=runc                 # test/e2e/imageBuild/cancel.test.ts lists the engine's containers
  /usr/bin/qemu-arm-static=qemu-user-static
  /usr/bin/qemu-aarch64-static=qemu-user-static
  docker-registry=docker-registry
  htpasswd=apache2-utils # registries with Basic authentication (bcrypt)
  openssl=openssl        # the token server's certificate
  curl=curl
  ip=iproute2
  gcc=gcc
  /usr/lib/x86_64-linux-gnu/libc.a=libc6-dev # gcc -static
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
  log "installing ${packages[*]} (missing: ${missing[*]})"
  # a stale package list is the usual cause of a failure: refresh it once and retry
  apt_install "${packages[@]}" || { apt-get -o DPkg::Lock::Timeout=600 update -q >>"$W/apt.log" 2>&1 || true; apt_install "${packages[@]}"; } || {
    grep '^E:' "$W/apt.log" | tail -3 >&2
    die "apt-get install ${packages[*]} failed, also after 'apt-get update' (see $W/apt.log). Next: make Debian's package repositories reachable (or install ${packages[*]} by hand), then run '$0 install' again."
  }
  for need in "${NEEDS[@]}"; do
    present "${need%%=*}" || die "${need%%=*} is still missing after installing Debian package ${need#*=} (see $W/apt.log)"
  done
}

# busybox-static .deb per Debian arch, cached; tolerate a partial apt-get update and retry.
fetch_busybox() {
  local arch=$1
  local dir=$CACHE/busybox-$arch
  [ -x "$dir/bin/busybox" ] && return 0
  mkdir -p "$dir"
  if [ "$arch" != amd64 ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    dpkg --add-architecture "$arch"
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null 2>&1 || log "apt-get update was partial (continuing)"
  fi
  local try
  for try in 1 2 3; do
    if (cd "$dir" && rm -f ./*.deb && apt-get -o DPkg::Lock::Timeout=600 download -q "busybox-static:$arch" >/dev/null 2>&1); then
      dpkg -x "$dir"/busybox-static_*.deb "$dir" && return 0
    fi
    log "busybox-static:$arch download failed (try $try), refreshing indexes"
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null 2>&1 || true
  done
  return 1
}

register_binfmt() {
  mountpoint -q $BINFMT || mount -t binfmt_misc binfmt_misc $BINFMT
  : >"$W/binfmt-registered"
  local a
  for a in aarch64 arm; do
    if [ -e "$BINFMT/qemu-$a" ]; then
      # present; make sure it is enabled (remember if we had to enable it)
      if ! head -1 "$BINFMT/qemu-$a" | grep -qx enabled; then echo 1 >"$BINFMT/qemu-$a"; echo "enable qemu-$a" >>"$W/binfmt-registered"; fi
    else
      sed -n 1p "/usr/lib/binfmt.d/qemu-$a.conf" >"$BINFMT/register"
      echo "register qemu-$a" >>"$W/binfmt-registered"
    fi
  done
}

restore_binfmt() {
  [ -f "$W/binfmt-registered" ] || return 0
  local what name
  while read -r what name; do
    [ -e "$BINFMT/$name" ] || continue
    case $what in register) echo -1 >"$BINFMT/$name" ;; enable) echo 0 >"$BINFMT/$name" ;; esac
  done <"$W/binfmt-registered"
  rm -f "$W/binfmt-registered"
}

start_engine() {
  local n=$1
  local i=$((n - 1)) d=$W/engine$n
  mkdir -p "$d"
  local br=${BRIDGES[$i]} bip=${BIPS[$i]}
  ip link show "$br" >/dev/null 2>&1 || { ip link add name "$br" type bridge && ip addr add "$bip" dev "$br"; }
  ip link set "$br" up
  dockerd --iptables=false --ip6tables=false --bridge "$br" --storage-driver=overlay2 \
    --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/dockerd.pid" -H "unix://$d/docker.sock" \
    >"$d/dockerd.log" 2>&1 </dev/null 9>&- &
  echo $! >"$d/dockerd.bgpid"
  local deadline=$((SECONDS + 30))
  until $DOCKER -H "unix://$d/docker.sock" version >/dev/null 2>&1; do
    kill -0 "$(cat "$d/dockerd.bgpid")" 2>/dev/null || { tail -20 "$d/dockerd.log" >&2; die "dockerd $n exited"; }
    [ $SECONDS -lt $deadline ] || die "dockerd $n did not answer within 30 s (see $d/dockerd.log)"
    sleep 0.1
  done
  log "engine $n: $($DOCKER -H "unix://$d/docker.sock" version --format 'dockerd {{.Server.Version}}, API {{.Server.APIVersion}}') at unix://$d/docker.sock"
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

start_registry() {
  local port; port=$(free_port)
  mkdir -p "$W/registry"
  cat >"$W/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $W/registry}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
YML
  docker-registry serve "$W/registry.yml" >"$W/registry.log" 2>&1 </dev/null 9>&- &
  echo $! >"$W/registry.bgpid"
  local deadline=$((SECONDS + 20))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "registry did not answer within 20 s (see $W/registry.log)"
    sleep 0.05
  done
  echo "127.0.0.1:$port"
}

make_bases() {
  local reg=$1
  local h=unix://$W/engine1/docker.sock
  export DOCKER_CONFIG=$W/docker-config
  mkdir -p "$DOCKER_CONFIG"
  local pa deb plat tagarch d
  fetch_busybox amd64 || die "cannot download busybox-static:amd64"
  for pa in amd64:linux/amd64:amd64 arm64:linux/arm64:arm64 armhf:linux/arm/v7:armv7; do
    IFS=: read -r deb plat tagarch <<<"$pa"
    fetch_busybox "$deb" || die "cannot download busybox-static:$deb"
    d=$W/base-$deb
    rm -rf "$d"; mkdir -p "$d/rootfs/bin" "$d/rootfs/usr/bin" "$d/rootfs/tmp" "$d/rootfs/proc" "$d/rootfs/sys" "$d/rootfs/dev" "$d/rootfs/etc"
    cp "$CACHE/busybox-$deb/bin/busybox" "$d/rootfs/bin/"
    local x
    for x in $("$CACHE/busybox-amd64/bin/busybox" --list); do [ "$x" = busybox ] || ln -sf busybox "$d/rootfs/bin/$x"; done
    tar -C "$d/rootfs" -cf "$d/rootfs.tar" .
    printf 'FROM scratch\nADD rootfs.tar /\nENV PATH=/usr/bin:/bin\nCMD ["/bin/sh"]\n' >"$d/Dockerfile"
    DOCKER_BUILDKIT=1 $DOCKER -H "$h" build -q --platform "$plat" -t "local/busybox:$deb" -t "$reg/base/busybox:$tagarch-1" "$d" >/dev/null
    $DOCKER -H "$h" push -q "$reg/base/busybox:$tagarch-1" >/dev/null
  done
  $DOCKER -H "$h" manifest create --insecure "$reg/base/busybox:1" \
    "$reg/base/busybox:amd64-1" "$reg/base/busybox:arm64-1" "$reg/base/busybox:armv7-1" >/dev/null
  $DOCKER -H "$h" manifest annotate "$reg/base/busybox:1" "$reg/base/busybox:armv7-1" --os linux --arch arm --variant v7
  $DOCKER -H "$h" manifest push --insecure --purge "$reg/base/busybox:1" >/dev/null
  log "bases: $reg/base/busybox:1 (amd64, arm64, arm/v7) and the single-arch tags"
  # arm/v7 busybox carrying qemu-arm-static and the cross-build markers (x86_64, static)
  d=$W/base-xbuild
  rm -rf "$d"; mkdir -p "$d"
  gcc -static -O2 -o "$d/resin-xbuild" "$ROOT/test/e2e/imageBuild/fixtures/xbuild/xbuild.c"
  cp /usr/bin/qemu-arm-static "$d/"
  cat >"$d/Dockerfile" <<DF
FROM $reg/base/busybox:armv7-1
COPY qemu-arm-static /usr/bin/qemu-arm-static
COPY resin-xbuild /usr/bin/resin-xbuild
COPY resin-xbuild /usr/bin/cross-build-start
COPY resin-xbuild /usr/bin/cross-build-end
DF
  DOCKER_BUILDKIT=1 $DOCKER -H "$h" build -q --platform linux/arm/v7 -t "$reg/base/busybox-xbuild:armv7-1" "$d" >/dev/null
  $DOCKER -H "$h" push -q "$reg/base/busybox-xbuild:armv7-1" >/dev/null
  log "cross-build base: $reg/base/busybox-xbuild:armv7-1"
}

running() {
  local f
  for f in "$W/engine1/dockerd.bgpid" "$W/engine2/dockerd.bgpid" "$W/registry.bgpid"; do
    [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null || return 1
  done
  [ -f "$ENV_FILE" ]
}

users() { cat "$W/users" 2>/dev/null || echo 0; }

start() {
  [ "$(id -u)" = 0 ] || die "needs root (dockerd, binfmt_misc, bridges)"
  if running; then
    echo $(($(users) + 1)) >"$W/users"
    log "already running ($(users) users); env in $ENV_FILE"
    cat "$ENV_FILE"
    return 0
  fi
  stop_all
  mkdir -p "$W" "$CACHE"
  ensure_packages
  register_binfmt
  start_engine 1
  start_engine 2
  local reg; reg=$(start_registry)
  log "registry at $reg"
  make_bases "$reg"
  cat >"$ENV_FILE.tmp" <<ENV
DOCKER_HOST=unix://$W/engine1/docker.sock
GC_TEST_DOCKER_HOST_2=unix://$W/engine2/docker.sock
GC_TEST_REGISTRY=$reg
GC_TEST_BASE=$reg/base/busybox:1
GC_TEST_BASE_AMD64=$reg/base/busybox:amd64-1
GC_TEST_BASE_ARM64=$reg/base/busybox:arm64-1
GC_TEST_BASE_ARMV7=$reg/base/busybox:armv7-1
GC_TEST_QEMU_BASE=$reg/base/busybox-xbuild:armv7-1
GC_TEST_LOCAL_IMAGES=local/busybox:amd64,local/busybox:arm64,local/busybox:armhf
GC_TEST_BINFMT=$BINFMT
GC_TEST_ENGINE1_ROOT=$W/engine1/data
GC_TEST_ENGINE2_ROOT=$W/engine2/data
ENV
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  echo 1 >"$W/users"
  cat "$ENV_FILE"
}

stop_pid() {
  local f=$1 p
  [ -f "$f" ] || return 0
  p=$(cat "$f")
  if kill -0 "$p" 2>/dev/null; then
    kill "$p" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$p" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || { kill -9 "$p" 2>/dev/null || true; break; }
      sleep 0.1
    done
  fi
  rm -f "$f"
}

stop_all() {
  [ -d "$W" ] || return 0
  stop_pid "$W/registry.bgpid"
  stop_pid "$W/engine1/dockerd.bgpid"
  stop_pid "$W/engine2/dockerd.bgpid"
  local br
  for br in "${BRIDGES[@]}"; do ip link del "$br" 2>/dev/null || true; done
  restore_binfmt
  rm -f "$ENV_FILE" "$W/users"
}

stop() {
  local n; n=$(users)
  if [ "$n" -gt 1 ]; then
    echo $((n - 1)) >"$W/users"
    log "still used by $((n - 1)) other run(s): left running"
    return 0
  fi
  stop_all
  log "stopped"
}

status() {
  if running; then log "running ($(users) users)"; cat "$ENV_FILE"; else log "not running"; return 1; fi
}

mkdir -p "$(dirname "$W")"
case ${1:-} in
  install | start | stop | status)
    # one start/stop at a time (several test runs may share the tree)
    exec 9>"$(dirname "$W")/docker-env.lock"
    flock -w 900 9 || die "another start/stop did not finish within 15 min"
    if [ "$1" = install ]; then ensure_packages; else "$1"; fi
    ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
