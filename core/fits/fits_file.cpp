#include "fits/fits_file.h"

#include "common/error.h"

// Reads bytes at CFITSIO's current position (ffmbyt moves it). Exported by
// libcfitsio but declared only in its internal fitsio2.h, which lacks the
// extern "C" that fitsio.h has.
extern "C" int ffgbyt(fitsfile *fptr, LONGLONG nbytes, void *buffer, int *status);

#include <array>
#include <cstring>
#include <fstream>
#include <system_error>

namespace astrorim::fits {

namespace {

// FITS files begin with "SIMPLE  ="; compressed files with their own magic
// numbers, which CFITSIO decompresses (gzip, Unix compress, pack, zip, bzip2).
bool looksCompressed(const std::array<unsigned char, 10> &head, std::size_t n)
{
    if (n < 2)
        return false;
    if (head[0] == 0x1f && (head[1] == 0x8b || head[1] == 0x9d || head[1] == 0x1e || head[1] == 0xa0))
        return true;
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') // bzip2, if CFITSIO has it
        return true;
    return n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
}

// True when a plain file holds an END card at a card boundary: CFITSIO
// reports a header without one as a read past the end of the file.
bool hasEndCard(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::array<char, 80> card{};
    while (in.read(card.data(), card.size()))
        if (std::memcmp(card.data(), "END     ", 8) == 0)
            return true;
    return false;
}

// CFITSIO allocates the uncompressed size that a gzip file's trailer (ISIZE,
// its last four bytes, little-endian) claims before it inflates anything.
// Deflate packs at most 1032 bytes into one (RFC 1951: a 258-byte match in
// two bits at best), so a larger claim is a damaged or forged trailer. A
// valid file never fails this: ISIZE is the size modulo 2^32, never more.
void checkGzipTrailer(std::ifstream &in, std::uintmax_t size, const std::string &name)
{
    constexpr std::uintmax_t kMaxDeflateRatio = 1032;
    std::array<unsigned char, 4> trailer{};
    in.clear();
    in.seekg(-4, std::ios::end);
    if (!in.read(reinterpret_cast<char *>(trailer.data()), trailer.size()))
        return; // too short for a trailer: CFITSIO reports the truncation
    const std::uintmax_t claimed = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) |
                                   (static_cast<std::uintmax_t>(trailer[3]) << 24);
    if (claimed > kMaxDeflateRatio * size)
        fail(name, "damaged gzip file: its trailer claims " + std::to_string(claimed) +
                       " bytes uncompressed, more than deflate can pack into " + std::to_string(size) + " bytes");
}

void clearCfitsioMessages()
{
    fits_clear_errmsg();
}

} // namespace

std::string cfitsioReason(int status)
{
    char text[FLEN_STATUS] = {};
    fits_get_errstatus(status, text);
    std::string reason = text;
    switch (status) {
    case END_OF_FILE:
    case READ_ERROR:
        reason += "; the file is shorter than its headers say (truncated or damaged?)";
        break;
    case NO_SIMPLE:
    case UNKNOWN_REC:
    case NO_END:
        reason += "; this does not look like a valid FITS header";
        break;
    case DATA_DECOMPRESSION_ERR:
        reason += "; the compressed data is damaged or does not match its header";
        break;
    case NUM_OVERFLOW:
        reason += "; pixel values exceed the range of 32-bit floats";
        break;
    case FILE_NOT_CREATED:
        reason += "; check that the directory is writable";
        break;
    default:
        break;
    }
    return reason + " (CFITSIO status " + std::to_string(status) + ")";
}

FitsFile::FitsFile(fitsfile *file, std::string name, bool plain, std::uintmax_t size)
    : m_file(file), m_name(std::move(name)), m_plain(plain), m_size(size)
{
}

FitsFile::FitsFile(FitsFile &&other) noexcept
    : m_file(other.m_file), m_name(std::move(other.m_name)), m_plain(other.m_plain), m_size(other.m_size)
{
    other.m_file = nullptr;
}

FitsFile::~FitsFile()
{
    if (m_file) {
        int status = 0;
        fits_close_file(m_file, &status);
        clearCfitsioMessages();
    }
}

FitsFile FitsFile::openForReading(const std::filesystem::path &path)
{
    const std::string name = path.string();
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(st))
        fail(name, "no such file");
    if (std::filesystem::is_directory(st))
        fail(name, "is a directory, not a FITS file");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        fail(name, "cannot read the file size: " + ec.message());
    if (size == 0)
        fail(name, "the file is empty (0 bytes), not a FITS file");

    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(name, "cannot open the file for reading (permission denied?)");
    std::array<unsigned char, 10> head{};
    in.read(reinterpret_cast<char *>(head.data()), head.size());
    const auto n = static_cast<std::size_t>(in.gcount());
    const bool compressed = looksCompressed(head, n);
    if (compressed && head[0] == 0x1f && head[1] == 0x8b)
        checkGzipTrailer(in, size, name);
    if (!compressed) {
        if (n < 9 || std::memcmp(head.data(), "SIMPLE  =", 9) != 0)
            fail(name, "not a FITS file (a FITS file begins with the card 'SIMPLE  = T')");
        if (size < 2880)
            fail(name, "the file is truncated: it has " + std::to_string(size)
                           + " bytes, less than one 2880-byte FITS header block");
    }

    fitsfile *file = nullptr;
    int status = 0;
    fits_open_diskfile(&file, name.c_str(), READONLY, &status);
    if (status != 0) {
        if (file) {
            int ignored = 0;
            fits_close_file(file, &ignored);
        }
        clearCfitsioMessages();
        if (!compressed && (status == END_OF_FILE || status == READ_ERROR) && !hasEndCard(path))
            fail(name, "the primary header has no END card: the file is truncated inside its header, or damaged");
        fail(name, "cannot be read as FITS: " + cfitsioReason(status));
    }
    return FitsFile(file, name, !compressed, size);
}

FitsFile FitsFile::create(const std::filesystem::path &path, const std::string &nameForMessages)
{
    fitsfile *file = nullptr;
    int status = 0;
    fits_create_diskfile(&file, path.string().c_str(), &status);
    if (status != 0) {
        clearCfitsioMessages();
        fail(nameForMessages, "cannot create the file: " + cfitsioReason(status));
    }
    return FitsFile(file, nameForMessages, true, 0);
}

std::string FitsFile::headerCardsAt(long long offset, std::size_t maxCards) const
{
    std::string cards;
    if (m_plain) {
        // Read from disk: ffgbyt fails on a last block cut short of 2880
        // bytes, whose header CFITSIO still parses when it moves there.
        std::ifstream in(m_name, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(offset));
        char card[80];
        for (std::size_t i = 0; i < maxCards && in.read(card, sizeof card); ++i) {
            if (std::strncmp(card, "END     ", 8) == 0)
                break;
            cards.append(card, sizeof card);
        }
        return cards;
    }
    int status = 0;
    constexpr int kReportEof = 0; // REPORT_EOF in fitsio2.h
    if (ffmbyt(m_file, offset, kReportEof, &status) != 0) {
        fits_clear_errmsg();
        return cards;
    }
    char card[80];
    for (std::size_t i = 0; i < maxCards; ++i) {
        if (ffgbyt(m_file, sizeof card, card, &status) != 0) {
            fits_clear_errmsg();
            break;
        }
        if (std::strncmp(card, "END     ", 8) == 0)
            break;
        cards.append(card, sizeof card);
    }
    return cards;
}

void FitsFile::close()
{
    if (!m_file)
        return;
    int status = 0;
    fits_close_file(m_file, &status);
    m_file = nullptr; // CFITSIO frees the handle even when the flush fails
    check(status, "writing failed (disk full or no permission?)");
}

void FitsFile::check(int status, const std::string &what, const std::string &subject) const
{
    if (status == 0)
        return;
    clearCfitsioMessages();
    fail(subject.empty() ? m_name : subject, what + ": " + cfitsioReason(status));
}

} // namespace astrorim::fits
