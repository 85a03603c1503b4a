#!/usr/bin/env bash
# Installs what is missing and builds AstroRIM (Release) into ./build.
# Extra arguments go to the CMake configure step.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" > "$root/build-configure.log" 2>&1 \
  || { cat "$root/build-configure.log"; exit 1; }
cmake --build "$root/build" -j "$(nproc)"
