#!/usr/bin/env bash
# The main job: install what is missing, build, then open the bundled sample
# lens in the desktop application and reconstruct it with the bundled model.
# Without a display it runs the fit headless (the estimator's first guess, the
# source-plane inversion and the lens optimization) and says where the
# outputs are.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/build.sh"
sample="$root/resources/sample"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$root/build/app/astrorim" ]; then
  exec "$root/build/app/astrorim" "$sample/sample_lens.fits" --reconstruct \
      --model "$root/resources/models/default.safetensors"
fi
cli="$root/build/app/astrorim-cli"
out="$root/out/sample"
# The sample is simulated, hence sky-subtracted already: --sky none.
"$cli" reconstruct "$sample/sample_lens.fits" --metadata "$sample/lenses.csv" --sky none \
    --model "$root/resources/models/default.safetensors" --output-dir "$out"
echo
echo "Outputs in $out:"
echo "  sample_lens_source.fits    the reconstructed unlensed source on its source-plane grid (WCS: unlensed sky)"
echo "  sample_lens_source_sigma.fits  its 1-sigma per source pixel"
echo "  sample_lens_forward.fits   the forward model (lensed source + lens light, PSF-convolved)"
echo "  sample_lens_residual.fits  data - forward model;  sample_lens_chi2.fits: chi-squared per pixel"
echo "  sample_lens_parameters.json  lens parameters for lenstronomy, mass analysis, fit quality and flags"
echo "  sample_lens_diagnostic.png   six panels: forward-model check, kappa map with critical curves,"
echo "                               radial and azimuthal kappa, enclosed mass, parameter table"
echo "  summary.csv                one line per input"
echo "Compare with the truth in $sample/sample_lens_truth.json and sample_lens_true_source.fits."
