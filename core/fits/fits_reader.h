#pragma once

#include "fits/fits_header.h"
#include "fits/fits_image.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

// CFITSIO is built reentrant (fits_is_reentrant() is 1 on Debian), and every
// call below opens its own handle: different threads may read at the same time.

namespace astrorim::fits {

/// The most pixels readImage reads from one HDU: 400 million, 1.6 GB as
/// float32 (and twice that once an observation holds it as float64). A
/// Euclid MER tile (19,200 x 19,200 = 369 million) still fits. Larger
/// images, and headers that declare absurd sizes in tiny (gzip- or
/// tile-compressed) files, are refused before any pixel memory is allocated.
inline constexpr long long kMaxImagePixels = 400'000'000;

enum class HduType
{
    Image,
    BinaryTable,
    AsciiTable,
};

/// "image", "binary table" or "ascii table".
std::string toString(HduType type);

/// What one HDU of a file holds, as listed by listHdus().
struct HduInfo
{
    int index = 0;          ///< 0-based; 0 is the primary HDU
    std::string extname;    ///< EXTNAME, empty if none
    HduType type = HduType::Image;
    int bitpix = 0;         ///< BITPIX of the image (of the uncompressed image for tile-compressed HDUs); 8 for tables
    std::vector<long> dims; ///< images: NAXIS1, NAXIS2, ...; tables: {columns, rows}
    bool tileCompressed = false;

    /// An image whose first two axes are non-empty and any further axes have
    /// length 1 (a 100×100×1 cube counts): what readImage accepts.
    [[nodiscard]] bool isImage2D() const;
    /// Image with no pixels (NAXIS = 0, as in an empty primary).
    [[nodiscard]] bool isEmpty() const;
    /// "100 x 100", "no data", "3 columns x 20 rows".
    [[nodiscard]] std::string shape() const;
};

/// Which HDU to read: by 0-based index, by EXTNAME (compared case-insensitively),
/// or neither, which picks the default image (see readImage).
struct HduSelector
{
    std::optional<int> index;
    std::string name;

    [[nodiscard]] bool isDefault() const { return !index && name.empty(); }
    /// "HDU 2", "HDU 'VIS_FLUX'" or "the default image HDU", for messages.
    [[nodiscard]] std::string describe() const;
};

/// "2" → index 2, "VIS_FLUX" → name, "" → default. Throws Error for a
/// negative index or an index too large for an int.
HduSelector parseHduSelector(const std::string &text);

/// The HDU readImage picks by default among `hdus` (as listHdus returns
/// them): the primary if it holds data, else the first 2-D image extension
/// named SCI or ending in FLUX or BGSUB, else the first 2-D image extension.
/// nullopt when there is none.
std::optional<int> defaultImageHdu(const std::vector<HduInfo> &hdus);

/// Every HDU of `path`, in file order. Throws Error naming the file for a
/// missing, empty, non-FITS or damaged file.
std::vector<HduInfo> listHdus(const std::filesystem::path &path);

/// Reads one 2-D image as float32 with BSCALE/BZERO applied, BLANK and
/// non-finite pixels as NaN, and the HDU's header (typed cards plus raw text).
/// Rows are in file order: pixels[row * width + col], row 0 first in the file.
///
/// The default selector picks the primary HDU if it holds data; otherwise
/// (empty primary, NAXIS = 0) the first 2-D image extension whose EXTNAME is
/// SCI or ends with FLUX or BGSUB (so _FLUX and _BGSUB too), else the first
/// 2-D image extension. gzip-compressed files and tile-compressed (.fz) HDUs
/// are read through CFITSIO.
///
/// Throws astrorim::Error naming the file (and HDU) and the reason: missing,
/// empty, truncated or non-FITS file; an HDU index out of range; an EXTNAME
/// that is not there (the message lists those that are); a table, 1-D array,
/// empty HDU or cube with NAXIS3 > 1 where an image was asked for; an image
/// of more than kMaxImagePixels pixels.
FitsImage readImage(const std::filesystem::path &path, const HduSelector &selector = {});

/// The headers of every HDU of `path`, in file order (one open of the file;
/// for tile-compressed HDUs the image's header, refused above kMaxImagePixels:
/// CFITSIO rebuilds it in memory the size of the image). Throws as listHdus.
std::vector<FitsHeader> readAllHeaders(const std::filesystem::path &path);

/// The header of the selected HDU (same selection rules as readImage, but any
/// HDU type may be chosen by index or name). Reads no pixels. Throws as readImage.
FitsHeader readHeader(const std::filesystem::path &path, const HduSelector &selector = {});

} // namespace astrorim::fits
