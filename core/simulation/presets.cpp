#include "simulation/presets.h"

#include "common/error.h"

#include <iomanip>
#include <sstream>

namespace astrorim::simulation {

namespace {

// Instrument classes. Pixel scales and PSF widths follow the span,
// from space-like (HST/WFC3: 0.04-0.05"/px, FWHM 0.06-0.15") through
// Euclid VIS (0.1"/px, FWHM ~0.17") to ground-like (0.2"/px, seeing 0.5-1.2").
// Gains are those of WFC3/UVIS (1.5), Euclid VIS (3.5) and a typical CCD (2).
InstrumentProfile spaceLike(double weight)
{
    return {"space", weight, {0.04, 0.05}, {0.06, 0.15}, {0.3, 0.3, 0.4}, {2.5, 4.5},
            {1000.0, 3000.0}, {0.02, 0.1}, {3.0, 5.0}, 1.5};
}

InstrumentProfile euclidLike(double weight)
{
    return {"euclid", weight, {0.1, 0.1}, {0.15, 0.25}, {0.4, 0.4, 0.2}, {2.5, 4.5},
            {500.0, 2200.0}, {0.1, 0.3}, {4.0, 5.0}, 3.5};
}

InstrumentProfile groundLike(double weight)
{
    return {"ground", weight, {0.2, 0.2}, {0.5, 1.2}, {0.3, 0.7, 0.0}, {2.5, 4.5},
            {60.0, 900.0}, {5.0, 50.0}, {5.0, 10.0}, 2.0};
}

std::vector<Preset> makePresets()
{
    std::vector<Preset> all;

    Preset baseline;
    baseline.name = "baseline";
    baseline.intent = "Baseline strong arcs: an SIE with mild shear, one smooth Sérsic source inside the "
                      "caustic, faint lens light, a space-like Gaussian PSF and high signal-to-noise.";
    baseline.thetaE = {0.6, 1.4};
    baseline.minAxisRatio = 0.5;
    baseline.maxShear = 0.05;
    baseline.sourceOffsetInThetaE = {0.0, 0.3};
    baseline.lensLightPeakRatio = {0.1, 0.5};
    baseline.peakSnr = {30.0, 80.0};
    baseline.instruments = {spaceLike(1.0)};
    baseline.instruments[0].psfTypeWeights = {1.0, 0.0, 0.0};
    baseline.instruments[0].psfFwhm = {0.08, 0.12};
    all.push_back(baseline);

    Preset rich;
    rich.name = "rich-physics";
    rich.intent = "Richer physics: NFW and SIS perturbers, sources of up to three Sérsic components with "
                  "star-forming clumps, brighter lens light, Gaussian and Moffat PSFs.";
    rich.thetaE = {0.5, 1.6};
    rich.minAxisRatio = 0.4;
    rich.maxShear = 0.1;
    rich.nfwProbability = 0.3;
    rich.sisProbability = 0.3;
    rich.maxSourceComponents = 3;
    rich.maxClumps = 5;
    rich.sourceOffsetInThetaE = {0.0, 0.5};
    rich.lensLightPeakRatio = {0.5, 3.0};
    rich.peakSnr = {15.0, 60.0};
    rich.instruments = {spaceLike(1.0)};
    rich.instruments[0].psfTypeWeights = {0.5, 0.5, 0.0};
    all.push_back(rich);

    Preset multi;
    multi.name = "multi-instrument";
    multi.intent = "Several instruments: space-like, Euclid-like and ground-like pixel scales, PSFs and "
                   "noise in equal parts, with the baseline lens and source population.";
    multi.thetaE = {0.5, 2.0};
    multi.minAxisRatio = 0.5;
    multi.maxShear = 0.08;
    multi.maxSourceComponents = 2;
    multi.maxClumps = 2;
    multi.sourceOffsetInThetaE = {0.0, 0.5};
    multi.lensLightPeakRatio = {0.3, 2.0};
    multi.peakSnr = {10.0, 60.0};
    multi.instruments = {spaceLike(1.0), euclidLike(1.0), groundLike(1.0)};
    all.push_back(multi);

    Preset wide;
    wide.name = "wide-parameter";
    wide.intent = "Wider parameter space: the full θ_E range 0.3-2.0\", axis ratios down to 0.3, shear "
                  "up to 0.15, perturbers, compact to extended sources with indices 0.5-6, all PSF types.";
    wide.thetaE = {0.3, 2.0};
    wide.minAxisRatio = 0.3;
    wide.maxShear = 0.15;
    wide.maxCentreOffset = 0.2;
    wide.nfwProbability = 0.2;
    wide.sisProbability = 0.2;
    wide.maxSourceComponents = 3;
    wide.maxClumps = 4;
    wide.sourceOffsetInThetaE = {0.0, 1.0};
    wide.sourceRSersic = {0.03, 0.6};
    wide.sourceNSersic = {0.5, 6.0};
    wide.sourceMinAxisRatio = 0.3;
    wide.lensLightPeakRatio = {0.1, 5.0};
    wide.peakSnr = {5.0, 100.0};
    wide.instruments = {spaceLike(1.0), euclidLike(1.0), groundLike(1.0)};
    all.push_back(wide);

    Preset weak;
    weak.name = "weak-lensing";
    weak.intent = "Weak-lensing emphasis: small Einstein radii next to the PSF and sources outside the "
                  "caustic, so most images are single, mildly sheared and magnified, at low signal-to-noise.";
    weak.thetaE = {0.3, 0.9};
    weak.minThetaEPixels = 1.5;
    weak.minAxisRatio = 0.5;
    weak.maxShear = 0.15;
    weak.sisProbability = 0.1;
    weak.maxSourceComponents = 2;
    weak.maxClumps = 2;
    weak.sourceOffsetInThetaE = {0.8, 2.0};
    weak.lensLightPeakRatio = {0.3, 2.0};
    weak.peakSnr = {5.0, 30.0};
    weak.instruments = {spaceLike(0.3), euclidLike(0.4), groundLike(0.3)};
    all.push_back(weak);

    Preset real;
    real.name = "max-realism";
    real.intent = "Maximum realism: everything at once - perturbers, clumpy multi-component sources, "
                  "bright lens light, Moffat and Airy PSFs, realistic sky and read noise, the instrument "
                  "mix of current surveys.";
    real.thetaE = {0.3, 2.0};
    real.minAxisRatio = 0.3;
    real.maxShear = 0.15;
    real.maxCentreOffset = 0.2;
    real.nfwProbability = 0.4;
    real.sisProbability = 0.3;
    real.maxSourceComponents = 3;
    real.maxClumps = 8;
    real.sourceOffsetInThetaE = {0.0, 1.2};
    real.sourceRSersic = {0.05, 0.5};
    real.sourceNSersic = {0.5, 4.0};
    real.sourceMinAxisRatio = 0.3;
    real.lensLightPeakRatio = {1.0, 10.0};
    real.peakSnr = {5.0, 80.0};
    real.instruments = {spaceLike(0.4), euclidLike(0.4), groundLike(0.2)};
    all.push_back(real);

    return all;
}

std::string range(const Range &r, const char *unit = "")
{
    std::ostringstream os;
    if (r.min == r.max)
        os << r.min << unit;
    else
        os << r.min << "–" << r.max << unit;
    return os.str();
}

} // namespace

const std::vector<Preset> &presets()
{
    static const std::vector<Preset> all = makePresets();
    return all;
}

const Preset &presetByName(const std::string &name)
{
    std::string names;
    for (const auto &p : presets()) {
        if (p.name == name)
            return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    fail("preset '" + name + "'", "unknown; choose one of " + names);
}

std::string describePreset(const Preset &p)
{
    std::ostringstream os;
    os << "### " << p.name << "\n\n" << p.intent << "\n\n";
    os << "| parameter | range |\n|---|---|\n";
    os << "| θ_E (SIE) | " << range(p.thetaE, "″") << ", at least " << p.minThetaEPixels
       << " px and at most " << p.maxThetaEField << " of the field |\n";
    os << "| SIE axis ratio q | " << p.minAxisRatio << "–1 (ellipticity up to "
       << std::setprecision(3) << (1 - p.minAxisRatio) / (1 + p.minAxisRatio) << std::setprecision(6)
       << "), any angle |\n";
    os << "| lens centre | within ±" << p.maxCentreOffset << "″ of the image centre |\n";
    os << "| external shear γ | 0–" << p.maxShear << ", any angle |\n";
    os << "| NFW perturber | ";
    if (p.nfwProbability > 0)
        os << "probability " << p.nfwProbability << "; Rs " << range(p.nfwRsInThetaE) << " θ_E, alpha_Rs "
           << range(p.nfwAlphaRsInThetaE) << " θ_E, offset " << range(p.nfwOffsetInThetaE) << " θ_E |\n";
    else
        os << "none |\n";
    os << "| SIS perturber | ";
    if (p.sisProbability > 0)
        os << "probability " << p.sisProbability << "; θ_E " << range(p.sisThetaEInThetaE) << " θ_E, offset "
           << range(p.sisOffsetInThetaE) << " θ_E |\n";
    else
        os << "none |\n";
    os << "| source Sérsic components | " << range({double(p.minSourceComponents), double(p.maxSourceComponents)})
       << "; main R_sersic " << range(p.sourceRSersic, "″") << ", n " << range(p.sourceNSersic)
       << ", q ≥ " << p.sourceMinAxisRatio << "; others 0.3–1 × its size, 0.2–1 × its amp |\n";
    os << "| source position | " << range(p.sourceOffsetInThetaE) << " θ_E from the lens centre |\n";
    os << "| star-forming clumps | ";
    if (p.maxClumps > 0)
        os << "0–" << p.maxClumps << ", σ " << range(p.clumpSigma, "″") << ", peak " << range(p.clumpPeakRatio)
           << " × main amp |\n";
    else
        os << "none |\n";
    os << "| lens light | Sérsic R " << range(p.lensLightRSersicInThetaE) << " θ_E, n "
       << range(p.lensLightNSersic) << ", peak " << range(p.lensLightPeakRatio) << " × brightest arc pixel |\n";
    os << "| brightest arc pixel | " << range(p.peakSnr) << " × background σ |\n";
    for (const auto &in : p.instruments) {
        os << "| instrument `" << in.name << "` (weight " << in.weight << ") | " << range(in.pixelScale, "″/px")
           << ", PSF FWHM " << range(in.psfFwhm, "″") << " (Gaussian/Moffat/Airy weights "
           << in.psfTypeWeights[0] << "/" << in.psfTypeWeights[1] << "/" << in.psfTypeWeights[2]
           << ", Moffat β " << range(in.moffatBeta) << "), exposure " << range(in.exposureTime, " s")
           << ", sky " << range(in.sky, " ADU/s/px") << ", read noise " << range(in.readNoise, " e⁻")
           << ", gain " << in.gain << " e⁻/ADU |\n";
    }
    return os.str();
}

} // namespace astrorim::simulation
