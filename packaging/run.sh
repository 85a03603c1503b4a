#!/usr/bin/env bash
# The main job: install what is missing, build, then reconstruct the bundled
# sample lens with the bundled model (6 iterations: the interim model was
# trained with 6, see resources/models/README.md) and say where the outputs are. (The
# desktop application comes with issue 5; until then the main job is the
# headless reconstruction, which is also what it does without a display.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/build.sh"
cli="$root/build/app/astrorim-cli"
sample="$root/resources/sample"
out="$root/out/sample"
# The sample is simulated, hence sky-subtracted already: --sky none.
"$cli" reconstruct "$sample/sample_lens.fits" --metadata "$sample/lenses.csv" --sky none \
    --model "$root/resources/models/default.safetensors" --iterations 6 --output-dir "$out"
echo
echo "Outputs in $out:"
echo "  sample_lens_source.fits    the reconstructed unlensed source"
echo "  sample_lens_forward.fits   the forward model (lensed source + lens light, PSF-convolved)"
echo "  sample_lens_residual.fits  data - forward model;  sample_lens_chi2.fits: chi-squared per pixel"
echo "  sample_lens_parameters.json  lens parameters for lenstronomy, mass analysis, fit quality and flags"
echo "  sample_lens_diagnostic.png   six panels: forward-model check, kappa map with critical curves,"
echo "                               radial and azimuthal kappa, enclosed mass, parameter table"
echo "  summary.csv                one line per input"
echo "Compare with the truth in $sample/sample_lens_truth.json and sample_lens_true_source.fits."
