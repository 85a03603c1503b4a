#pragma once

// Test fixtures for FITS files written with raw CFITSIO calls, independent of
// the code under test (test_fits, test_fits_damaged).

#include "check.h"
#include "temp_dir.h"

#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fitsio.h>

#include "fits/fits_header.h"

namespace astrorim::test {

// Raw CFITSIO writer for fixtures; any CFITSIO error fails the test at once.
class RawFits
{
public:
    explicit RawFits(const std::filesystem::path &path)
    {
        std::filesystem::remove(path);
        fits_create_file(&m_file, path.string().c_str(), &m_status);
        ok("create");
    }
    // Closing can fail (that is a test failure too), but not while another
    // failure is already unwinding the stack.
    ~RawFits() noexcept(false)
    {
        if (!m_file)
            return;
        if (std::uncaught_exceptions() > 0) {
            int ignored = 0;
            fits_close_file(m_file, &ignored);
            return;
        }
        close();
    }
    void close()
    {
        fits_close_file(m_file, &m_status);
        m_file = nullptr;
        ok("close");
    }
    RawFits &image(int bitpix, std::vector<long> axes)
    {
        fits_create_img(m_file, bitpix, static_cast<int>(axes.size()), axes.data(), &m_status);
        return ok("create_img");
    }
    RawFits &empty() { return image(8, {}); }
    RawFits &key(const char *name, double value)
    {
        fits_update_key(m_file, TDOUBLE, name, &value, "test value", &m_status);
        return ok(name);
    }
    RawFits &key(const char *name, long long value)
    {
        fits_update_key(m_file, TLONGLONG, name, &value, "test value", &m_status);
        return ok(name);
    }
    RawFits &key(const char *name, const char *value)
    {
        fits_update_key_longstr(m_file, name, value, "a string", &m_status);
        return ok(name);
    }
    RawFits &logical(const char *name, bool value)
    {
        int v = value ? 1 : 0;
        fits_update_key(m_file, TLOGICAL, name, &v, "a flag", &m_status);
        return ok(name);
    }
    RawFits &extname(const char *name) { return key("EXTNAME", name); }
    RawFits &record(const char *card)
    {
        fits_write_record(m_file, card, &m_status);
        return ok(card);
    }
    /// Writes raw (unscaled) values: BSCALE/BZERO in the header are not applied.
    RawFits &raw(const std::vector<double> &values)
    {
        fits_set_bscale(m_file, 1.0, 0.0, &m_status);
        fits_write_img(m_file, TDOUBLE, 1, static_cast<LONGLONG>(values.size()),
                       const_cast<double *>(values.data()), &m_status);
        return ok("write_img");
    }
    RawFits &floats(const std::vector<float> &values)
    {
        fits_write_img(m_file, TFLOAT, 1, static_cast<LONGLONG>(values.size()),
                       const_cast<float *>(values.data()), &m_status);
        return ok("write_img");
    }
    RawFits &table(const char *name)
    {
        char ttype[] = "FLUX";
        char tform[] = "1E";
        char *types[] = {ttype};
        char *forms[] = {tform};
        fits_create_tbl(m_file, BINARY_TBL, 3, 1, types, forms, nullptr, name, &m_status);
        return ok("create_tbl");
    }
    RawFits &compression(int type)
    {
        fits_set_compression_type(m_file, type, &m_status);
        return ok("set_compression_type");
    }
    fitsfile *get() { return m_file; }

private:
    RawFits &ok(const std::string &what)
    {
        if (m_status != 0) {
            char text[FLEN_STATUS];
            fits_get_errstatus(m_status, text);
            ::astrorim::test::fail(__FILE__, __LINE__, "fixture CFITSIO error at " + what + ": " + text);
        }
        return *this;
    }
    fitsfile *m_file = nullptr;
    int m_status = 0;
};

inline std::vector<float> ramp(long w, long h)
{
    std::vector<float> v(static_cast<std::size_t>(w * h));
    for (long i = 0; i < w * h; ++i)
        v[static_cast<std::size_t>(i)] = static_cast<float>(i);
    return v;
}

// A small valid file: empty primary, then images SCI (4x3) and ERR (4x3), then a table.
inline std::filesystem::path writeMultiExtension(const TempDir &dir)
{
    const auto path = dir / "multi.fits";
    RawFits f(path);
    f.empty();
    f.image(FLOAT_IMG, {4, 3}).extname("ERR").floats(std::vector<float>(12, 1.0f));
    f.image(FLOAT_IMG, {4, 3}).extname("SCI").floats(ramp(4, 3));
    f.table("CATALOG");
    return path;
}

inline void writeBytes(const std::filesystem::path &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string readBytes(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline bool isNaN(float v) { return std::isnan(v); }

// By value, so CHECK_EQ never binds a reference into a temporary optional.
inline double num(const fits::FitsHeader &header, const std::string &key)
{
    const auto v = header.number(key);
    if (!v)
        ::astrorim::test::fail(__FILE__, __LINE__, "no numeric keyword " + key);
    return *v;
}

inline std::string str(const fits::FitsHeader &header, const std::string &key)
{
    const auto v = header.string(key);
    if (!v)
        ::astrorim::test::fail(__FILE__, __LINE__, "no string keyword " + key);
    return *v;
}

} // namespace astrorim::test
