#include "mass_options.h"

#include "common/error.h"

namespace astrorim::cli {

void addMassOptions(ArgumentParser &parser)
{
    parser.addOption("cosmology", "planck18|planck15|wmap9|custom", "cosmology of the mass analysis", "planck18");
    parser.addOption("H0", "KM/S/MPC", "Hubble constant of --cosmology custom");
    parser.addOption("Om0", "OMEGA_M", "matter density of --cosmology custom");
    parser.addOption("metadata", "CSV", "lens redshifts: lens_name,z_lens,z_source[,pixel_scale_arcsec]");
    parser.addOption("z-lens", "Z", "lens redshift (with --z-source)");
    parser.addOption("z-source", "Z", "source redshift (with --z-lens)");
}

analysis::Cosmology chosenCosmology(const ArgumentParser &parser)
{
    const std::string name = parser.value("cosmology");
    if (name == "custom") {
        if (!parser.isSet("H0") || !parser.isSet("Om0"))
            throw UsageError{"--cosmology custom needs --H0 and --Om0"};
        return analysis::Cosmology::custom(parser.number("H0", 1, 1000), parser.number("Om0", 0, 1));
    }
    try {
        return analysis::Cosmology::byName(name);
    } catch (const Error &e) {
        throw UsageError{e.what()};
    }
}

std::optional<analysis::LensCatalog> readCatalog(const ArgumentParser &parser)
{
    if (!parser.isSet("metadata"))
        return std::nullopt;
    return analysis::LensCatalog::readFile(parser.value("metadata"));
}

std::optional<analysis::LensMetadata> lensMetadata(const ArgumentParser &parser,
                                                   const std::optional<analysis::LensCatalog> &catalog,
                                                   const std::string &name)
{
    if (parser.isSet("z-lens") != parser.isSet("z-source"))
        throw UsageError{"--z-lens and --z-source go together"};
    if (parser.isSet("z-lens"))
        return analysis::LensMetadata{name, parser.number("z-lens", 0, 20), parser.number("z-source", 0, 20), {}};
    if (catalog)
        if (const auto *entry = catalog->find(name))
            return *entry;
    return std::nullopt;
}

} // namespace astrorim::cli
