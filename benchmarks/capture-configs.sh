#!/usr/bin/env bash
# Captures the config.json that podman, dockerd and runc give an OCI runtime by default, as the
# fixtures benchmarks/compare.sh and the tests run (tests/src/test/resources/engine-configs):
#
#   sudo benchmarks/capture-configs.sh [OUTPUT-DIRECTORY]   (default: that fixtures directory)
#
# podman and dockerd are given a wrapper as their runtime: on `create` it copies the bundle's
# config.json to OUTPUT/ENGINE.json, then execs runc with the same arguments, so the container
# runs as usual. Both engines run with state of their own under a temporary directory (as
# PodmanTest and PrivateDockerd do), never the machine's, and without networks of their making
# (--network none: no bridge, no iptables rules; the safety rule of DESIGN.md), on an image
# imported from the static busybox. runc's is `runc spec`. Needs root, podman, docker.io, runc,
# busybox-static.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
. benchmarks/lib/busybox-rootfs.sh

[ "$(id -u)" = 0 ] || { echo "capture-configs.sh: run as root" >&2; exit 1; }
for tool in podman dockerd docker runc unshare; do
  command -v "$tool" >/dev/null || { echo "capture-configs.sh: $tool is not installed" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "capture-configs.sh: /bin/busybox is missing (apt-get install busybox-static)" >&2; exit 1; }

output="$(readlink -f "${1:-tests/src/test/resources/engine-configs}")"
mkdir -p "$output"
work="$(mktemp -d /tmp/canal-capture.XXXXXX)"
image="localhost/canal-capture-busybox"
dockerd_pid=""
cleanup() {
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    while kill -0 "$dockerd_pid" 2>/dev/null; do sleep 0.2; done
  fi
  podman --root "$work/podman/root" --runroot "$work/podman/runroot" --tmpdir "$work/podman/tmp" \
    system reset --force >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The wrapper runtime: ENGINE's config.json out, then runc.
wrapper() {  # ENGINE
  cat > "$work/capture-$1" <<EOF
#!/bin/sh
previous=""
for argument in "\$@"; do
  case "\$previous" in --bundle|-b) cp "\$argument/config.json" "$output/$1.json" ;; esac
  case "\$argument" in --bundle=*) cp "\${argument#--bundle=}/config.json" "$output/$1.json" ;; esac
  previous="\$argument"
done
exec runc "\$@"
EOF
  chmod +x "$work/capture-$1"
  echo "$work/capture-$1"
}

# A busybox root filesystem as a tar, imported as the image both engines run.
rootfs="$work/rootfs"
busybox_rootfs "$rootfs"
tar -C "$rootfs" -cf "$work/busybox.tar" .

echo "== podman $(podman --version)"
mkdir -p "$work/podman"
cat > "$work/podman/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat > "$work/podman/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$work/podman/root"
runroot = "$work/podman/runroot"
EOF
podman_() {
  CONTAINERS_CONF="$work/podman/containers.conf" CONTAINERS_STORAGE_CONF="$work/podman/storage.conf" \
    podman --root "$work/podman/root" --runroot "$work/podman/runroot" --tmpdir "$work/podman/tmp" \
    --cgroup-manager cgroupfs --events-backend file "$@"
}
podman_ import "$work/busybox.tar" "$image" >/dev/null
podman_ --runtime "$(wrapper podman)" run --rm --network none "$image" true

echo "== $(dockerd --version)"
mkdir -p "$work/docker/etc-docker" "$work/docker/client" "$work/docker/tmp"
# In a mount namespace of its own with a fresh /run, as PrivateDockerd starts it.
TMPDIR="$work/docker/tmp" unshare --mount --propagation private -- sh -c \
  'mount -t tmpfs -o mode=0755 canal-capture /run && mount --bind "$0" /etc/docker && exec "$@"' \
  "$work/docker/etc-docker" \
  dockerd --data-root "$work/docker/data" --exec-root "$work/docker/exec" \
  --pidfile "$work/docker/dockerd.pid" -H "unix://$work/docker/docker.sock" \
  --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
  --exec-opt native.cgroupdriver=cgroupfs --add-runtime "capture=$(wrapper docker)" \
  > "$work/docker/dockerd.log" 2>&1 &
dockerd_pid=$!
docker_() { DOCKER_HOST="unix://$work/docker/docker.sock" DOCKER_CONFIG="$work/docker/client" docker "$@"; }
for _ in $(seq 120); do docker_ version >/dev/null 2>&1 && break; sleep 0.5; done
docker_ import "$work/busybox.tar" "$image" >/dev/null
# --cgroupns private: what docker asks for by default on cgroup v2 (on this hybrid machine its
# default would be the host's cgroup namespace).
docker_ run --rm --runtime capture --network none --cgroupns private "$image" true

runc spec --bundle "$work" && cp "$work/config.json" "$output/runc.json"
echo "wrote $output/podman.json, docker.json and runc.json"
