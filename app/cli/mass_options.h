#pragma once

// The options reconstruct and analyze share for the mass analysis:
// --cosmology (with --H0/--Om0 for a custom one), --metadata CSV and
// --z-lens/--z-source.

#include "argument_parser.h"

#include "analysis/cosmology.h"
#include "analysis/lens_catalog.h"

#include <optional>
#include <string>

namespace astrorim::cli {

void addMassOptions(ArgumentParser &parser);

/// The chosen cosmology; throws UsageError for an unknown name or custom without --H0/--Om0.
analysis::Cosmology chosenCosmology(const ArgumentParser &parser);

/// Redshifts and pixel scale for lens `name`: --z-lens/--z-source when given (both or neither),
/// else its row of --metadata when there is one. Empty when neither says.
std::optional<analysis::LensMetadata> lensMetadata(const ArgumentParser &parser,
                                                   const std::optional<analysis::LensCatalog> &catalog,
                                                   const std::string &name);

/// The --metadata catalogue, read once (empty without the option).
std::optional<analysis::LensCatalog> readCatalog(const ArgumentParser &parser);

} // namespace astrorim::cli
