#!/usr/bin/env bash
# The main job: install what is missing, build, then run AstroRIM.
# At this stage of the project the main job is the command-line tool: it
# simulates a set of strong-lens pairs, describes the first one and tiles
# the first eight into a PNG to look at.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/build.sh"
cli="$root/build/app/astrorim-cli"
out="$root/out/simulated"
"$cli" simulate --preset baseline --count 16 --seed 1 --out "$out" --overwrite
"$cli" fits-info "$out/lensed_00000.fits"
"$cli" montage "$out" --count 8
echo
echo "Outputs in $out: lensed_NNNNN.fits, source_NNNNN.fits, lensed_NNNNN.json,"
echo "and montage.png (observation | noiseless model | source of the first 8 pairs)."
