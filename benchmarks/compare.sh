#!/usr/bin/env bash
# Canal's canal-oci beside runc, as whole processes, the way container engines call them
# (benchmarks/RESULTS.md shows the latest results; docs/measuring.md explains them):
#
#   sudo benchmarks/compare.sh [OUTPUT-DIRECTORY]     (default: build/compare)
#
# Five scenarios on three configs, canal-oci and runc alternating sample by sample (so a burst of
# load from elsewhere hits both alike), COMPARE_WARMUP (3) unrecorded rounds, then COMPARE_RUNS
# (10) recorded ones:
#   run        `RUNTIME run ID`: create, start, wait for /bin/true, delete;
#   lifecycle  `RUNTIME create ID`, `RUNTIME start ID`, `RUNTIME delete --force ID`, timed together;
#   state      `RUNTIME state ID` of a created container;
#   kill       `RUNTIME kill ID KILL` of a created container (created and deleted untimed);
#   delete     `RUNTIME delete --force ID` of a stopped container (created and killed untimed).
# The configs are the ones engines send by default, captured by benchmarks/capture-configs.sh
# into tests/src/test/resources/engine-configs: runc's (`runc spec`: no seccomp), podman's
# (seccomp, masked paths, the devices cgroup) and docker's (the same, and a cgroup namespace).
# Each is made runnable here: the root is the bundle's busybox rootfs, the process /bin/true
# without a terminal, no hooks (docker's prestart hook names its dockerd), no cgroupsPath (each
# runtime takes its default, by id), and bind mounts of the capturing engine's files (hosts,
# hostname, resolv.conf, /dev/shm) point to empty ones in the bundle.
#
# Writes OUTPUT/samples.tsv (config, scenario, runtime, ms: every recorded sample),
# OUTPUT/compare.md (medians and ratios) and OUTPUT/compare.png (a chart, drawn in Java). Needs
# root, runc, jq, busybox-static, and Canal built (mvn package: cli/target/canal.jar,
# benchmarks/target/benchmarks.jar). The timing is bash's $EPOCHREALTIME around each command,
# which bash runs directly (no sh in between).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
. benchmarks/lib/busybox-rootfs.sh

[ "$(id -u)" = 0 ] || { echo "compare.sh: run as root (the runtimes create namespaces and cgroups)" >&2; exit 1; }
for tool in runc jq; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is not installed" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "compare.sh: /bin/busybox is missing (apt-get install busybox-static)" >&2; exit 1; }
[ -f benchmarks/target/benchmarks.jar ] || { echo "compare.sh: build first: mvn package -DskipTests" >&2; exit 1; }

output="$(readlink -f "${1:-build/compare}")"
mkdir -p "$output"
runs="${COMPARE_RUNS:-10}"
warmup="${COMPARE_WARMUP:-3}"
configs=(runc podman docker)
fixtures=tests/src/test/resources/engine-configs
work="$(mktemp -d /tmp/canal-compare.XXXXXX)"
samples="$output/samples.tsv"
: > "$samples"
errors="$work/errors.log"

# Each runtime's command line, with its own --root; an id per runtime (runc puts a container
# without cgroupsPath in the cgroup named by its id, so one id for both would share cgroups).
declare -A runtime=(
  [canal-oci]="$PWD/bin/canal-oci --root $work/canal"
  [runc]="runc --root $work/runc"
)
names=(canal-oci runc)
declare -A id=([canal-oci]="compare-$$-canal" [runc]="compare-$$-runc")

cleanup() {
  local name
  for name in "${names[@]}"; do
    ${runtime[$name]} delete --force "${id[$name]}" >/dev/null 2>&1 || true
    ${runtime[$name]} delete --force "${id[$name]}-state" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The busybox root filesystem each bundle gets a copy of.
rootfs="$work/rootfs"
busybox_rootfs "$rootfs"

# bundle CONFIG: makes $work/bundle-CONFIG from the captured config, as the header says.
bundle() {
  local dir="$work/bundle-$1" source
  mkdir -p "$dir/files"
  cp -a "$rootfs" "$dir/rootfs"   # runc refuses a rootfs that is a symbolic link
  jq --arg files "$dir/files" '
      .root = {path: "rootfs", readonly: (.root.readonly // false)}
    | .process.args = ["/bin/true"] | .process.terminal = false
    | del(.hooks) | del(.linux.cgroupsPath)
    | .mounts |= map(if .type == "bind" and (.source | startswith("/tmp/canal-capture."))
                     then .source = ($files + "/" + (.source | split("/") | last)) else . end)' \
    "$fixtures/$1.json" > "$dir/config.json"
  for source in $(jq -r --arg files "$dir/files" '.mounts[] | .source | select(startswith($files))' "$dir/config.json"); do
    case "${source##*/}" in shm) mkdir -p "$source" ;; *) : > "$source" ;; esac
  done
}
for config in "${configs[@]}"; do bundle "$config"; done

# timed RECORD CONFIG SCENARIO NAME COMMAND...: runs COMMAND (output to /dev/null, errors kept)
# and, if RECORD is 1, appends its wall time in ms to the samples. A failure stops the script.
timed() {
  local record="$1" config="$2" scenario="$3" name="$4" start end
  shift 4
  start="$EPOCHREALTIME"
  if ! "$@" >/dev/null 2>>"$errors"; then
    echo "compare.sh: $config $scenario: $name failed: $*" >&2
    tail -5 "$errors" >&2
    exit 1
  fi
  end="$EPOCHREALTIME"
  if [ "$record" = 1 ]; then
    local us=$(( ${end/./} - ${start/./} ))
    printf '%s\t%s\t%s\t%d.%03d\n' "$config" "$scenario" "$name" $((us / 1000)) $((us % 1000)) >> "$samples"
  fi
}

# untimed COMMAND...: a step around the timed one; a failure stops the script.
untimed() {
  "$@" >/dev/null 2>>"$errors" || { echo "compare.sh: failed: $*" >&2; tail -5 "$errors" >&2; exit 1; }
}

# Waits until the container's first process (pid in FILE) has died (gone, or a zombie).
await_exit() {
  local pid stat
  read -r pid < "$1" || [ -n "$pid" ]   # a pid file may end without a newline
  while [ -r "/proc/$pid/stat" ] && read -r stat < "/proc/$pid/stat" 2>/dev/null && [[ "$stat" != *") Z "* ]]; do
    sleep 0.01
  done
}

# lifecycle BUNDLE ID RUNTIME...: create, start and delete, as one timed command.
lifecycle() {
  local b="$1" i="$2"
  shift 2
  "$@" create --bundle "$b" "$i" && "$@" start "$i" && "$@" delete --force "$i"
}

# One sample of SCENARIO for runtime NAME on CONFIG (recorded if RECORD is 1).
sample() {
  local record="$1" config="$2" scenario="$3" name="$4"
  local -a r=(${runtime[$name]})
  local i="${id[$name]}" b="$work/bundle-$config" pidfile="$work/$name.pid"
  case "$scenario" in
    run) timed "$record" "$config" run "$name" "${r[@]}" run --bundle "$b" "$i" ;;
    lifecycle) timed "$record" "$config" lifecycle "$name" lifecycle "$b" "$i" "${r[@]}" ;;
    state) timed "$record" "$config" state "$name" "${r[@]}" state "$i-state" ;;
    kill)
      untimed "${r[@]}" create --bundle "$b" --pid-file "$pidfile" "$i"
      timed "$record" "$config" kill "$name" "${r[@]}" kill "$i" KILL
      await_exit "$pidfile"
      untimed "${r[@]}" delete --force "$i" ;;
    delete)
      untimed "${r[@]}" create --bundle "$b" --pid-file "$pidfile" "$i"
      untimed "${r[@]}" kill "$i" KILL
      await_exit "$pidfile"
      timed "$record" "$config" delete "$name" "${r[@]}" delete --force "$i" ;;
  esac
}

for config in "${configs[@]}"; do
  for scenario in run lifecycle state kill delete; do
    echo "== $config: $scenario ($warmup warm-up and $runs recorded rounds, alternating)"
    if [ "$scenario" = state ]; then
      for name in "${names[@]}"; do
        untimed ${runtime[$name]} create --bundle "$work/bundle-$config" "${id[$name]}-state"
      done
    fi
    for ((round = 1; round <= warmup + runs; round++)); do
      for name in "${names[@]}"; do
        sample $((round > warmup)) "$config" "$scenario" "$name"
      done
    done
    if [ "$scenario" = state ]; then
      for name in "${names[@]}"; do
        untimed ${runtime[$name]} delete --force "${id[$name]}-state"
      done
    fi
  done
done

java="$(bin/find-jdk)/bin/java"
"$java" -cp benchmarks/target/benchmarks.jar dev.canal.benchmarks.RuntimeComparison "$output"
echo "wrote $output/samples.tsv, $output/compare.md and $output/compare.png"
