#include "analysis/mass_summary.h"

#include "analysis/mass_profile.h"
#include "analysis/velocity_dispersion.h"
#include "lensing/lens_model.h"

namespace astrorim::analysis {

double enclosedMassMsun(const lensing::LensModel &model, lensing::Vec2 center, double radius,
                        const LensingDistances &distances)
{
    return criticalDensityMsunPerArcsec2(distances) * enclosedConvergence(model, center, radius);
}

MassSummary summarizeMass(const lensing::LensModel &model, const Cosmology &cosmology, double z_lens,
                          double z_source)
{
    lensing::validate(model);
    MassSummary summary;
    summary.distances = lensingDistances(cosmology, z_lens, z_source);
    summary.center = lensCenter(model);
    summary.sigmaCrit = criticalDensityMsunPerArcsec2(summary.distances);
    summary.thetaEParameter = einsteinRadiusParameter(model);
    summary.einsteinRadius = einsteinRadius(model, summary.center);
    if (summary.einsteinRadius) {
        summary.einsteinMass = enclosedMassMsun(model, summary.center, *summary.einsteinRadius, summary.distances);
        summary.velocityDispersion = velocityDispersionKms(*summary.einsteinRadius, summary.distances);
    }
    if (summary.thetaEParameter)
        summary.velocityDispersionParameter = velocityDispersionKms(*summary.thetaEParameter, summary.distances);
    return summary;
}

} // namespace astrorim::analysis
