#include "analysis/lensing_distances.h"

#include "analysis/constants.h"
#include "common/error.h"
#include "lensing/validation.h"

#include <numbers>

namespace astrorim::analysis {

using lensing::validation::describe;

LensingDistances lensingDistances(const Cosmology &cosmology, double z_lens, double z_source)
{
    requireRedshift("z_lens", z_lens);
    requireRedshift("z_source", z_source);
    if (z_lens == 0.0)
        fail("z_lens", "must be > 0 (a lens at z = 0 has no distance), got 0");
    if (!(z_source > z_lens))
        fail("z_source", "must be greater than z_lens = " + describe(z_lens) + ", got " + describe(z_source));
    return {z_lens, z_source, cosmology.angularDiameterDistance(z_lens),
            cosmology.angularDiameterDistance(z_source),
            cosmology.angularDiameterDistance(z_lens, z_source)};
}

double criticalDensityKgPerM2(const LensingDistances &d)
{
    const double c2Over4PiG = constants::kSpeedOfLight * constants::kSpeedOfLight
                              / (4.0 * std::numbers::pi * constants::kGravitational);
    return c2Over4PiG * d.D_s / (d.D_l * d.D_ls * constants::kMpc);
}

double criticalDensityMsunPerKpc2(const LensingDistances &d)
{
    return criticalDensityKgPerM2(d) * constants::kKpc * constants::kKpc / constants::kSolarMass;
}

double criticalDensityMsunPerArcsec2(const LensingDistances &d)
{
    const double metresPerArcsec = d.D_l * constants::kMpc * constants::kArcsec;
    return criticalDensityKgPerM2(d) * metresPerArcsec * metresPerArcsec / constants::kSolarMass;
}

double kpcPerArcsec(const LensingDistances &d)
{
    return d.D_l * 1000.0 * constants::kArcsec;
}

} // namespace astrorim::analysis
