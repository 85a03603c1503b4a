#pragma once
// What the six-panel mass diagnostics of one reconstruction show, computed
// here once so that the GUI and the command-line tool's NAME_diagnostic.png
// draw the same numbers:
//   1. the forward-model check: observation, forward model, residual, χ²;
//   2. the κ map with the Einstein radius and the critical curves;
//   3. the radial κ profile with κ = 1 and θ_E;
//   4. κ around the circle of radius θ_E;
//   5. the enclosed mass M(<r) with the Einstein mass;
//   6. a table of the parameters, derived quantities and quality flags.
// The lens is read back from the exported lenstronomy kwargs, so the panels
// show the lens that NAME_parameters.json states. This header is free of
// LibTorch and Qt: the widgets include it.

#include "analysis/convergence_map.h"
#include "analysis/critical_curves.h"
#include "analysis/mass_profile.h"
#include "lensing/lens_params.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace astrorim::inference {

struct ReconstructionResult;

/// A sample of a curve.
struct CurvePoint
{
    double x = 0, y = 0;
};

/// One line of the parameter table, formatted for display.
struct TableRow
{
    std::string quantity, value, uncertainty, unit;
    bool warning = false; ///< a raised quality flag
};

struct Diagnostics
{
    std::string name;
    /// The cutout's grid, centred on (0, 0): the frame of the exported kwargs.
    analysis::PixelGrid grid;
    /// [height × width] row-major, row 0 at the bottom (FITS order); NaN
    /// where there are no data. Residual and χ² are NaN there too.
    std::vector<float> observation, forward, residual, chi2, source;

    lensing::LensModel lens; ///< as exported (kwargs_lens)
    lensing::Vec2 centre;    ///< the main lens centre, arcsec
    /// The radius of mean κ = 1 about the centre, or, for a sub-critical
    /// lens, the SIE/SIS θ_E parameter (einsteinRadiusFromKappa = false).
    double einsteinRadius = 0;
    bool einsteinRadiusFromKappa = false;

    analysis::GridMap kappa; ///< on `grid`
    std::vector<analysis::CriticalCurve> criticalCurves;

    std::vector<analysis::RadialBin> radialProfile; ///< annuli out to the edge of the cutout
    std::vector<CurvePoint> meanKappaWithin;        ///< (r, mean κ inside r)
    std::vector<analysis::AzimuthalSample> azimuthalProfile; ///< on the circle of einsteinRadius
    std::vector<CurvePoint> enclosedConvergence;   ///< (r, ∫_{<r} κ dA in arcsec²)

    /// NAME_parameters.json as exported; its "mass" object, when present,
    /// sets the physical units of panels 5 and 6.
    nlohmann::ordered_json parameters;
};

/// The diagnostics of `result`, whose export is `parameters`
/// (inference::parametersJson). Throws astrorim::Error naming the result for
/// a lens the exported kwargs cannot describe.
Diagnostics makeDiagnostics(const ReconstructionResult &result, const nlohmann::ordered_json &parameters);

/// Fills the lens panels (centre, Einstein radius, κ map, critical curves,
/// profiles, enclosed convergence) from `d.lens` on `d.grid`. Throws
/// astrorim::Error for a lens without a mass component.
void analyseLens(Diagnostics &d);

/// Σ_crit in M_sun/arcsec² from parameters["mass"], or empty when the
/// redshifts are unknown.
std::optional<double> criticalDensity(const nlohmann::ordered_json &parameters);

/// The table of panel 6 for an exported parameters JSON: the lens, the
/// derived mass quantities when known, the fit and each quality flag.
std::vector<TableRow> parameterTable(const nlohmann::ordered_json &parameters);

} // namespace astrorim::inference
