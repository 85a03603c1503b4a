#pragma once

// Flat ΛCDM cosmologies and their distances, computed as astropy's
// FlatLambdaCDM computes them (astropy.cosmology.flrw, version 5.2):
//
//   E(z)² = Ωm (1+z)³ + Ωγ (1 + f_ν(z)) (1+z)⁴ + ΩΛ,   ΩΛ = 1 − Ωm − Ωγ − Ων,
//
// with the photon density Ωγ from Tcmb0 (Stefan-Boltzmann) and the neutrino
// factor f_ν(z) of Komatsu et al. (2011, eq. 26), which carries massive
// neutrinos from radiation-like to matter-like. Ωm excludes neutrinos, as in
// astropy. Photons and neutrinos move D_A by up to 0.15 % at z = 3, so they are
// kept. Distances are in Mpc, redshifts dimensionless.

#include <string>
#include <vector>

namespace astrorim::analysis {

/// The parameters of a flat ΛCDM universe with astropy's names. The defaults
/// are Planck18's values.
struct CosmologyParams
{
    std::string name = "custom";
    double H0 = 67.66;              ///< Hubble constant, km/s/Mpc
    double Om0 = 0.30966;           ///< matter density today (without neutrinos)
    double Tcmb0 = 2.7255;          ///< CMB temperature today, K; 0 removes photons and neutrinos
    double Neff = 3.046;            ///< effective number of neutrino species
    std::vector<double> m_nu = {0.0, 0.0, 0.06}; ///< neutrino masses, eV (floor(Neff) of them)
};

/// A flat ΛCDM cosmology. Immutable once made; cheap to copy.
class Cosmology
{
public:
    /// Throws astrorim::Error naming the parameter when H0 ≤ 0, Om0 ∉ [0, 1],
    /// Tcmb0 < 0, Neff < 0, a mass < 0, the number of masses differs from
    /// floor(Neff), or the densities leave ΩΛ < 0.
    explicit Cosmology(CosmologyParams params);

    /// astropy.cosmology.Planck15: H0 67.74, Om0 0.3075, Tcmb0 2.7255 K, Neff 3.046, m_nu [0, 0, 0.06] eV.
    static Cosmology planck15();
    /// astropy.cosmology.Planck18: H0 67.66, Om0 0.30966, Tcmb0 2.7255 K, Neff 3.046, m_nu [0, 0, 0.06] eV.
    static Cosmology planck18();
    /// astropy.cosmology.WMAP9: H0 69.32, Om0 0.2865, Tcmb0 2.725 K, Neff 3.04, massless neutrinos.
    static Cosmology wmap9();
    /// H0 and Om0 of the user's choice with Planck18's radiation content (Tcmb0
    /// 2.7255 K, Neff 3.046, one 0.06 eV neutrino), so that switching from a
    /// preset changes only H0 and Om0. (astropy's FlatLambdaCDM(H0, Om0) has
    /// Tcmb0 = 0; construct from CosmologyParams with Tcmb0 = 0 for that.)
    static Cosmology custom(double H0, double Om0);
    /// A preset by name, case-insensitive: "planck15", "planck18" or "wmap9".
    /// Throws astrorim::Error listing the choices for any other name.
    static Cosmology byName(const std::string &name);
    /// The names byName accepts.
    static std::vector<std::string> presetNames();

    [[nodiscard]] const CosmologyParams &params() const { return m_params; }
    [[nodiscard]] double Ogamma0() const { return m_Ogamma0; }
    [[nodiscard]] double Onu0() const { return m_Onu0; }
    [[nodiscard]] double Ode0() const { return m_Ode0; }
    /// c/H0 in Mpc.
    [[nodiscard]] double hubbleDistance() const;

    /// E(z) = H(z)/H0. Throws for z < 0 or NaN.
    [[nodiscard]] double efunc(double z) const;
    /// Line-of-sight comoving distance from 0 to z (Mpc).
    [[nodiscard]] double comovingDistance(double z) const;
    /// Comoving distance between z1 ≤ z2 (Mpc).
    [[nodiscard]] double comovingDistance(double z1, double z2) const;
    /// Angular diameter distance to z (Mpc).
    [[nodiscard]] double angularDiameterDistance(double z) const;
    /// Angular diameter distance from z1 to z2 > z1 (Mpc): (D_C(z2) − D_C(z1))/(1 + z2),
    /// flat universe. Throws astrorim::Error naming z2 when z2 ≤ z1.
    [[nodiscard]] double angularDiameterDistance(double z1, double z2) const;

private:
    [[nodiscard]] double neutrinoRelativeDensity(double z) const;
    [[nodiscard]] double inverseEfunc(double z) const;

    CosmologyParams m_params;
    double m_Ogamma0 = 0.0;
    double m_Onu0 = 0.0;
    double m_Ode0 = 0.0;
    std::vector<double> m_nuY; ///< m_ν c² / (k_B T_ν0) of the massive neutrinos
    int m_masslessNu = 0;
    double m_neffPerNu = 0.0;
};

/// Throws astrorim::Error("<name>: ...") unless z is a finite number ≥ 0.
void requireRedshift(const char *name, double z);

} // namespace astrorim::analysis
