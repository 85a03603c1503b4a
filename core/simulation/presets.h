#pragma once

#include <array>
#include <string>
#include <vector>

namespace astrorim::simulation {

/// A closed interval to draw uniformly from.
struct Range
{
    double min = 0.0;
    double max = 0.0;
};

/// A class of telescope: pixel scale, PSF, detector and sky.
/// Brightness is in ADU/s per pixel throughout.
struct InstrumentProfile
{
    std::string name;
    double weight = 1.0;                  ///< relative probability within a preset
    Range pixelScale;                     ///< arcsec per pixel
    Range psfFwhm;                        ///< arcsec
    std::array<double, 3> psfTypeWeights; ///< Gaussian, Moffat, Airy
    Range moffatBeta;
    Range exposureTime; ///< s
    Range sky;          ///< ADU/s per pixel
    Range readNoise;    ///< e⁻ rms
    double gain = 1.0;  ///< e⁻ per ADU
};

/// Everything a simulator draws from: the lens population, the sources, the
/// lens light and the instruments. Angles in arcsec; "in θ_E" means in units
/// of the drawn Einstein radius.
struct Preset
{
    std::string name;
    std::string intent;

    // Lens mass: SIE + external shear, always.
    Range thetaE;                 ///< arcsec, also clipped to the field (see below)
    double minThetaEPixels = 2.5; ///< θ_E ≥ this many pixels
    double maxThetaEField = 0.4;  ///< θ_E ≤ this fraction of the field width
    double minAxisRatio = 0.5;    ///< q drawn in [minAxisRatio, 1]
    double maxCentreOffset = 0.1; ///< lens centre within ± this (arcsec) of the image centre
    double maxShear = 0.05;

    // Perturbers, each present with its own probability.
    double nfwProbability = 0.0;
    Range nfwRsInThetaE{2.0, 8.0};
    Range nfwAlphaRsInThetaE{0.05, 0.25};
    Range nfwOffsetInThetaE{0.0, 1.0};
    double sisProbability = 0.0;
    Range sisThetaEInThetaE{0.05, 0.2};
    Range sisOffsetInThetaE{0.8, 1.5};

    // Source: 1-3 elliptical Sérsic components plus star-forming clumps.
    int minSourceComponents = 1;
    int maxSourceComponents = 1;
    Range sourceOffsetInThetaE{0.0, 0.4}; ///< source centre from the lens centre
    Range sourceRSersic{0.08, 0.3};       ///< arcsec, main component
    Range sourceNSersic{0.7, 2.5};
    double sourceMinAxisRatio = 0.5;
    int maxClumps = 0;
    Range clumpSigma{0.01, 0.04};      ///< arcsec
    Range clumpPeakRatio{0.2, 1.0};    ///< clump peak / main component's amp

    // Lens light: Sérsic at the lens centre, aligned with the mass within ±10°.
    Range lensLightRSersicInThetaE{0.5, 1.5};
    Range lensLightNSersic{2.0, 5.0};
    Range lensLightPeakRatio{0.3, 1.0}; ///< lens-light peak / brightest arc pixel

    // Signal: brightest arc pixel in units of the background noise.
    Range peakSnr{20.0, 60.0};

    std::vector<InstrumentProfile> instruments;
};

/// The six named presets, in a fixed order.
const std::vector<Preset> &presets();

/// The preset called `name`; throws astrorim::Error listing the valid names.
const Preset &presetByName(const std::string &name);

/// Markdown parameter table of a preset (for `astrorim-cli presets` and docs/presets.md).
std::string describePreset(const Preset &preset);

} // namespace astrorim::simulation
