#!/usr/bin/env bash
# Regenerates bindings/src/main/java/dev/canal/bindings/linux from canal_linux.h and the
# include lists beside this script. Needs a `jextract` on PATH (see README.md here for the
# exact version Canal's committed bindings came from) and a JDK >= 22 to check the output.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="$repo/bindings/src/main/java"
package=dev.canal.bindings.linux

command -v jextract >/dev/null || { echo "generate.sh: no jextract on PATH (see jextract-headers/README.md)" >&2; exit 1; }
version="$(jextract --version 2>&1 | head -n1)"
case "$version" in
  "jextract 22"*|"jextract 23"*|"jextract 24"*|"jextract 25"*) ;;
  *) echo "generate.sh: need jextract 22 or newer, found: $version" >&2; exit 1 ;;
esac
echo "using $version"

rm -rf "$out/${package//.//}"
jextract \
  --output "$out" \
  --target-package "$package" \
  --header-class-name linux_h \
  -D _GNU_SOURCE \
  @"$here/functions.txt" @"$here/constants.txt" @"$here/structs.txt" @"$here/typedefs.txt" \
  "$here/canal_linux.h"

# jextract after January 2025 calls SymbolLookup.findOrThrow, a JDK 23 API; the bindings must
# compile with --release 22, so spell that one call the JDK 22 way.
find "$out" -name '*.java' -exec sed -i \
  's/SYMBOL_LOOKUP\.findOrThrow(\([a-z]*\))/SYMBOL_LOOKUP.find(\1).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + \1))/' {} +

echo "generated $(find "$out/${package//.//}" -name '*.java' | wc -l) files into $out"
