#!/bin/bash
# scripts/compare-daemons.sh: `docker run --rm IMAGE true` with the same docker CLI through canald
# and through Debian's dockerd (+ containerd + runc), alternating one run of each, ROUNDS times, so
# that a change of the machine's load falls on both alike. Prints each one's median, mean, 10th
# and 90th percentile in milliseconds, and canald's median as a fraction of dockerd's
# (benchmarks/RESULTS.md, "canald against dockerd"). With MEASURE=build it times instead the
# classic builder (DOCKER_BUILDKIT=0) on a small Dockerfile (FROM, RUN, COPY, CMD): a build
# with --no-cache, then an unchanged rebuild, which takes every step from the cache
# (benchmarks/RESULTS.md, "Builds"). With MEASURE=network it times `run --rm --network none` and
# `run --rm` on each daemon's default bridge (canald's canal0, dockerd's docker0 with its
# iptables rules), and prints what the bridge adds per container on each daemon, as the
# difference of the medians and as the median of each round's paired difference
# (benchmarks/RESULTS.md, "What a bridge adds").
#
#   sudo scripts/compare-daemons.sh            # after scripts/setup (or mvn install)
#   ROUNDS=50 sudo scripts/compare-daemons.sh
#   MEASURE=build sudo scripts/compare-daemons.sh
#   MEASURE=network sudo scripts/compare-daemons.sh
#
# Both daemons are this script's own, as in the tests (PrivateCanald.java, PrivateDockerd.java):
# everything under one temporary directory, each in a mount namespace of its own
# (unshare --mount --propagation private), dockerd's containers in a cgroup parent of a random
# name. Each daemon's exec root (its runtime state: fifos, state files, containerd's bundles) is a
# tmpfs of its namespace's own, as /run/canal and /var/run/docker are on a machine: not the data
# root's disk, where every file made and deleted per container costs more (on an ext4 without a
# journal, as these machines' root, each new inode skips the ones deleted in the last minute).
# For run and build they have no default bridge; for network each also runs in a network
# namespace of its own (unshare --net, lo up), so that its bridge, veths and firewall rules exist
# only there and go with it (NetworkedCanald.java). The machine's own network namespace is left
# as it is: the script compares its links and `nft --stateless list ruleset` before and after,
# and fails if either changed. Both daemons are stopped with SIGTERM and their directory removed
# on exit. Run it under the tests' lock when others test on the machine:
# flock /tmp/canal-tests.lock scripts/compare-daemons.sh
set -euo pipefail

ROUNDS="${ROUNDS:-30}"
MEASURE="${MEASURE:-run}"
WARMUP="${WARMUP:-3}"
DOCKER="${DOCKER:-/usr/local/bin/docker}"
[ -x "$DOCKER" ] || DOCKER=docker
HERE="$(cd "$(dirname "$0")/.." && pwd)"

die() { echo "compare-daemons: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root: both daemons make namespaces, cgroups and mounts"
case "$MEASURE" in run | build | network) ;; *) die "MEASURE is run, build or network, not $MEASURE" ;; esac
for program in dockerd containerd runc unshare nft ip "$DOCKER"; do
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

# What this script must not change: the machine's network namespace (the script's own), its
# links and its firewall rules (iptables-nft's too: they are nf_tables tables), without the
# counters, which the machine's own traffic moves (nft(8) --stateless).
host_network() {
  ip -o link | awk -F': ' '{ print $2 }' | sort
  nft --stateless list ruleset 2>/dev/null | md5sum
}
HOST_NETWORK_BEFORE="$(host_network)"

cleanup() {
  local status=$?
  stop_daemon "$CANALD_PID"
  stop_daemon "$DOCKERD_PID"
  # containerd and its shims name the work directory on their command line: only those.
  for pid in $(pgrep -f "$WORK" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  for hierarchy in /sys/fs/cgroup /sys/fs/cgroup/*; do
    [ -d "$hierarchy/$CGROUP_PARENT" ] && find "$hierarchy/$CGROUP_PARENT" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf "$WORK"
  if [ "$(host_network)" != "$HOST_NETWORK_BEFORE" ]; then
    echo "compare-daemons: the machine's network namespace changed (links, then the md5 of its nft ruleset):" >&2
    diff <(echo "$HOST_NETWORK_BEFORE") <(host_network) >&2
    exit 1
  fi
  exit "$status"
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

# Execs "$@" in a mount namespace of its own and, for MEASURE=network, a network namespace of
# its own with lo up: unshare without --fork execs, so a job started with this has the daemon's
# pid as $!.
exec_in_own_namespaces() {
  if [ "$MEASURE" = network ]; then
    exec unshare --net --mount --propagation private -- sh -c 'ip link set lo up && exec "$@"' sh "$@"
  fi
  exec unshare --mount --propagation private -- "$@"
}

# Each daemon's default network: none, except to measure what a bridge adds, where canald makes
# canal0 and dockerd docker0 with its iptables rules (iptables-nft: nf_tables tables in the
# daemon's namespace), both on their default 172.17.0.1/16.
if [ "$MEASURE" = network ]; then
  CANALD_NETWORK=()
  DOCKERD_NETWORK=(--ip6tables=false)
else
  CANALD_NETWORK=(-b none)
  DOCKERD_NETWORK=(--bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false)
fi

mkdir -p "$WORK/client" "$WORK/etc-docker" "$WORK/tmp" "$WORK/canald/exec" "$WORK/docker/exec"
make_busybox_tar

# canald, its exec root a tmpfs: sh execs it, so $! is canald.
exec_in_own_namespaces sh -c 'mount -t tmpfs -o mode=0755 canal-compare "$0" && exec "$@"' \
  "$WORK/canald/exec" "$HERE/bin/canald" -H "unix://$WORK/canald.sock" \
  --data-root "$WORK/canald/data" --exec-root "$WORK/canald/exec" "${CANALD_NETWORK[@]}" \
  >"$WORK/canald.log" 2>&1 </dev/null &
CANALD_PID=$!

# dockerd as PrivateDockerd.java starts it: a tmpfs on /run (for the containerd it starts, its
# shims' sockets and iptables' lock) and the test's /etc/docker; and its exec root a tmpfs, as
# canald's.
TMPDIR="$WORK/tmp" exec_in_own_namespaces sh -c \
  'mount -t tmpfs -o mode=0755 canal-compare /run && mount --bind "$0" /etc/docker \
    && mount -t tmpfs -o mode=0755 canal-compare "$1" && shift && exec "$@"' \
  "$WORK/etc-docker" "$WORK/docker/exec" dockerd --data-root "$WORK/docker/data" --exec-root "$WORK/docker/exec" \
  --pidfile "$WORK/dockerd.pid" -H "unix://$WORK/docker.sock" "${DOCKERD_NETWORK[@]}" \
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

# What is timed: one command (run) or two (build, then the unchanged rebuild; network: without a
# network, then on the default bridge), each a string of words without spaces inside them.
case "$MEASURE" in
  run) CASES=("run --rm compare-busybox true") ;;
  network) CASES=("run --rm --network none compare-busybox true" "run --rm compare-busybox true") ;;
  build)
    mkdir -p "$WORK/context"
    printf 'FROM compare-busybox\nRUN echo built > /built\nCOPY file.txt /file.txt\nCMD ["cat", "/built"]\n' \
      >"$WORK/context/Dockerfile"
    head -c 65536 /dev/urandom >"$WORK/context/file.txt"
    CASES=("build --no-cache -t compare-built $WORK/context" "build -t compare-built $WORK/context") ;;
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

CANALD_LABEL="canald (Canal $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?'))"
DOCKERD_LABEL="dockerd $(dockerd --version | awk '{print $3}' | tr -d ,) + containerd + runc"

for index in "${!CASES[@]}"; do
  read -r canald_median canald_mean canald_p10 canald_p90 < <(summary "$WORK/canald.$index.times")
  read -r docker_median docker_mean docker_p10 docker_p90 < <(summary "$WORK/docker.$index.times")
  echo "docker ${CASES[$index]}, $ROUNDS alternating rounds after $WARMUP warm-up, ms:"
  echo
  echo "| daemon | median | mean | p10 | p90 |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| $CANALD_LABEL | $canald_median | $canald_mean | $canald_p10 | $canald_p90 |"
  echo "| $DOCKERD_LABEL | $docker_median | $docker_mean | $docker_p10 | $docker_p90 |"
  echo
  awk -v c="$canald_median" -v d="$docker_median" 'BEGIN { printf "canald median / dockerd median = %.2f\n\n", c / d }'
done

# What the default bridge adds per container on each daemon: the difference of the medians, and
# the median of each round's own difference (its two runs follow each other, so a change of the
# machine's load between rounds falls on both), with the 25th and 75th percentiles of those.
paired() {
  paste "$1" "$2" | awk '{ print $2 - $1 }' | sort -n | awk '{ d[NR] = $1 }
    END {
      median = (NR % 2) ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2
      printf "%+.1f %+.1f %+.1f\n", median / 1000, d[int((NR - 1) * 0.25) + 1] / 1000, d[int((NR - 1) * 0.75) + 1] / 1000 }'
}
if [ "$MEASURE" = network ]; then
  echo "| daemon | --network none median | default bridge median | added per container | median of the rounds' differences (p25, p75) |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  for daemon in canald docker; do
    label="$CANALD_LABEL"
    [ "$daemon" = docker ] && label="$DOCKERD_LABEL"
    read -r none _ < <(summary "$WORK/$daemon.0.times")
    read -r bridge _ < <(summary "$WORK/$daemon.1.times")
    read -r median p25 p75 < <(paired "$WORK/$daemon.0.times" "$WORK/$daemon.1.times")
    awk -v l="$label" -v n="$none" -v b="$bridge" -v m="$median" -v q1="$p25" -v q3="$p75" \
      'BEGIN { printf "| %s | %.1f | %.1f | %+.1f | %s (%s, %s) |\n", l, n, b, b - n, m, q1, q3 }'
  done
fi
