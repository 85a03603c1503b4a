#pragma once

// Training data read from a folder of FITS pairs instead of simulated on the
// fly: the layout `astrorim-cli simulate` writes, which other simulators can
// write too. For each pair NNNNN:
//   lensed_NNNNN.fits  primary: the sky-subtracted observation; extensions
//                      NOISE (1σ), MODEL (noiseless), LENSLIGHT (noiseless
//                      lens light, PSF-convolved) and PSF (odd, normalized)
//   source_NNNNN.fits  the unlensed source on the same grid
//   lensed_NNNNN.json  the truth in lenstronomy's terms: lens_model_list and
//                      kwargs_lens (SIE, SHEAR, optional NFW and SIS),
//                      kwargs_lens_light (one SERSIC_ELLIPSE), psf.fwhm and
//                      grid.pixel_scale in arcsec.
// All images of a folder share one size; the PSFs share one size.

#include "simulation/simulator.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace astrorim::training {

class FitsDataset
{
public:
    /// Finds the pairs in `folder`, sorted by name. Throws astrorim::Error
    /// naming the folder when it is missing or holds no pair, or naming the
    /// file when a pair lacks its source image or truth.
    explicit FitsDataset(const std::filesystem::path &folder);

    [[nodiscard]] std::int64_t size() const { return static_cast<std::int64_t>(m_stems.size()); }
    [[nodiscard]] const std::filesystem::path &folder() const { return m_folder; }

    /// Reads pairs `indices` as one batch on `device`, in the simulator's
    /// units. Its truth holds what training reads (pixel scale, lens, lens
    /// light, PSF FWHM, perturber presence); the source-light and noise
    /// parameters are left empty. Throws astrorim::Error naming the file for
    /// a missing extension, a wrong or inconsistent size, non-finite pixels
    /// or incomplete truth.
    [[nodiscard]] simulation::SimulatedBatch load(const std::vector<std::int64_t> &indices,
                                                  torch::Device device) const;

private:
    std::filesystem::path m_folder;
    std::vector<std::string> m_stems; ///< "00000", "00001", …
};

} // namespace astrorim::training
