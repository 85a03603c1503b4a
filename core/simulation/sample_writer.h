#pragma once

#include "simulation/simulator.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>

namespace astrorim::simulation {

/// Writes each system of `batch` as a training pair in `directory`:
///   lensed_NNNNN.fits  primary: noisy observation; extensions NOISE (1σ map),
///                      MODEL (noiseless), LENSLIGHT (noiseless lens light), PSF;
///                      the main truth values as header keywords
///   source_NNNNN.fits  the unlensed source on the same grid
///   lensed_NNNNN.json  the full truth (lenstronomy names) and provenance
/// NNNNN counts from `firstIndex`. Writes the first `count` systems (all when
/// count < 0). Every file is written atomically. Throws astrorim::Error
/// naming the file on failure.
void writePairs(const SimulatedBatch &batch, const SimulationConfig &config,
                const std::filesystem::path &directory, std::int64_t firstIndex, std::int64_t count = -1);

/// The truth of system `index` of `batch` as JSON: lenstronomy model lists
/// and kwargs for lens, source and lens light, PSF, noise, grid and frame.
nlohmann::json truthJson(const SimulatedBatch &batch, const SimulationConfig &config, std::int64_t index);

} // namespace astrorim::simulation
