#include "analysis/cosmology.h"

#include "analysis/constants.h"
#include "analysis/quadrature.h"
#include "common/error.h"
#include "lensing/validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace astrorim::analysis {

namespace {

using lensing::validation::describe;

// astropy's constants for the neutrino density (flrw/base.py): 7/8 (4/11)^(4/3)
// per species relative to photons, T_ν0/T_cmb0 = (4/11)^(1/3), and the
// Komatsu et al. (2011) fitting constants p and k of f(y) = (1 + (k y)^p)^(1/p).
constexpr double kNeutrinoPerPhoton = 0.22710731766;
constexpr double kNeutrinoTemperatureRatio = 0.7137658555036082;
constexpr double kKomatsuP = 1.83;
constexpr double kKomatsuInvP = 0.54644808743;
constexpr double kKomatsuK = 0.3173;

// Panels per unit of ln(1 + z): 1/E(z)·(1 + z) varies on that scale, and 20
// panels of 10 nodes integrate it to ~1e-15 relative (checked by doubling).
constexpr double kPanelsPerLogUnit = 20.0;

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

void requireParameter(bool ok, const std::string &cosmology, const char *name, double value,
                      const char *rule)
{
    if (!ok)
        fail("cosmology " + cosmology + " " + name, std::string(rule) + ", got " + describe(value));
}

// Ωγ = (4σ/c³) T⁴ / ρ_crit,0 with ρ_crit,0 = 3 H0²/(8πG), as astropy computes it.
double photonDensity(const CosmologyParams &p)
{
    const double h0PerSecond = p.H0 * 1000.0 / constants::kMpc;
    const double criticalDensity =
        3.0 * h0PerSecond * h0PerSecond / (8.0 * std::numbers::pi * constants::kGravitational);
    const double radiationConstant = 4.0 * constants::kStefanBoltzmann
                                     / std::pow(constants::kSpeedOfLight, 3);
    return radiationConstant * std::pow(p.Tcmb0, 4) / criticalDensity;
}

void validateParams(const CosmologyParams &p)
{
    requireParameter(std::isfinite(p.H0) && p.H0 > 0, p.name, "H0", p.H0, "must be a finite number > 0");
    requireParameter(p.Om0 >= 0 && p.Om0 <= 1, p.name, "Om0", p.Om0, "must lie in [0, 1]");
    requireParameter(std::isfinite(p.Tcmb0) && p.Tcmb0 >= 0, p.name, "Tcmb0", p.Tcmb0,
                     "must be a finite number >= 0");
    requireParameter(std::isfinite(p.Neff) && p.Neff >= 0, p.name, "Neff", p.Neff,
                     "must be a finite number >= 0");
    for (double m : p.m_nu)
        requireParameter(std::isfinite(m) && m >= 0, p.name, "m_nu", m, "must be finite masses >= 0 eV");
    const auto species = static_cast<std::size_t>(std::floor(p.Neff));
    if (p.Tcmb0 > 0 && !p.m_nu.empty() && p.m_nu.size() != species)
        fail("cosmology " + p.name + " m_nu",
             "needs floor(Neff) = " + std::to_string(species) + " masses, got "
                 + std::to_string(p.m_nu.size()));
}

} // namespace

void requireRedshift(const char *name, double z)
{
    if (!(std::isfinite(z) && z >= 0))
        fail(name, "must be a finite redshift >= 0, got " + describe(z));
}

Cosmology::Cosmology(CosmologyParams params) : m_params(std::move(params))
{
    validateParams(m_params);
    if (m_params.Tcmb0 > 0) {
        m_Ogamma0 = photonDensity(m_params);
        const int species = static_cast<int>(std::floor(m_params.Neff));
        m_neffPerNu = species > 0 ? m_params.Neff / species : 0.0;
        const double tNu0 = kNeutrinoTemperatureRatio * m_params.Tcmb0;
        for (double m : m_params.m_nu)
            if (m > 0)
                m_nuY.push_back(m / (constants::kBoltzmannEv * tNu0));
        m_masslessNu = species - static_cast<int>(m_nuY.size());
        m_Onu0 = m_Ogamma0 * neutrinoRelativeDensity(0.0);
    }
    m_Ode0 = 1.0 - m_params.Om0 - m_Ogamma0 - m_Onu0;
    if (m_Ode0 < 0)
        fail("cosmology " + m_params.name + " Om0",
             "leaves a negative dark energy density (Om0 + radiation > 1), got " + describe(m_params.Om0));
}

Cosmology Cosmology::planck15()
{
    return Cosmology({"Planck15", 67.74, 0.3075, 2.7255, 3.046, {0.0, 0.0, 0.06}});
}

Cosmology Cosmology::planck18()
{
    return Cosmology({"Planck18", 67.66, 0.30966, 2.7255, 3.046, {0.0, 0.0, 0.06}});
}

Cosmology Cosmology::wmap9()
{
    return Cosmology({"WMAP9", 69.32, 0.2865, 2.725, 3.04, {0.0, 0.0, 0.0}});
}

Cosmology Cosmology::custom(double H0, double Om0)
{
    CosmologyParams p; // Planck18's radiation and neutrino content
    p.name = "custom";
    p.H0 = H0;
    p.Om0 = Om0;
    return Cosmology(std::move(p));
}

std::vector<std::string> Cosmology::presetNames()
{
    return {"planck15", "planck18", "wmap9"};
}

Cosmology Cosmology::byName(const std::string &name)
{
    const std::string key = lower(name);
    if (key == "planck15")
        return planck15();
    if (key == "planck18")
        return planck18();
    if (key == "wmap9")
        return wmap9();
    fail("cosmology '" + name + "'", "unknown; choose planck15, planck18 or wmap9 (or a custom H0 and Om0)");
}

double Cosmology::hubbleDistance() const
{
    return constants::kSpeedOfLightKms / m_params.H0;
}

// f_ν(z) = 7/8 (4/11)^(4/3) N_eff/N Σ_species F(y_i/(1+z)), F = 1 for massless
// species (astropy's nu_relative_density).
double Cosmology::neutrinoRelativeDensity(double z) const
{
    double species = m_masslessNu;
    for (double y : m_nuY)
        species += std::pow(1.0 + std::pow(kKomatsuK * y / (1.0 + z), kKomatsuP), kKomatsuInvP);
    return kNeutrinoPerPhoton * m_neffPerNu * species;
}

double Cosmology::inverseEfunc(double z) const
{
    const double opz = 1.0 + z;
    const double radiation = m_params.Tcmb0 > 0 ? m_Ogamma0 * (1.0 + neutrinoRelativeDensity(z)) : 0.0;
    return 1.0 / std::sqrt(opz * opz * opz * (opz * radiation + m_params.Om0) + m_Ode0);
}

double Cosmology::efunc(double z) const
{
    requireRedshift("z", z);
    return 1.0 / inverseEfunc(z);
}

double Cosmology::comovingDistance(double z) const
{
    return comovingDistance(0.0, z);
}

// ∫ dz/E(z) in u = ln(1 + z), where the integrand (1 + z)/E(z) is smooth and
// slowly varying at every redshift.
double Cosmology::comovingDistance(double z1, double z2) const
{
    requireRedshift("z1", z1);
    requireRedshift("z2", z2);
    const double u1 = std::log1p(z1), u2 = std::log1p(z2);
    const int panels = std::max(1, static_cast<int>(std::ceil(std::abs(u2 - u1) * kPanelsPerLogUnit)));
    const double integral = quadrature::integrate(
        [this](double u) {
            const double z = std::expm1(u);
            return (1.0 + z) * inverseEfunc(z);
        },
        u1, u2, panels);
    return hubbleDistance() * integral;
}

double Cosmology::angularDiameterDistance(double z) const
{
    return comovingDistance(z) / (1.0 + z);
}

double Cosmology::angularDiameterDistance(double z1, double z2) const
{
    requireRedshift("z1", z1);
    requireRedshift("z2", z2);
    if (!(z2 > z1))
        fail("z2", "must be greater than z1 = " + describe(z1) + ", got " + describe(z2));
    return comovingDistance(z1, z2) / (1.0 + z2);
}

} // namespace astrorim::analysis
