#!/bin/bash
# scripts/compare-daemons.sh: `docker run --rm IMAGE true` with the same docker CLI through canald
# and through Debian's dockerd (+ containerd + runc), alternating one run of each, ROUNDS times, so
# that a change of the machine's load falls on both alike. Prints each one's median, mean, 10th
# and 90th percentile in milliseconds, and canald's median as a fraction of dockerd's
# (benchmarks/RESULTS.md, "canald against dockerd"). With MEASURE=build it times instead the
# classic builder (DOCKER_BUILDKIT=0) on a small Dockerfile (FROM, RUN, COPY, CMD): a build
# with --no-cache, then an unchanged rebuild, which takes every step from the cache
# (benchmarks/RESULTS.md, "Builds").
#
#   sudo scripts/compare-daemons.sh            # after scripts/setup (or mvn install)
#   ROUNDS=50 sudo scripts/compare-daemons.sh
#   MEASURE=build sudo scripts/compare-daemons.sh
#
# Both daemons are this script's own, as in the tests (PrivateCanald.java, PrivateDockerd.java):
# everything under one temporary directory, each in a mount namespace of its own
# (unshare --mount --propagation private), no default bridge (the machine's network is left as
# it is), dockerd's containers in a cgroup parent of a random name. Each daemon's exec root (its
# runtime state: fifos, state files, containerd's bundles) is a tmpfs of its namespace's own, as
# /run/canal and /var/run/docker are on a machine: not the data root's disk, where every file made
# and deleted per container costs more (on an ext4 without a journal, as these machines' root,
# each new inode skips the ones deleted in the last minute). Both are stopped with SIGTERM
# and their directory removed on exit. Run it under the tests' lock when others test on the
# machine: flock /tmp/canal-tests.lock scripts/compare-daemons.sh
set -euo pipefail

ROUNDS="${ROUNDS:-30}"
MEASURE="${MEASURE:-run}"
WARMUP="${WARMUP:-3}"
DOCKER="${DOCKER:-/usr/local/bin/docker}"
[ -x "$DOCKER" ] || DOCKER=docker
HERE="$(cd "$(dirname "$0")/.." && pwd)"

die() { echo "compare-daemons: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root: both daemons make namespaces, cgroups and mounts"
for program in dockerd containerd runc unshare "$DOCKER"; do
  command -v "$program" >/dev/null || die "$program is missing: apt-get install docker.io"
done
[ -f "$HERE/daemon/target/canald.jar" ] || die "daemon/target/canald.jar is missing: run scripts/setup"
[ -x /bin/busybox ] || die "/bin/busybox is missing: apt-get install busybox-static"

WORK="$(mktemp -d /tmp/canal-compare.XXXXXX)"
CGROUP_PARENT="canal-compare-${WORK##*.}"
CANALD_PID=""
DOCKERD_PID=""

# Stops a daemon by its pid (SIGTERM: both stop their containers) and waits for it.
stop_daemon() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  stop_daemon "$CANALD_PID"
  stop_daemon "$DOCKERD_PID"
  # containerd and its shims name the work directory on their command line: only those.
  for pid in $(pgrep -f "$WORK" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  for hierarchy in /sys/fs/cgroup /sys/fs/cgroup/*; do
    [ -d "$hierarchy/$CGROUP_PARENT" ] && find "$hierarchy/$CGROUP_PARENT" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A busybox root filesystem as a tar, the image both daemons import (BusyboxRootfs.java's).
make_busybox_tar() {
  local rootfs="$WORK/rootfs"
  mkdir -p "$rootfs/bin" "$rootfs"/{proc,sys,dev,tmp,etc,root}
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\n' > "$rootfs/etc/group"
  tar -C "$rootfs" -cf "$WORK/busybox.tar" .
}

# Waits until `docker version` answers on socket $1, or the daemon $2 has died.
await_daemon() {
  for _ in $(seq 1200); do
    DOCKER_HOST="unix://$1" DOCKER_CONFIG="$WORK/client" "$DOCKER" version >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { tail -20 "$WORK"/*.log >&2; die "a daemon exited before answering"; }
    sleep 0.1
  done
  die "no answer on $1 within 120 s"
}

mkdir -p "$WORK/client" "$WORK/etc-docker" "$WORK/tmp" "$WORK/canald/exec" "$WORK/docker/exec"
make_busybox_tar

# canald in its own mount namespace, its exec root a tmpfs: unshare without --fork runs sh, which
# execs canald, so $! is canald.
unshare --mount --propagation private -- sh -c \
  'mount -t tmpfs -o mode=0755 canal-compare "$0" && exec "$@"' "$WORK/canald/exec" \
  "$HERE/bin/canald" -H "unix://$WORK/canald.sock" \
  --data-root "$WORK/canald/data" --exec-root "$WORK/canald/exec" -b none \
  >"$WORK/canald.log" 2>&1 </dev/null &
CANALD_PID=$!

# dockerd as PrivateDockerd.java starts it: a tmpfs on /run (for the containerd it starts and
# its shims' sockets) and the test's /etc/docker, in a mount namespace of its own; and its exec
# root a tmpfs, as canald's.
TMPDIR="$WORK/tmp" unshare --mount --propagation private -- sh -c \
  'mount -t tmpfs -o mode=0755 canal-compare /run && mount --bind "$0" /etc/docker \
    && mount -t tmpfs -o mode=0755 canal-compare "$1" && shift && exec "$@"' \
  "$WORK/etc-docker" "$WORK/docker/exec" dockerd --data-root "$WORK/docker/data" --exec-root "$WORK/docker/exec" \
  --pidfile "$WORK/dockerd.pid" -H "unix://$WORK/docker.sock" \
  --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
  --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$CGROUP_PARENT" \
  >"$WORK/dockerd.log" 2>&1 </dev/null &
DOCKERD_PID=$!

await_daemon "$WORK/canald.sock" "$CANALD_PID"
await_daemon "$WORK/docker.sock" "$DOCKERD_PID"
for socket in canald docker; do
  DOCKER_HOST="unix://$WORK/$socket.sock" DOCKER_CONFIG="$WORK/client" \
    "$DOCKER" import "$WORK/busybox.tar" compare-busybox >/dev/null
done

# One docker command through socket $1, its arguments after it: its wall time in microseconds.
time_once() {
  local socket="$1" start end
  shift
  start=$(date +%s%N)
  DOCKER_HOST="unix://$WORK/$socket.sock" DOCKER_CONFIG="$WORK/client" DOCKER_BUILDKIT=0 \
    "$DOCKER" "$@" >/dev/null 2>&1 || die "docker $* through $socket failed"
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

# What is timed: one command (run) or two (build, then the unchanged rebuild), each a string of
# words without spaces inside them.
case "$MEASURE" in
  run) CASES=("run --rm compare-busybox true") ;;
  build)
    mkdir -p "$WORK/context"
    printf 'FROM compare-busybox\nRUN echo built > /built\nCOPY file.txt /file.txt\nCMD ["cat", "/built"]\n' \
      >"$WORK/context/Dockerfile"
    head -c 65536 /dev/urandom >"$WORK/context/file.txt"
    CASES=("build --no-cache -t compare-built $WORK/context" "build -t compare-built $WORK/context") ;;
  *) die "MEASURE is run or build, not $MEASURE" ;;
esac

for _ in $(seq "$WARMUP"); do
  for command in "${CASES[@]}"; do
    # shellcheck disable=SC2086 # the words of the command
    time_once canald $command >/dev/null; time_once docker $command >/dev/null
  done
done
for index in "${!CASES[@]}"; do : >"$WORK/canald.$index.times"; : >"$WORK/docker.$index.times"; done
for _ in $(seq "$ROUNDS"); do
  for index in "${!CASES[@]}"; do
    # shellcheck disable=SC2086
    time_once canald ${CASES[$index]} >>"$WORK/canald.$index.times"
    # shellcheck disable=SC2086
    time_once docker ${CASES[$index]} >>"$WORK/docker.$index.times"
  done
done

# median mean p10 p90 of a file of microseconds, in milliseconds.
summary() {
  sort -n "$1" | awk '{ t[NR] = $1; sum += $1 }
    END {
      median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      p10 = t[int((NR - 1) * 0.1) + 1]; p90 = t[int((NR - 1) * 0.9) + 1]
      printf "%.1f %.1f %.1f %.1f\n", median / 1000, sum / NR / 1000, p10 / 1000, p90 / 1000 }'
}

for index in "${!CASES[@]}"; do
  read -r canald_median canald_mean canald_p10 canald_p90 < <(summary "$WORK/canald.$index.times")
  read -r docker_median docker_mean docker_p10 docker_p90 < <(summary "$WORK/docker.$index.times")
  echo "docker ${CASES[$index]}, $ROUNDS alternating rounds after $WARMUP warm-up, ms:"
  echo
  echo "| daemon | median | mean | p10 | p90 |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| canald (Canal $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?')) | $canald_median | $canald_mean | $canald_p10 | $canald_p90 |"
  echo "| dockerd $(dockerd --version | awk '{print $3}' | tr -d ,) + containerd + runc | $docker_median | $docker_mean | $docker_p10 | $docker_p90 |"
  echo
  awk -v c="$canald_median" -v d="$docker_median" 'BEGIN { printf "canald median / dockerd median = %.2f\n\n", c / d }'
done
