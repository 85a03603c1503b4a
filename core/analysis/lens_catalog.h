#pragma once

// Redshifts (and optionally pixel scales) of named lenses from a CSV file:
//
//   lens_name,z_lens,z_source[,pixel_scale_arcsec]
//   # comments and blank lines are allowed anywhere
//   SDSSJ0946+1006,0.222,0.609,0.05
//
// The first line that is neither blank nor a comment is the header and must
// name exactly these columns in this order. Fields are trimmed of spaces; with
// the pixel-scale column present a row may leave it empty.

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace astrorim::analysis {

struct LensMetadata
{
    std::string name;
    double z_lens = 0.0;
    double z_source = 0.0;
    std::optional<double> pixelScale; ///< arcsec per pixel
};

class LensCatalog
{
public:
    /// Reads a catalogue file. Throws astrorim::Error naming the file (and the
    /// line, "file:line: ...") when it cannot be read, the header is wrong, a
    /// column is missing or extra, a number does not parse, a redshift is
    /// negative, z_source ≤ z_lens, a pixel scale is ≤ 0, or a name repeats.
    static LensCatalog readFile(const std::filesystem::path &path);

    /// As readFile, from a stream; `source` names it in messages.
    static LensCatalog parse(std::istream &in, const std::string &source);

    [[nodiscard]] const std::vector<LensMetadata> &entries() const { return m_entries; }

    /// The entry named `name` (exact match), or nullptr.
    [[nodiscard]] const LensMetadata *find(const std::string &name) const;

    /// The entry named `name`; throws astrorim::Error naming the catalogue and the lens when absent.
    [[nodiscard]] const LensMetadata &at(const std::string &name) const;

private:
    std::string m_source;
    std::vector<LensMetadata> m_entries;
};

} // namespace astrorim::analysis
