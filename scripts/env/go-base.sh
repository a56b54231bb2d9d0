# shellcheck shell=bash
# Sourced by scripts/env/docker.sh: the Go toolchain base for the GC110 example and bench
# (`GC_TEST_GO_BASE`, a manifest list linux/amd64, linux/arm64, linux/arm/v7 on the loopback
# registry). Built locally, nothing pulled: Debian's golang-1.19-go .deb for each architecture
# plus golang-1.19-src and libc6 (the `go` command is dynamically linked), unpacked with dpkg -x
# onto the busybox rootfs docker.sh already makes. The .debs are cached in .test-env/cache.
#
# Each image carries the precompiled standard library for all three targets
# (pkg/linux_amd64, pkg/linux_arm64, pkg/linux_arm from the three .debs), so a cross-compiling
# build (`FROM --platform=$BUILDPLATFORM`, GOARCH=$TARGETARCH) starts from the same point as a
# native one: the bench compares emulation with cross-compilation, not a cold std library.
# Trimmed of what a build does not use (the toolchain's own sources and cmd/ archives, tests).
# GOPROXY=off: the example uses the standard library only; nothing is fetched at build time.
#
# Needs from docker.sh: W, CACHE, DOCKER, log, die, fetch_busybox.

# The docker.io CLI (BuildKit-capable), as in docker.sh (named here so the meta test resolves it).
DOCKER=/usr/bin/docker

GO_DEBS=(golang-1.19-go:amd64 golang-1.19-go:arm64 golang-1.19-go:armhf golang-1.19-src libc6:amd64 libc6:arm64 libc6:armhf)

# The .debs of GO_DEBS in $CACHE/golang-debs (once); tolerate a partial apt-get update and retry.
fetch_go_debs() {
  local dir=$CACHE/golang-debs pkg name arch try ok
  mkdir -p "$dir"
  for pkg in "${GO_DEBS[@]}"; do
    name=${pkg%%:*}; arch=${pkg#*:}; [ "$arch" = "$pkg" ] && arch=all
    compgen -G "$dir/${name}_*_${arch}.deb" >/dev/null && continue
    ok=
    for try in 1 2 3; do
      if (cd "$dir" && apt-get -o DPkg::Lock::Timeout=600 download -q "$pkg" >/dev/null 2>&1); then ok=1; break; fi
      log "$pkg download failed (try $try), refreshing indexes"
      apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null 2>&1 || log "apt-get update was partial (continuing)"
    done
    [ -n "$ok" ] || return 1
  done
}

# The rootfs tar of one architecture, cached next to the .debs (rebuilt when a .deb changes).
go_rootfs() {
  local deb=$1 dir=$CACHE/golang-debs
  local stamp; stamp=$(cd "$dir" && ls ./*.deb | sort | md5sum | cut -c1-12)
  local tar=$CACHE/golang-rootfs-$deb-$stamp.tar
  if [ ! -s "$tar" ]; then
    rm -f "$CACHE"/golang-rootfs-"$deb"-*.tar
    local r=$W/go-rootfs-$deb
    rm -rf "$r"; mkdir -p "$r/bin" "$r/usr/bin" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/etc" "$r/go/src" "$r/root"
    chmod 1777 "$r/tmp"
    cp "$CACHE/busybox-$deb/bin/busybox" "$r/bin/"
    local x
    for x in $("$CACHE/busybox-amd64/bin/busybox" --list); do [ "$x" = busybox ] || ln -sf busybox "$r/bin/$x"; done
    dpkg -x "$dir"/libc6_*_"$deb".deb "$r" && dpkg -x "$dir"/golang-1.19-go_*_"$deb".deb "$r" &&
      dpkg -x "$dir"/golang-1.19-src_*_all.deb "$r" || return 1
    local other t
    for other in amd64 arm64 armhf; do
      [ "$other" = "$deb" ] && continue
      t=$W/go-pkg-$other; rm -rf "$t"; mkdir -p "$t"
      dpkg-deb --fsys-tarfile "$dir"/golang-1.19-go_*_"$other".deb | tar -x -C "$t" --wildcards './usr/lib/go-1.19/pkg/linux_*'
      cp -a "$t"/usr/lib/go-1.19/pkg/linux_* "$r/usr/lib/go-1.19/pkg/"
      rm -rf "$t"
    done
    rm -rf "$r"/usr/lib/go-1.19/pkg/linux_*/cmd "$r"/usr/share/go-1.19/src/cmd "$r"/usr/share/go-1.19/test \
      "$r"/usr/share/go-1.19/api "$r"/usr/share/go-1.19/misc "$r"/usr/share/doc "$r"/usr/share/man "$r"/usr/share/lintian
    find "$r/usr/share/go-1.19/src" -type d -name testdata -prune -exec rm -rf {} +
    ln -s ../lib/go-1.19/bin/go "$r/usr/bin/go"
    ln -s ../lib/go-1.19/bin/gofmt "$r/usr/bin/gofmt"
    echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
    tar -C "$r" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar" || return 1
    rm -rf "$r"
  fi
  echo "$tar"
}

# Builds and pushes $reg/base/golang:1.19 (manifest list) unless the registry already holds it.
# Returns 1 (logged) when it cannot: docker.sh then starts without GC_TEST_GO_BASE, so only the
# GC110 e2e test and the emulation bench miss it, not every suite.
make_go_base() {
  local reg=$1 h=unix://$W/engine1/docker.sock
  export DOCKER_CONFIG=$W/docker-config
  mkdir -p "$DOCKER_CONFIG"
  if $DOCKER -H "$h" manifest inspect --insecure "$reg/base/golang:1.19" >/dev/null 2>&1; then
    log "Go base: $reg/base/golang:1.19 (already in the registry)"
    return 0
  fi
  fetch_go_debs || { log "cannot download the Go packages (${GO_DEBS[*]})"; return 1; }
  local pa deb plat tagarch d tar
  for pa in amd64:linux/amd64:amd64 arm64:linux/arm64:arm64 armhf:linux/arm/v7:armv7; do
    IFS=: read -r deb plat tagarch <<<"$pa"
    fetch_busybox "$deb" || { log "cannot download busybox-static:$deb"; return 1; }
    tar=$(go_rootfs "$deb") || return 1
    d=$W/go-base-$deb
    rm -rf "$d"; mkdir -p "$d"
    ln "$tar" "$d/rootfs.tar" 2>/dev/null || cp "$tar" "$d/rootfs.tar"
    printf '%s\n' 'FROM scratch' 'ADD rootfs.tar /' \
      'ENV PATH=/usr/lib/go-1.19/bin:/usr/bin:/bin GOPATH=/go HOME=/root GOPROXY=off GOSUMDB=off' \
      'WORKDIR /go' 'CMD ["go", "version"]' >"$d/Dockerfile"
    DOCKER_BUILDKIT=1 $DOCKER -H "$h" build -q --platform "$plat" -t "$reg/base/golang:$tagarch-1.19" "$d" >/dev/null || return 1
    $DOCKER -H "$h" push -q "$reg/base/golang:$tagarch-1.19" >/dev/null || return 1
    rm -rf "$d"
  done
  $DOCKER -H "$h" manifest create --insecure "$reg/base/golang:1.19" \
    "$reg/base/golang:amd64-1.19" "$reg/base/golang:arm64-1.19" "$reg/base/golang:armv7-1.19" >/dev/null || return 1
  $DOCKER -H "$h" manifest annotate "$reg/base/golang:1.19" "$reg/base/golang:armv7-1.19" --os linux --arch arm --variant v7 || return 1
  $DOCKER -H "$h" manifest push --insecure --purge "$reg/base/golang:1.19" >/dev/null || return 1
  log "Go base: $reg/base/golang:1.19 (amd64, arm64, arm/v7; Debian golang-1.19)"
}
