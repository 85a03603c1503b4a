# Prints the reference values hard-coded in tests/test_analysis.cpp. Not part of
# the build: run by hand with Debian 12's python3-astropy 5.2.1 (numpy 1.24.2,
# scipy 1.10.1) as /usr/bin/python3 tests/reference/cosmology_reference.py.
import numpy as np
import astropy
import astropy.units as u
import astropy.constants as const
from astropy.cosmology import Planck15, Planck18, WMAP9, FlatLambdaCDM

# The custom cosmology of core/analysis: H0, Om0 with Planck18's radiation and
# neutrino content (astropy's own FlatLambdaCDM default would be Tcmb0 = 0).
custom = FlatLambdaCDM(H0=70.0, Om0=0.3, Tcmb0=2.7255, Neff=3.046, m_nu=[0.0, 0.0, 0.06] * u.eV)
# A matter + Λ only universe (Tcmb0 = 0: no photons, no neutrinos).
no_radiation = FlatLambdaCDM(H0=70.0, Om0=0.3, Tcmb0=0.0)

redshifts = [0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 6.0]
pairs = [(0.3, 1.0), (0.5, 2.0), (0.2, 3.0), (1.0, 3.0)]

print("astropy", astropy.__version__)
for cosmo in (Planck15, Planck18, WMAP9):
    print(f"// astropy {astropy.__version__} {cosmo.name}: Ogamma0, Onu0, Ode0")
    print(f"{{{cosmo.Ogamma0!r}, {cosmo.Onu0!r}, {cosmo.Ode0!r}}}")
for cosmo, name in [(Planck15, "Planck15"), (Planck18, "Planck18"), (WMAP9, "WMAP9"),
                    (custom, "custom(70, 0.3)"), (no_radiation, "FlatLambdaCDM(70, 0.3, Tcmb0=0)")]:
    print(f"// astropy {astropy.__version__} {name}.angular_diameter_distance(z) [Mpc], z = {redshifts}")
    print("{" + ", ".join(f"{cosmo.angular_diameter_distance(z).to_value(u.Mpc):.10f}" for z in redshifts) + "}")
    print(f"// astropy {astropy.__version__} {name}.comoving_distance(z) [Mpc]")
    print("{" + ", ".join(f"{cosmo.comoving_distance(z).to_value(u.Mpc):.10f}" for z in redshifts) + "}")
    print(f"// astropy {astropy.__version__} {name}.angular_diameter_distance_z1z2(z1, z2) [Mpc], pairs = {pairs}")
    print("{" + ", ".join(f"{cosmo.angular_diameter_distance_z1z2(a, b).to_value(u.Mpc):.10f}" for a, b in pairs) + "}")

# Σ_crit = c²/(4πG) D_s/(D_l D_ls) with astropy's constants and units, in
# M_sun/Mpc² and per arcsec² at the lens (× D_l² per steradian).
for zl, zs in [(0.5, 2.0), (0.3, 1.0)]:
    dl = Planck18.angular_diameter_distance(zl)
    ds = Planck18.angular_diameter_distance(zs)
    dls = Planck18.angular_diameter_distance_z1z2(zl, zs)
    sigma = (const.c ** 2 / (4 * np.pi * const.G) * ds / (dl * dls))
    per_arcsec2 = (sigma * dl ** 2).to(u.M_sun) / (u.rad.to(u.arcsec) ** 2)
    print(f"// Planck18 z_l = {zl}, z_s = {zs}: Sigma_crit [kg/m^2], [M_sun/kpc^2], [M_sun/arcsec^2]")
    print(f"{sigma.to_value(u.kg / u.m**2):.10e}, {sigma.to_value(u.M_sun / u.kpc**2):.10e}, {per_arcsec2.value:.10e}")

# θ_E of an SIS with σ_v = 250 km/s (θ_E = 4π (σ_v/c)² D_ls/D_s), Planck18, z_l = 0.5, z_s = 2.
ratio = Planck18.angular_diameter_distance_z1z2(0.5, 2.0) / Planck18.angular_diameter_distance(2.0)
theta_E = (4 * np.pi * (250 * u.km / u.s / const.c) ** 2 * ratio).decompose().value * u.rad
print(f"// SIS sigma_v = 250 km/s, Planck18 z_l = 0.5, z_s = 2: theta_E [arcsec]")
print(f"{theta_E.to_value(u.arcsec):.10f}")
