#include "fits/fits_writer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "fits/fits_file.h"

#include <array>
#include <cmath>
#include <string_view>

namespace astrorim::fits {

namespace {

// Keywords the writer owns: structure, and scaling that would make CFITSIO
// rescale the float pixels we write (BSCALE/BZERO/BLANK copied from a header
// that was read from an integer image), or checksums that no longer match.
bool isReserved(const std::string &key)
{
    static constexpr std::array<std::string_view, 12> reserved = {
        "SIMPLE", "BITPIX", "NAXIS", "EXTEND", "PCOUNT", "GCOUNT", "XTENSION",
        "END", "BSCALE", "BZERO", "BLANK", "CHECKSUM"};
    for (auto r : reserved)
        if (key == r)
            return true;
    if (key == "DATASUM" || key == "ZIMAGE" || key == "TFIELDS")
        return true;
    return key.rfind("NAXIS", 0) == 0; // NAXIS1, NAXIS2, ...
}

void validate(const std::string &target, std::size_t index, const ImageHdu &hdu)
{
    const std::string subject = target + ", HDU " + std::to_string(index);
    if (hdu.width <= 0 || hdu.height <= 0)
        fail(subject, "image size must be positive, got " + std::to_string(hdu.width) + " x "
                          + std::to_string(hdu.height));
    if (!hdu.pixels)
        fail(subject, "no pixel data given");
    for (const auto &card : hdu.header.cards()) {
        if (const auto *d = std::get_if<double>(&card.value); d && !std::isfinite(*d))
            fail(subject, "keyword " + card.key + " is not a finite number; FITS headers cannot hold NaN or Inf");
        // FITS headers are printable ASCII; anything else makes a file other readers refuse.
        const auto *s = std::get_if<std::string>(&card.value);
        for (const std::string *text : {s, &card.comment})
            if (text)
                for (unsigned char c : *text)
                    if (c < 0x20 || c > 0x7e)
                        fail(subject, "keyword " + card.key + " holds a character that is not printable ASCII");
    }
}

void writeCard(const FitsFile &file, const std::string &subject, const HeaderCard &card)
{
    fitsfile *f = file.get();
    int status = 0;
    char *comment = const_cast<char *>(card.comment.c_str());
    char *key = const_cast<char *>(card.key.c_str());
    if (const auto *b = std::get_if<bool>(&card.value)) {
        int logical = *b ? 1 : 0;
        fits_update_key(f, TLOGICAL, key, &logical, comment, &status);
    } else if (const auto *i = std::get_if<std::int64_t>(&card.value)) {
        LONGLONG v = *i;
        fits_update_key(f, TLONGLONG, key, &v, comment, &status);
    } else if (const auto *d = std::get_if<double>(&card.value)) {
        // 17 significant digits: a double survives the round trip exactly
        // (CFITSIO's TDOUBLE default keeps only 15).
        fits_update_key_dbl(f, key, *d, -17, comment, &status);
    } else if (const auto *s = std::get_if<std::string>(&card.value)) {
        if (card.key == "COMMENT")
            fits_write_comment(f, s->c_str(), &status);
        else if (card.key == "HISTORY")
            fits_write_history(f, s->c_str(), &status);
        else // long strings continue on CONTINUE cards
            fits_update_key_longstr(f, key, s->c_str(), comment, &status);
    }
    file.check(status, "cannot write keyword " + card.key, subject);
}

void writeHdu(const FitsFile &file, std::size_t index, const ImageHdu &hdu)
{
    const std::string subject = file.name() + ", HDU " + std::to_string(index);
    fitsfile *f = file.get();
    int status = 0;
    long axes[2] = {hdu.width, hdu.height};
    fits_create_img(f, FLOAT_IMG, 2, axes, &status);
    file.check(status, "cannot create the image HDU", subject);

    for (const auto &card : hdu.header.cards()) {
        if (isReserved(card.key) || (card.key == "EXTNAME" && !hdu.extname.empty()))
            continue;
        writeCard(file, subject, card);
    }
    if (!hdu.extname.empty())
        writeCard(file, subject, {"EXTNAME", hdu.extname, "name of this HDU"});

    const auto count = static_cast<LONGLONG>(hdu.width) * hdu.height;
    fits_write_img(f, TFLOAT, 1, count, const_cast<float *>(hdu.pixels), &status);
    file.check(status, "cannot write the pixels", subject);
}

} // namespace

void writeImages(const std::filesystem::path &path, const std::vector<ImageHdu> &hdus)
{
    const std::string target = path.string();
    if (hdus.empty())
        fail(target, "nothing to write (no image HDUs given)");
    for (std::size_t i = 0; i < hdus.size(); ++i)
        validate(target, i, hdus[i]);

    writeAtomically(path, [&](const std::filesystem::path &tmp) {
        FitsFile file = FitsFile::create(tmp, target);
        for (std::size_t i = 0; i < hdus.size(); ++i)
            writeHdu(file, i, hdus[i]);
        file.close();
    });
}

void writeImage(const std::filesystem::path &path, const ImageHdu &hdu)
{
    writeImages(path, std::vector<ImageHdu>{hdu});
}

} // namespace astrorim::fits
