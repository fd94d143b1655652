#!/usr/bin/env bash
# Canal's canal-oci beside runc and crun, as whole processes, the way container engines call
# them (benchmarks/RESULTS.md shows the latest results; docs/measuring.md explains them):
#
#   sudo benchmarks/compare.sh [OUTPUT-DIRECTORY]     (default: build/compare)
#
# Three scenarios, each measured by hyperfine (-N: no shell in between) for all three runtimes
# in one run, on the same busybox bundle (made like scripts/setup does: `canal-oci spec`, the
# static busybox as rootfs, process /bin/true, no terminal):
#   run        `RUNTIME run ID`: create, start, wait for /bin/true, delete;
#   lifecycle  `RUNTIME create ID; RUNTIME start ID; RUNTIME delete --force ID` as one sh -c;
#   state      `RUNTIME state ID` of a created container.
# Writes OUTPUT/compare.md (a markdown table), OUTPUT/compare.png (a bar chart, drawn in Java)
# and hyperfine's JSON per scenario. Needs root, hyperfine, runc, crun, busybox-static, and
# Canal built (mvn package: cli/target/canal.jar, benchmarks/target/benchmarks.jar).
#
# crun refuses a hybrid cgroup layout (cgroup v1 controllers with a v2 hierarchy on
# /sys/fs/cgroup/unified), so it runs in a private mount namespace with that unmounted:
# `unshare -m sh -c 'umount /sys/fs/cgroup/unified && exec crun ...'`. That wrapper costs an
# unshare(1) and a sh; its own time is measured as the "crun wrapper alone" row.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

[ "$(id -u)" = 0 ] || { echo "compare.sh: run as root (the runtimes create namespaces and cgroups)" >&2; exit 1; }
for tool in hyperfine runc crun; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is not installed" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "compare.sh: /bin/busybox is missing (apt-get install busybox-static)" >&2; exit 1; }
[ -f benchmarks/target/benchmarks.jar ] || { echo "compare.sh: build first: mvn package -DskipTests" >&2; exit 1; }

output="$(readlink -f "${1:-build/compare}")"
mkdir -p "$output"
runs="${COMPARE_RUNS:-30}"
work="$(mktemp -d /tmp/canal-compare.XXXXXX)"
# An id per runtime: runc and crun put a container without cgroupsPath in the cgroup named by its
# id, so one id for all three would put them in the same cgroups.
id="compare-$$"
crun_wrapped() { echo "unshare -m sh -c 'umount /sys/fs/cgroup/unified && exec crun --root $work/crun $*'"; }
canal="$PWD/bin/canal-oci --root $work/canal"
runc="runc --root $work/runc"

# Every container this script may have left, by id and each runtime's own root; then the files.
cleanup() {
  $canal delete --force "$id-canal" >/dev/null 2>&1 || true
  $runc delete --force "$id-runc" >/dev/null 2>&1 || true
  sh -c "$(crun_wrapped delete --force "$id-crun")" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

bundle="$work/bundle"
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev" "$bundle/rootfs/tmp"
cp /bin/busybox "$bundle/rootfs/bin/"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$bundle/rootfs/bin/$applet"
done
bin/canal-oci spec --bundle "$bundle"
sed -i 's/"terminal": true/"terminal": false/' "$bundle/config.json"
# crun 1.8 (Debian 12) refuses "ociVersion": "1.2.1" ("unknown version specified"); 1.0.2 is what
# runc 1.1 reports, and the spec has nothing newer in it.
sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2"/' "$bundle/config.json"
sed -i 's|^\t\t\t"sh"$|\t\t\t"/bin/true"|' "$bundle/config.json"
grep -q '"/bin/true"' "$bundle/config.json" || { echo "compare.sh: could not set process.args in $bundle/config.json" >&2; exit 1; }

measure() {  # SCENARIO, then NAME COMMAND pairs
  local scenario="$1"; shift
  local arguments=()
  while [ $# -gt 0 ]; do arguments+=(-n "$1" "$2"); shift 2; done
  echo "== $scenario"
  hyperfine -N -w 3 -r "$runs" --export-json "$output/$scenario.json" "${arguments[@]}"
}

lifecycle() {  # the runtime's command line and the container id, as one sh -c
  echo "sh -c '$1 create --bundle $bundle $2 && $1 start $2 && $1 delete --force $2'"
}

measure run \
  canal-oci "$canal run --bundle $bundle $id-canal" \
  runc "$runc run --bundle $bundle $id-runc" \
  crun "$(crun_wrapped run --bundle "$bundle" "$id-crun")" \
  "crun wrapper alone" "unshare -m sh -c 'umount /sys/fs/cgroup/unified && exec true'"

measure lifecycle \
  canal-oci "$(lifecycle "$canal" "$id-canal")" \
  runc "$(lifecycle "$runc" "$id-runc")" \
  crun "sh -c \"$(crun_wrapped create --bundle "$bundle" "$id-crun") && $(crun_wrapped start "$id-crun") && $(crun_wrapped delete --force "$id-crun")\""

# state: of one created (held) container per runtime, deleted afterwards.
$canal create --bundle "$bundle" "$id-canal"
$runc create --bundle "$bundle" "$id-runc"
sh -c "$(crun_wrapped create --bundle "$bundle" "$id-crun")"
measure state \
  canal-oci "$canal state $id-canal" \
  runc "$runc state $id-runc" \
  crun "$(crun_wrapped state "$id-crun")"
$canal delete --force "$id-canal"
$runc delete --force "$id-runc"
sh -c "$(crun_wrapped delete --force "$id-crun")"

java="$(bin/find-jdk)/bin/java"
"$java" -cp benchmarks/target/benchmarks.jar dev.canal.benchmarks.RuntimeComparison "$output" run lifecycle state
echo "wrote $output/compare.md and $output/compare.png"
