# Shared by bin/canal, bin/canal-oci, bin/canald and bin/find-jdk: find a JDK >= 22 and start Canal on it.
# Sourced, not run. Bash builtins only on the way to java: no $(...), no dirname or readlink, so a
# start costs no process but the JVM (each subshell was a fork, 80-280 ms in all on a busy
# machine: docs/start-time.md).

CANAL_MIN_JAVA=22
# JVM options for one command, and the AOT cache it maps (cli/target/NAME-JDKVERSION.aot): set by
# a launcher after sourcing this file, never taken from the environment.
CANAL_JVM_OPTIONS=()
CANAL_AOT_CACHE=canal
# The jar a launcher starts, relative to the source tree: the cli's, or canald's for bin/canald.
CANAL_JAR=cli/target/canal.jar

# The source tree's root: this file is its bin/lib/launch.sh, by the path the launcher sourced it.
CANAL_HOME="${BASH_SOURCE[0]%/*}"
case "$CANAL_HOME" in /*) ;; *) CANAL_HOME="$PWD/$CANAL_HOME" ;; esac
case "$CANAL_HOME" in
  */bin/lib) CANAL_HOME="${CANAL_HOME%/bin/lib}" ;;
  *) CANAL_HOME="$CANAL_HOME/../.." ;;
esac

# Sets CANAL_JDK_RELEASE (25.0.3) and CANAL_JDK_FEATURE (25) from the release file at the root of
# the JDK at $1, or empties both if it is not a JDK. Its line JAVA_VERSION="25.0.3" says it much
# more cheaply than starting that java to ask.
canal_jdk_release() {
  local line
  CANAL_JDK_RELEASE=""
  CANAL_JDK_FEATURE=""
  [ -x "$1/bin/java" ] && [ -r "$1/release" ] || return 0
  while IFS= read -r line; do
    case "$line" in
      JAVA_VERSION=*)
        line="${line#JAVA_VERSION=\"}"
        CANAL_JDK_RELEASE="${line%%\"*}"
        line="${CANAL_JDK_RELEASE#1.}"
        CANAL_JDK_FEATURE="${line%%[.+-]*}"
        case "$CANAL_JDK_FEATURE" in ''|*[!0-9]*) CANAL_JDK_FEATURE="" ;; esac
        return 0 ;;
    esac
  done < "$1/release"
}

# True if $1 is a JDK >= 22; leaves its release in CANAL_JDK_RELEASE and CANAL_JDK_FEATURE.
canal_jdk_suits() {
  canal_jdk_release "$1"
  [ "${CANAL_JDK_FEATURE:-0}" -ge "$CANAL_MIN_JAVA" ]
}

# Sets CANAL_JAVA_HOME (and CANAL_JDK_RELEASE) to a JDK >= 22: JAVA_HOME if it is one; else the
# JDK that built Canal, which the build writes down in cli/target/build-jdk (one read instead of a
# walk through every JDK directory; it stands for the usual places, so not when CANAL_JDK_DIRS
# names others); else the newest in CANAL_JDK_DIRS or the usual places. Returns 1 with a message
# on stderr naming what was found instead.
canal_find_jdk() {
  local dirs="${CANAL_JDK_DIRS:-/usr/lib/jvm /usr/java /usr/local/java /opt/java /opt}"
  local candidate best="" best_feature=0 seen="" recorded=""
  if [ -n "${JAVA_HOME:-}" ]; then
    if canal_jdk_suits "$JAVA_HOME"; then
      CANAL_JAVA_HOME="$JAVA_HOME"
      return 0
    fi
    if [ -n "$CANAL_JDK_FEATURE" ]; then
      seen=" JAVA_HOME=$JAVA_HOME is JDK $CANAL_JDK_FEATURE;"
    else
      seen=" JAVA_HOME=$JAVA_HOME is not a JDK;"
    fi
  fi
  if [ -z "${CANAL_JDK_DIRS:-}" ] && [ -r "$CANAL_HOME/cli/target/build-jdk" ] \
      && IFS= read -r recorded < "$CANAL_HOME/cli/target/build-jdk" && canal_jdk_suits "$recorded"; then
    CANAL_JAVA_HOME="$recorded"
    return 0
  fi
  for candidate in $dirs; do
    for candidate in "$candidate"/*; do
      if canal_jdk_suits "$candidate" && [ "$CANAL_JDK_FEATURE" -gt "$best_feature" ]; then
        best="$candidate"
        best_feature="$CANAL_JDK_FEATURE"
      fi
    done
  done
  if [ -z "$best" ]; then
    echo "canal: no JDK >= $CANAL_MIN_JAVA found.$seen searched $dirs. Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  canal_jdk_release "$best"
  CANAL_JAVA_HOME="$best"
}

# canal_launch MAIN_CLASS PROGRAM_NAME ARGS...: exec the JVM on Canal's jar, with the AOT cache
# that `mvn package` built for this exact JDK version when there is one (CANAL_AOT_CACHE names
# it), and the JVM options in the array CANAL_JVM_OPTIONS.
canal_launch() {
  local main="$1" name="$2" jar="$CANAL_HOME/$CANAL_JAR" cache aot=()
  shift 2
  canal_find_jdk || exit 1
  if [ ! -r "$jar" ]; then
    echo "$name: $jar is not built; run scripts/setup (or mvn package) first." >&2
    exit 1
  fi
  cache="$CANAL_HOME/cli/target/$CANAL_AOT_CACHE-$CANAL_JDK_RELEASE.aot"
  if [ -r "$cache" ] && [ "$cache" -nt "$jar" ]; then
    aot=("-XX:AOTCache=$cache" "-Xlog:aot=error,cds=error")
  fi
  exec "$CANAL_JAVA_HOME/bin/java" "@$CANAL_HOME/bin/lib/jvm.options" "${aot[@]}" "${CANAL_JVM_OPTIONS[@]}" -cp "$jar" "$main" "$@"
}
