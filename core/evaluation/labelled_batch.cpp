#include "evaluation/labelled_batch.h"

#include <torch/torch.h>

namespace astrorim::evaluation {

LabelledBatch labelBatch(const simulation::SimulatedBatch &b, int gridSize)
{
    const auto &t = b.truth;
    LabelledBatch out;
    out.observation = nn::normalizeObservation(b.observation, b.noiseMap, t.pixelScale, b.psf);
    const auto per = out.observation.dataScale.view({-1, 1, 1});
    out.source = b.source / per;
    out.arcs = b.lensedSource / per;
    out.lensLight = b.lensLight / per;
    out.hasNfw = t.hasNfw;
    out.hasSis = t.hasSis;
    const auto options = t.pixelScale.options();
    out.truth = {t.lens, t.lensLight, t.psfFwhm, t.hasNfw.to(options), t.hasSis.to(options)};
    out.target = nn::encodeParameters(out.truth, t.hasNfw, t.hasSis, t.pixelScale, out.observation.dataScale,
                                      gridSize);
    return out;
}

} // namespace astrorim::evaluation
