#include "fits/fits_reader.h"

#include "common/error.h"
#include "fits/fits_file.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

namespace astrorim::fits {

namespace {

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string hduSubject(const std::string &file, const HduInfo &info)
{
    std::string s = file + ", HDU " + std::to_string(info.index);
    if (!info.extname.empty())
        s += " (" + info.extname + ")";
    return s;
}

std::string joinDims(const std::vector<long> &dims)
{
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? " x " : "") + std::to_string(dims[i]);
    return s;
}

// Describes the HDU CFITSIO is positioned on.
HduInfo describeCurrent(const FitsFile &file, int index)
{
    fitsfile *f = file.get();
    HduInfo info;
    info.index = index;
    const std::string subject = file.name() + ", HDU " + std::to_string(index);

    int status = 0;
    int type = 0;
    fits_get_hdu_type(f, &type, &status);
    file.check(status, "cannot read the HDU type", subject);

    char extname[FLEN_VALUE] = {};
    fits_read_key(f, TSTRING, "EXTNAME", extname, nullptr, &status);
    if (status == KEY_NO_EXIST) {
        status = 0;
        fits_clear_errmsg();
    }
    file.check(status, "cannot read EXTNAME", subject);
    info.extname = extname;

    if (type == IMAGE_HDU) {
        info.type = HduType::Image;
        int naxis = 0;
        fits_get_img_dim(f, &naxis, &status);
        file.check(status, "cannot read NAXIS", subject);
        std::vector<LONGLONG> dims(static_cast<std::size_t>(std::max(naxis, 1)), 0);
        fits_get_img_paramll(f, naxis, &info.bitpix, &naxis, dims.data(), &status);
        file.check(status, "cannot read the image size", subject);
        for (int i = 0; i < naxis; ++i)
            info.dims.push_back(static_cast<long>(dims[static_cast<std::size_t>(i)]));
        info.tileCompressed = fits_is_compressed_image(f, &status) != 0;
    } else {
        info.type = type == BINARY_TBL ? HduType::BinaryTable : HduType::AsciiTable;
        info.bitpix = 8;
        int columns = 0;
        LONGLONG rows = 0;
        fits_get_num_cols(f, &columns, &status);
        fits_get_num_rowsll(f, &rows, &status);
        file.check(status, "cannot read the table size", subject);
        info.dims = {static_cast<long>(columns), static_cast<long>(rows)};
    }
    return info;
}

// True when the bytes at `offset` of a plain file begin an extension header.
bool extensionAt(const FitsFile &file, LONGLONG offset)
{
    std::ifstream in(file.name(), std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    char key[9] = {};
    in.read(key, 8);
    return in.gcount() == 8 && std::string(key) == "XTENSION";
}

std::string trimmed(const std::string &text)
{
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

bool isPositiveInteger(const std::string &value)
{
    if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), [](unsigned char c) {
            return std::isdigit(c) != 0;
        }))
        return false;
    return std::stol(value) > 0;
}

// CFITSIO divides by the tile sizes ZTILEn (ZNAXISn where ZTILEn is
// absent), and by a Rice BLOCKSIZE or BYTEPIX given as ZNAMEn / ZVALn, while
// it moves to a tile-compressed HDU, before any check of ours could run: a 0
// there raises SIGFPE inside the library. The header of HDU `index`, at byte
// `offset`, is read first and such values are refused. Only plain positive
// integers pass, which is what every compressing writer puts there.
void checkTileParameters(const FitsFile &file, LONGLONG offset, int index)
{
    constexpr std::size_t kMaxCards = 100'000;
    const std::string cards = file.headerCardsAt(offset, kMaxCards);
    std::map<std::string, std::string> values; // keyword → value field, comment cut off
    for (std::size_t at = 0; at + 80 <= cards.size(); at += 80) {
        if (cards.compare(at + 8, 2, "= ") != 0)
            continue;
        std::string value = trimmed(cards.substr(at + 10, 70));
        if (value.rfind('\'', 0) == 0) { // a string: up to its closing quote ('' is a quote inside)
            std::size_t close = 1;
            while ((close = value.find('\'', close)) != std::string::npos && value.compare(close, 2, "''") == 0)
                close += 2;
            value = value.substr(0, close == std::string::npos ? value.size() : close + 1);
        } else {
            value = value.substr(0, value.find('/'));
        }
        values[upper(trimmed(cards.substr(at, 8)))] = trimmed(value);
    }
    const auto zimage = values.find("ZIMAGE");
    if (zimage == values.end() || zimage->second.rfind('T', 0) != 0)
        return;
    const std::string subject = file.name() + ", HDU " + std::to_string(index);
    for (const auto &[key, value] : values) {
        if (key.rfind("ZTILE", 0) == 0 && !isPositiveInteger(value))
            fail(subject, "tile-compressed image with " + key + " = " + value + " (a tile size must be a positive integer)");
        // A missing ZTILEn defaults to the axis length ZNAXISn (row by row).
        if (key.size() > 6 && key.rfind("ZNAXIS", 0) == 0 && !isPositiveInteger(value))
            fail(subject, "tile-compressed image with " + key + " = " + value + " (an axis length must be a positive integer)");
        if (key.rfind("ZNAME", 0) != 0)
            continue;
        std::string name = upper(value);
        name.erase(std::remove(name.begin(), name.end(), '\''), name.end());
        name = trimmed(name);
        if (name != "BLOCKSIZE" && name != "BYTEPIX")
            continue;
        const std::string valueKey = "ZVAL" + key.substr(5);
        const auto parameter = values.find(valueKey);
        if (parameter != values.end() && !isPositiveInteger(parameter->second))
            fail(subject, "tile-compressed image with " + name + " (" + valueKey + ") = " + parameter->second +
                              " (it must be a positive integer)");
    }
}

std::vector<HduInfo> scan(const FitsFile &file)
{
    std::vector<HduInfo> hdus;
    LONGLONG nextHeader = 0; // where the HDU after the last one read would begin
    for (int number = 1;; ++number) {
        int status = 0;
        int type = 0;
        if (number > 1)
            checkTileParameters(file, nextHeader, number - 1);
        fits_movabs_hdu(file.get(), number, &type, &status);
        if (status == END_OF_FILE && number > 1) {
            fits_clear_errmsg();
            break;
        }
        // Bytes after the last HDU that are no extension (zeros, text some
        // writers append) are ignored, as astropy does: the HDUs before them
        // are intact. A damaged extension header still fails.
        if (status != 0 && number > 1 && file.isPlain() && !extensionAt(file, nextHeader)) {
            fits_clear_errmsg();
            break;
        }
        file.check(status, "cannot read the header of HDU " + std::to_string(number - 1));
        hdus.push_back(describeCurrent(file, number - 1));
        LONGLONG headStart = 0, dataStart = 0;
        fits_get_hduaddrll(file.get(), &headStart, &dataStart, &nextHeader, &status);
        file.check(status, "cannot locate the HDU", hduSubject(file.name(), hdus.back()));
    }
    return hdus;
}

void moveTo(const FitsFile &file, const HduInfo &info)
{
    int status = 0;
    int type = 0;
    fits_movabs_hdu(file.get(), info.index + 1, &type, &status);
    file.check(status, "cannot move to the HDU", hduSubject(file.name(), info));
}

bool preferredName(const std::string &extname)
{
    const std::string n = upper(extname);
    return n == "SCI" || endsWith(n, "FLUX") || endsWith(n, "BGSUB");
}

std::string summary(const std::vector<HduInfo> &hdus)
{
    std::string s;
    for (const auto &h : hdus) {
        s += (s.empty() ? "" : ", ") + std::string("HDU ") + std::to_string(h.index);
        if (!h.extname.empty())
            s += " (" + h.extname + ")";
        s += h.isEmpty() ? " is empty" : " is a " + toString(h.type) + " of " + h.shape();
    }
    return s;
}

const HduInfo &selectDefaultImage(const FitsFile &file, const std::vector<HduInfo> &hdus)
{
    const auto index = defaultImageHdu(hdus);
    if (!index)
        fail(file.name(), "no 2-D image in the file: " + summary(hdus));
    return hdus[static_cast<std::size_t>(*index)];
}

const HduInfo &select(const FitsFile &file, const std::vector<HduInfo> &hdus, const HduSelector &selector)
{
    if (selector.index) {
        const int i = *selector.index;
        const int n = static_cast<int>(hdus.size());
        if (i < 0 || i >= n)
            fail(file.name(), "HDU index " + std::to_string(i) + " is out of range: the file has "
                                  + std::to_string(n) + (n == 1 ? " HDU (index 0)" : " HDUs (0 to " + std::to_string(n - 1) + ")"));
        return hdus[static_cast<std::size_t>(i)];
    }
    if (!selector.name.empty()) {
        const std::string wanted = upper(selector.name);
        std::string names;
        for (const auto &h : hdus) {
            if (upper(h.extname) == wanted)
                return h;
            if (!h.extname.empty())
                names += (names.empty() ? "" : ", ") + h.extname;
        }
        if (names.empty())
            fail(file.name(), "no HDU named '" + selector.name + "': no HDU in the file has an EXTNAME (select by index 0 to "
                                  + std::to_string(hdus.size() - 1) + ")");
        fail(file.name(), "no HDU named '" + selector.name + "'; the EXTNAMEs in the file are: " + names);
    }
    return selectDefaultImage(file, hdus);
}

void requireImage2D(const std::string &subject, const HduInfo &info, const std::vector<HduInfo> &hdus)
{
    if (info.type != HduType::Image)
        fail(subject, "is a " + toString(info.type) + ", not an image");
    if (info.isEmpty()) {
        std::string images;
        for (const auto &h : hdus)
            if (h.isImage2D())
                images += (images.empty() ? "" : ", ") + std::to_string(h.index)
                          + (h.extname.empty() ? "" : " (" + h.extname + ")");
        fail(subject, "holds no image data (NAXIS = 0)"
                          + (images.empty() ? std::string() : "; images are in HDU " + images));
    }
    if (info.dims.size() == 1)
        fail(subject, "is a 1-D array of " + std::to_string(info.dims[0]) + " values, not a 2-D image");
    if (!info.isImage2D())
        fail(subject, "is a " + std::to_string(info.dims.size()) + "-D cube (" + joinDims(info.dims)
                          + "), not a 2-D image (a cube is read only when the axes beyond the second have length 1)");
}

// Refused before allocating: a 5-kB gzip file may declare 10^12 pixels, and
// NAXIS1 x NAXIS2 may not even fit in 64 bits (hence the product in double).
void checkSize(const HduInfo &info, const std::string &subject)
{
    double pixels = 1;
    for (long d : info.dims)
        pixels *= static_cast<double>(d);
    if (pixels > static_cast<double>(kMaxImagePixels))
        fail(subject, "the image is too large: " + joinDims(info.dims) + " pixels, more than the "
                          + std::to_string(kMaxImagePixels / 1'000'000) + " million pixels AstroRIM reads from one HDU "
                          "(a damaged header, or an image to cut down first)");
}

// A header may promise more data than the file holds; say so plainly instead
// of CFITSIO's "error reading from FITS file". Only plain files can be checked
// this way: gzip sizes and tile-compressed heaps say nothing about the pixels.
void checkDataPresent(const FitsFile &file, const HduInfo &info, const std::string &subject)
{
    if (!file.isPlain() || info.tileCompressed)
        return;
    LONGLONG headStart = 0, dataStart = 0, dataEnd = 0;
    int status = 0;
    fits_get_hduaddrll(file.get(), &headStart, &dataStart, &dataEnd, &status);
    file.check(status, "cannot locate the data", subject);
    double bytes = std::abs(info.bitpix) / 8.0;
    for (long d : info.dims)
        bytes *= static_cast<double>(d);
    const double end = static_cast<double>(dataStart) + bytes;
    if (end > static_cast<double>(file.sizeOnDisk()))
        fail(subject, "the file is truncated: the header declares " + joinDims(info.dims) + " pixels of BITPIX "
                          + std::to_string(info.bitpix) + " (" + std::to_string(static_cast<long long>(bytes))
                          + " bytes from byte " + std::to_string(dataStart) + ") but the file has only "
                          + std::to_string(file.sizeOnDisk()) + " bytes");
    // CFITSIO reads whole 2880-byte blocks, so even complete pixels fail to
    // read when the padding of the last block is missing.
    const double paddedEnd = std::ceil(end / 2880.0) * 2880.0;
    if (paddedEnd > static_cast<double>(file.sizeOnDisk()))
        fail(subject, "the file is truncated: its last 2880-byte FITS block is incomplete (the file has "
                          + std::to_string(file.sizeOnDisk()) + " bytes, FITS needs "
                          + std::to_string(static_cast<long long>(paddedEnd))
                          + "; it was cut short or written without the final padding)");
}

FitsHeader readCurrentHeader(const FitsFile &file, const HduInfo &info, const std::string &subject)
{
    char *text = nullptr;
    int keys = 0;
    int status = 0;
    // For a tile-compressed HDU the header to parse is the image's, not the
    // binary table's that holds it; fits_convert_hdr2str rebuilds it, in a
    // memory file as large as the uncompressed image (measured: 450 MB for
    // 15000 x 15000 int16), so a declared size above the limit is refused first.
    if (info.tileCompressed) {
        checkSize(info, subject);
        fits_convert_hdr2str(file.get(), 0, nullptr, 0, &text, &keys, &status);
    } else {
        fits_hdr2str(file.get(), 0, nullptr, 0, &text, &keys, &status);
    }
    std::string raw;
    if (status == 0 && text)
        raw.assign(text, static_cast<std::size_t>(keys) * 80);
    if (text) {
        int ignored = 0;
        fits_free_memory(text, &ignored);
    }
    file.check(status, "cannot read the header", subject);
    return FitsHeader::parse(std::move(raw));
}

std::vector<float> readPixels(const FitsFile &file, const HduInfo &info, const std::string &subject)
{
    const long width = info.dims[0];
    const long height = info.dims[1];
    std::vector<float> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    // Read in bands of rows so the null flags stay small for large images.
    const long rowsPerChunk = std::max(1L, (1L << 20) / width);
    std::vector<char> nulls(static_cast<std::size_t>(std::min(height, rowsPerChunk) * width));
    std::vector<LONGLONG> first(info.dims.size(), 1);
    for (long row = 0; row < height; row += rowsPerChunk) {
        const long rows = std::min(rowsPerChunk, height - row);
        const LONGLONG count = static_cast<LONGLONG>(rows) * width;
        first[1] = row + 1;
        float *out = pixels.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(width);
        int anyNull = 0;
        int status = 0;
        // CFITSIO applies BSCALE/BZERO and flags BLANK (integers) and NaN (floats).
        fits_read_pixnullll(file.get(), TFLOAT, first.data(), count, out, nulls.data(), &anyNull, &status);
        file.check(status, info.tileCompressed ? "cannot decompress the pixels (the tile-compressed data is damaged)"
                                               : "cannot read the pixels",
                   subject);
        if (anyNull)
            for (LONGLONG i = 0; i < count; ++i)
                if (nulls[static_cast<std::size_t>(i)])
                    out[i] = std::numeric_limits<float>::quiet_NaN();
    }
    for (float &p : pixels)
        if (!std::isfinite(p))
            p = std::numeric_limits<float>::quiet_NaN();
    return pixels;
}

} // namespace

std::string toString(HduType type)
{
    switch (type) {
    case HduType::Image:
        return "image";
    case HduType::BinaryTable:
        return "binary table";
    case HduType::AsciiTable:
        return "ascii table";
    }
    return "unknown";
}

bool HduInfo::isImage2D() const
{
    if (type != HduType::Image || dims.size() < 2 || dims[0] <= 0 || dims[1] <= 0)
        return false;
    return std::all_of(dims.begin() + 2, dims.end(), [](long d) { return d == 1; });
}

bool HduInfo::isEmpty() const
{
    return dims.empty() || std::any_of(dims.begin(), dims.end(), [](long d) { return d <= 0; });
}

std::string HduInfo::shape() const
{
    if (type != HduType::Image)
        return std::to_string(dims.at(0)) + " columns x " + std::to_string(dims.at(1)) + " rows";
    return isEmpty() ? std::string("no data") : joinDims(dims);
}

std::string HduSelector::describe() const
{
    if (index)
        return "HDU " + std::to_string(*index);
    if (!name.empty())
        return "HDU '" + name + "'";
    return "the default image HDU";
}

HduSelector parseHduSelector(const std::string &text)
{
    HduSelector selector;
    if (text.empty())
        return selector;
    const bool digits = std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits) {
        if (text[0] == '-' && text.size() > 1
            && std::all_of(text.begin() + 1, text.end(), [](unsigned char c) { return std::isdigit(c); }))
            fail("HDU '" + text + "'", "an HDU index cannot be negative (0 is the primary HDU)");
        selector.name = text;
        return selector;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        fail("HDU '" + text + "'", "the HDU index is too large");
    selector.index = value;
    return selector;
}

std::optional<int> defaultImageHdu(const std::vector<HduInfo> &hdus)
{
    if (hdus.empty())
        return std::nullopt;
    if (!hdus.front().isEmpty())
        return hdus.front().index;
    std::optional<int> first;
    for (const auto &h : hdus) {
        if (h.index == 0 || !h.isImage2D())
            continue;
        if (preferredName(h.extname))
            return h.index;
        if (!first)
            first = h.index;
    }
    return first;
}

std::vector<HduInfo> listHdus(const std::filesystem::path &path)
{
    const FitsFile file = FitsFile::openForReading(path);
    return scan(file);
}

FitsImage readImage(const std::filesystem::path &path, const HduSelector &selector)
{
    const FitsFile file = FitsFile::openForReading(path);
    const auto hdus = scan(file);
    const HduInfo &info = select(file, hdus, selector);
    const std::string subject = hduSubject(file.name(), info);
    requireImage2D(subject, info, hdus);
    checkSize(info, subject);
    moveTo(file, info);
    checkDataPresent(file, info, subject);

    FitsImage image;
    image.path = file.name();
    image.hdu = info.index;
    image.extname = info.extname;
    image.width = info.dims[0];
    image.height = info.dims[1];
    image.header = readCurrentHeader(file, info, subject);
    image.pixels = readPixels(file, info, subject);
    return image;
}

std::vector<FitsHeader> readAllHeaders(const std::filesystem::path &path)
{
    const FitsFile file = FitsFile::openForReading(path);
    std::vector<FitsHeader> headers;
    for (const auto &info : scan(file)) {
        moveTo(file, info);
        headers.push_back(readCurrentHeader(file, info, hduSubject(file.name(), info)));
    }
    return headers;
}

FitsHeader readHeader(const std::filesystem::path &path, const HduSelector &selector)
{
    const FitsFile file = FitsFile::openForReading(path);
    const auto hdus = scan(file);
    const HduInfo &info = select(file, hdus, selector);
    moveTo(file, info);
    return readCurrentHeader(file, info, hduSubject(file.name(), info));
}

} // namespace astrorim::fits
