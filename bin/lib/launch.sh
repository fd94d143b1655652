# Shared by bin/canal, bin/canal-oci and bin/find-jdk: find a JDK >= 22 and start Canal on it.
# Sourced, not run. Kept to shell builtins and a few reads so a start costs no extra processes.

CANAL_MIN_JAVA=22
# JVM options for one command, and the AOT cache it maps (cli/target/NAME-JDKVERSION.aot): set by
# a launcher after sourcing this file, never taken from the environment.
CANAL_JVM_OPTIONS=()
CANAL_AOT_CACHE=canal

# The directories searched for JDKs when JAVA_HOME is unset or too old; overridable for tests.
: "${CANAL_JDK_DIRS:=/usr/lib/jvm /usr/java /usr/local/java /opt/java /opt}"

# Prints the feature version (22, 25) of the JDK at $1, or nothing if it is not a JDK. The
# release file at a JDK's root says JAVA_VERSION="25.0.3": reading it is much cheaper than
# starting that java to ask.
canal_jdk_version() {
  local line
  [ -x "$1/bin/java" ] && [ -r "$1/release" ] || return 0
  while IFS= read -r line; do
    case "$line" in
      JAVA_VERSION=*)
        line="${line#JAVA_VERSION=\"}"
        line="${line%%\"*}"
        line="${line#1.}"
        echo "${line%%[.+-]*}"
        return 0 ;;
    esac
  done < "$1/release"
}

# Sets CANAL_JAVA_HOME to a JDK >= 22: JAVA_HOME if it is one, else the newest found in
# CANAL_JDK_DIRS. Returns 1 with a message on stderr naming what was found instead.
canal_find_jdk() {
  local candidate version best="" best_version=0 seen=""
  if [ -n "${JAVA_HOME:-}" ]; then
    version="$(canal_jdk_version "$JAVA_HOME")"
    if [ "${version:-0}" -ge "$CANAL_MIN_JAVA" ]; then
      CANAL_JAVA_HOME="$JAVA_HOME"
      return 0
    fi
    if [ -n "$version" ]; then
      seen=" JAVA_HOME=$JAVA_HOME is JDK $version;"
    else
      seen=" JAVA_HOME=$JAVA_HOME is not a JDK;"
    fi
  fi
  for candidate in $CANAL_JDK_DIRS; do
    for candidate in "$candidate"/*; do
      version="$(canal_jdk_version "$candidate")"
      if [ "${version:-0}" -ge "$CANAL_MIN_JAVA" ] && [ "$version" -gt "$best_version" ]; then
        best="$candidate"
        best_version="$version"
      fi
    done
  done
  if [ -z "$best" ]; then
    echo "canal: no JDK >= $CANAL_MIN_JAVA found.$seen searched $CANAL_JDK_DIRS. Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  CANAL_JAVA_HOME="$best"
}

# canal_launch MAIN_CLASS PROGRAM_NAME ARGS...: exec the JVM on Canal's jar, with the AOT cache
# that `mvn package` built for this exact JDK version when there is one (CANAL_AOT_CACHE names
# it), and the JVM options in the array CANAL_JVM_OPTIONS.
canal_launch() {
  local main="$1" name="$2" home jar release_version="" cache line
  shift 2
  home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  jar="$home/cli/target/canal.jar"
  canal_find_jdk || exit 1
  if [ ! -r "$jar" ]; then
    echo "$name: $jar is not built; run scripts/setup (or mvn package) first." >&2
    exit 1
  fi
  while IFS= read -r line; do
    case "$line" in JAVA_VERSION=*) release_version="${line#JAVA_VERSION=\"}"; release_version="${release_version%\"}" ;; esac
  done < "$CANAL_JAVA_HOME/release"
  cache="$home/cli/target/$CANAL_AOT_CACHE-$release_version.aot"
  local aot=()
  if [ -r "$cache" ] && [ "$cache" -nt "$jar" ]; then
    aot=("-XX:AOTCache=$cache" "-Xlog:aot=error,cds=error")
  fi
  exec "$CANAL_JAVA_HOME/bin/java" "@$home/bin/lib/jvm.options" "${aot[@]}" "${CANAL_JVM_OPTIONS[@]}" -cp "$jar" "$main" "$@"
}
