#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

// Internal header: only core/fits sources include it, so fitsio.h stays out
// of the public headers.
#include <fitsio.h>

namespace astrorim::fits {

/// An open CFITSIO file that is always closed (RAII), and the one place where
/// CFITSIO status codes become astrorim::Error messages. Internal to core/fits:
/// the public API is fits_reader.h and fits_writer.h.
///
/// Files are opened with fits_open_diskfile / fits_create_diskfile, so CFITSIO's
/// extended file-name syntax ("file.fits[1]", leading '!') never applies to our
/// paths; gzip-compressed files and tile-compressed HDUs still work.
class FitsFile
{
public:
    /// Opens `path` read-only. Before CFITSIO sees the file, checks that it
    /// exists, is a regular non-empty file and begins like FITS (or gzip/compress
    /// data), so those cases get specific messages. Throws Error naming the file.
    static FitsFile openForReading(const std::filesystem::path &path);

    /// Creates the new file `path` (which must not exist). Errors name
    /// `nameForMessages` (the user's target, not the temporary file).
    static FitsFile create(const std::filesystem::path &path, const std::string &nameForMessages);

    FitsFile(FitsFile &&other) noexcept;
    FitsFile &operator=(FitsFile &&) = delete;
    FitsFile(const FitsFile &) = delete;
    FitsFile &operator=(const FitsFile &) = delete;
    /// Closes the file, ignoring errors (use close() where they matter).
    ~FitsFile();

    /// Closes the file and reports a failed flush (disk full) as Error.
    void close();

    [[nodiscard]] fitsfile *get() const { return m_file; }
    /// The file as named in messages.
    [[nodiscard]] const std::string &name() const { return m_name; }
    /// True when the file on disk is plain FITS (not gzip/compress), so byte
    /// offsets in headers can be compared with the file size.
    [[nodiscard]] bool isPlain() const { return m_plain; }
    [[nodiscard]] std::uintmax_t sizeOnDisk() const { return m_size; }

    /// The cards of the header that begins at byte `offset` (80 characters
    /// each, up to but without END; at most `maxCards`), read as CFITSIO
    /// holds the file (decompressed for gzip files) without moving to that
    /// HDU. Shorter, or empty, where the file ends or cannot be read.
    [[nodiscard]] std::string headerCardsAt(long long offset, std::size_t maxCards) const;

    /// Throws Error("<subject>: <what> (<CFITSIO reason>)") when `status` is not 0,
    /// clearing CFITSIO's message stack. `subject` defaults to the file name.
    void check(int status, const std::string &what, const std::string &subject = {}) const;

private:
    FitsFile(fitsfile *file, std::string name, bool plain, std::uintmax_t size);

    fitsfile *m_file = nullptr;
    std::string m_name;
    bool m_plain = true;
    std::uintmax_t m_size = 0;
};

/// Readable reason for a CFITSIO status code: fits_get_errstatus's text plus a
/// hint for the codes users meet (truncated files, not FITS, overflow).
std::string cfitsioReason(int status);

} // namespace astrorim::fits
