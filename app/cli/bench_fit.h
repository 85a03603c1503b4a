#pragma once

#include "argument_parser.h"

namespace astrorim::cli {

/// `bench fit`: milliseconds per stage of the fit on held-out lenses of one preset.
int benchFit(const ArgumentParser &parser);

} // namespace astrorim::cli
