// The bad-input corpus (tests/data/bad, made by tests/data/make_bad_fits.py
// and described in its README.md) read through the public API the CLI and the
// GUI use: fits::listHdus / readImage / readAllHeaders and
// inference::readObservationFile. Every file either reads with the values the
// generator wrote (stated there and repeated below) or fails with
// astrorim::Error naming the file and the problem; nothing else may escape,
// and no file may make the reader allocate more than a few MB.

#include "check.h"
#include "cli_runner.h"
#include "temp_dir.h"
#include "tiny_model.h"

#include "common/error.h"
#include "fits/fits_reader.h"
#include "inference/observation_file.h"
#include "nn/model_file.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <new>
#include <set>
#include <string>
#include <typeinfo>
#include <vector>

using namespace astrorim;
namespace fs = std::filesystem;

// The largest single allocation through operator new while `tracking` is
// set: a header declaring 10^12 pixels must be refused before std::vector
// asks for them. (Replacing the global operator new is allowed for a program,
// [replacement.functions]; CFITSIO's own buffers use malloc and stay small.)
namespace {
std::atomic<bool> tracking{false};
std::atomic<std::size_t> largestAllocation{0};
} // namespace

// GCC cannot see that these deletes only ever receive the mallocs above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void *operator new(std::size_t size)
{
    if (tracking.load(std::memory_order_relaxed)) {
        std::size_t seen = largestAllocation.load(std::memory_order_relaxed);
        while (size > seen && !largestAllocation.compare_exchange_weak(seen, size))
            ;
    }
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t size)
{
    return ::operator new(size);
}
void operator delete(void *p) noexcept
{
    std::free(p);
}
void operator delete[](void *p) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept
{
    std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept
{
    std::free(p);
}
// The nothrow forms too (std::stable_sort's buffer uses them): every form that
// frees through the deletes above must allocate through malloc, or ASan
// reports an alloc-dealloc mismatch.
void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    try {
        return ::operator new(size);
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
}
void *operator new[](std::size_t size, const std::nothrow_t &tag) noexcept
{
    return ::operator new(size, tag);
}
void operator delete(void *p, const std::nothrow_t &) noexcept
{
    std::free(p);
}
void operator delete[](void *p, const std::nothrow_t &) noexcept
{
    std::free(p);
}
#pragma GCC diagnostic pop

namespace {

const fs::path corpus = ASTRORIM_BAD_DATA_DIR;

// Far above what any corpus file legitimately needs (the largest holds
// 100,000 pixels), far below what a huge declared NAXIS would ask for.
constexpr std::size_t kAllocationCeiling = 16u << 20;

// ------------------------------------------------------------ files that read

/// Expected value at (col, row), row 0 first in the file; NaN where the
/// reader must give NaN.
using Pixel = std::function<double(long col, long row)>;

struct Readable
{
    const char *file;
    long width;
    long height;
    Pixel value;
    /// Empty: readObservationFile reads it too (same pixels, PIXSCALE 0.1,
    /// PSFFWHM 0.15); else the words its error must contain.
    std::vector<std::string> observationError = {};
};

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The BITPIX files: raw value of pixel i = row * 4 + col (make_bad_fits.py raw_values).
double rawBitpix(int bitpix, long col, long row)
{
    const double i = static_cast<double>(row * 4 + col);
    switch (bitpix) {
    case 8:
        return 20 * i + 3;
    case 16:
        return 1000 * (i - 6);
    case 32:
        return 100000 * (i - 6);
    case 64:
        return std::ldexp(i - 6, 40);
    case -32:
        return 0.25 * (i - 6);
    default:
        return 0.125 * (i - 6);
    }
}

Pixel bitpix(int b, bool scaled)
{
    // Scaled files: BSCALE 0.5, BZERO -3 for integers; BSCALE 2, BZERO 1 for floats.
    return [b, scaled](long col, long row) {
        const double raw = rawBitpix(b, col, row);
        if (!scaled)
            return raw;
        return b > 0 ? 0.5 * raw - 3 : 2 * raw + 1;
    };
}

Pixel constant(double v)
{
    return [v](long, long) { return v; };
}

const std::vector<Readable> &readable()
{
    static const std::vector<Readable> files = {
        {"bitpix_8.fits", 4, 3, bitpix(8, false)},
        {"bitpix_16.fits", 4, 3, bitpix(16, false)},
        {"bitpix_32.fits", 4, 3, bitpix(32, false)},
        {"bitpix_64.fits", 4, 3, bitpix(64, false)},
        {"bitpix_m32.fits", 4, 3, bitpix(-32, false)},
        {"bitpix_m64.fits", 4, 3, bitpix(-64, false)},
        {"bitpix_8_scaled.fits", 4, 3, bitpix(8, true)},
        {"bitpix_16_scaled.fits", 4, 3, bitpix(16, true)},
        {"bitpix_32_scaled.fits", 4, 3, bitpix(32, true)},
        {"bitpix_64_scaled.fits", 4, 3, bitpix(64, true)},
        {"bitpix_m32_scaled.fits", 4, 3, bitpix(-32, true)},
        {"bitpix_m64_scaled.fits", 4, 3, bitpix(-64, true)},
        // Raw -32768 + 5000 i with BZERO 32768: the unsigned 16-bit convention.
        {"bitpix_16_unsigned.fits", 4, 3, [](long c, long r) { return 5000.0 * static_cast<double>(r * 4 + c); }},
        // BSCALE 0 is applied as written: every pixel is BZERO.
        {"bscale_zero.fits", 4, 3, constant(5)},
        {"blank_int16.fits", 3, 3,
            [](long c, long r) {
                return (c == 0 && r == 0) || (c == 1 && r == 2) ? nan : 10.0 * static_cast<double>(r * 3 + c);
            }},
        {"cube_one_plane.fits", 8, 6, [](long c, long r) { return static_cast<double>(r * 8 + c); }},
        {"image_1x1.fits", 1, 1, constant(42.5)},
        {"image_100000x1.fits.gz", 100000, 1, [](long c, long) { return static_cast<double>(c % 256); }},
        {"inf_pixels.fits", 4, 4,
            [](long c, long r) {
                return (c == 1 && r == 1) || (c == 3 && r == 2) ? nan : static_cast<double>(r * 4 + c);
            }},
        {"all_zero.fits", 16, 16, constant(0)},
        {"all_nan.fits", 16, 16, constant(nan), {"all_nan.fits", "holds no data", "NaN"}},
        // 1e300 has no float32 value: the pixel is NaN like an infinity.
        {"float64_overflow.fits", 2, 2,
            [](long c, long r) {
                const double v[2][2] = {{1, nan}, {2, 3}};
                return v[r][c];
            }},
        {"tile_rice_int16.fits.fz", 32, 32, [](long c, long r) { return static_cast<double>(r * 32 + c - 500); }},
        {"tile_gzip_float32.fits.fz", 16, 16, [](long c, long r) { return static_cast<float>((r * 16 + c) / 3.0); }},
        {"gzipped.fits.gz", 32, 32, [](long c, long r) { return static_cast<double>(r * 32 + c); }},
        {"non_ascii_comment.fits", 4, 4, constant(3)},
        {"non_ascii_keyword.fits", 4, 4, constant(3)},
        {"trailing_garbage.fits", 4, 4, constant(6)},
        {"singular_cd.fits", 16, 16, constant(1), {"singular_cd.fits", "singular"}},
    };
    return files;
}

// ------------------------------------------------------------ files refused

struct Refused
{
    const char *file;
    std::vector<std::string> words; ///< besides the file name
};

const std::vector<Refused> &refused()
{
    static const std::vector<Refused> files = {
        {"empty.fits", {"empty (0 bytes)"}},
        {"png_signature.fits", {"not a FITS file"}},
        {"text.fits", {"not a FITS file"}},
        {"header_only.fits", {"truncated", "16 x 16"}},
        {"header_cut_mid_card.fits", {"truncated", "917 bytes"}},
        {"header_cut_second_block.fits", {"no END card", "truncated"}},
        {"data_cut_short.fits", {"truncated", "32 x 32"}},
        {"data_unpadded.fits", {"truncated", "2880-byte"}},
        {"gzip_truncated.fits.gz", {"truncated"}},
        {"gzip_forged_isize.fits.gz", {"damaged gzip", "4294967040 bytes"}},
        {"extension_cut.fits", {"HDU 1", "truncated"}},
        {"missing_end.fits", {"no END card"}},
        {"naxis0_primary_only.fits", {"no 2-D image", "HDU 0 is empty"}},
        {"naxis0_every_hdu.fits",
            {"no 2-D image", "HDU 0 is empty", "HDU 1 (SCI) is empty", "HDU 2 (ERR) is empty"}},
        {"naxis1_zero.fits", {"no 2-D image", "HDU 0 is empty"}},
        {"one_d.fits", {"1-D array of 64 values"}},
        {"cube_3d.fits", {"3-D cube", "8 x 6 x 3"}},
        {"naxis_negative.fits", {"illegal NAXISn"}},
        {"naxis2_missing.fits", {"missing NAXISn"}},
        {"bitpix_7.fits", {"illegal BITPIX"}},
        {"huge_naxis.fits", {"too large", "1000000 x 1000000", "400 million"}},
        {"huge_naxis.fits.gz", {"too large", "1000000 x 1000000", "400 million"}},
        {"naxis_overflow.fits.gz", {"too large", "4294967296 x 4294967296"}},
        {"huge_tile_compressed.fits.fz", {"too large", "1000000 x 1000000"}},
        {"tile_header_inconsistent.fits.fz", {"HDU 1", "compressed data is damaged or does not match its header"}},
        {"tile_corrupt.fits.fz", {"cannot decompress", "damaged"}},
    };
    return files;
}

// ------------------------------------------------------------ helpers

/// Runs `read`, which must throw astrorim::Error whose message holds `file`
/// and every word; any other exception, or none, fails.
void expectError(const std::function<void()> &read, const std::string &what, const std::string &file,
    const std::vector<std::string> &words)
{
    try {
        read();
    } catch (const Error &e) {
        const std::string message = e.what();
        CHECK_MSG(message.find(file) != std::string::npos, what << ": '" << message << "' does not name " << file);
        for (const auto &w : words)
            CHECK_MSG(message.find(w) != std::string::npos, what << ": '" << message << "' lacks '" << w << "'");
        return;
    } catch (const std::exception &e) {
        CHECK_MSG(false, what << ": threw " << typeid(e).name() << " (" << e.what() << "), not astrorim::Error");
    }
    CHECK_MSG(false, what << ": did not throw");
}

/// Calls `read` with allocation tracking on and checks the largest request.
void withinMemory(const std::string &what, const std::function<void()> &read)
{
    largestAllocation = 0;
    tracking = true;
    try {
        read();
    } catch (...) {
        tracking = false;
        throw;
    }
    tracking = false;
    CHECK_MSG(largestAllocation.load() <= kAllocationCeiling,
        what << " allocated " << largestAllocation.load() << " bytes at once");
}

bool same(double actual, double expected)
{
    return std::isnan(expected) ? std::isnan(actual) : actual == static_cast<double>(static_cast<float>(expected));
}

void checkPixels(const fits::FitsImage &image, const Readable &f)
{
    CHECK_EQ(image.width, f.width);
    CHECK_EQ(image.height, f.height);
    CHECK_EQ(image.pixels.size(), static_cast<std::size_t>(f.width * f.height));
    for (long r = 0; r < f.height; ++r)
        for (long c = 0; c < f.width; ++c)
            CHECK_MSG(same(image.at(c, r), f.value(c, r)),
                f.file << " (" << c << ", " << r << ") = " << image.at(c, r) << ", expected " << f.value(c, r));
}

inference::ObservationFile readObservation(const fs::path &path)
{
    return inference::readObservationFile(path, {});
}

} // namespace

TEST_CASE(corpusIsCompleteAndSmall)
{
    // Every file in the folder is in one table below, and every table entry is a file.
    std::set<std::string> listed;
    for (const auto &f : readable())
        CHECK_MSG(listed.insert(f.file).second, f.file << " listed twice");
    for (const auto &f : refused())
        CHECK_MSG(listed.insert(f.file).second, f.file << " listed twice");
    std::uintmax_t total = 0;
    std::set<std::string> onDisk;
    for (const auto &entry : fs::directory_iterator(corpus)) {
        const auto name = entry.path().filename().string();
        if (name == "README.md")
            continue;
        onDisk.insert(name);
        total += entry.file_size();
        CHECK_MSG(entry.file_size() <= 10'000, name << " is " << entry.file_size() << " bytes");
        CHECK_MSG(listed.count(name), name << " is in the corpus but not in test_bad_input.cpp");
    }
    for (const auto &name : listed)
        CHECK_MSG(onDisk.count(name), name << " is listed but missing from " << corpus.string());
    CHECK(onDisk.size() >= 30);
    CHECK(total < 1'000'000);
}

TEST_CASE(readableFilesGiveTheWrittenValues)
{
    for (const auto &f : readable()) {
        const auto path = corpus / f.file;
        fits::FitsImage image;
        withinMemory(f.file, [&] { image = fits::readImage(path); });
        checkPixels(image, f);
        CHECK_EQ(image.path, path.string());
    }
}

TEST_CASE(readableFilesGiveTheSameObservation)
{
    for (const auto &f : readable()) {
        const auto path = corpus / f.file;
        if (!f.observationError.empty()) {
            expectError([&] { readObservation(path); }, std::string("readObservationFile ") + f.file, f.file,
                f.observationError);
            continue;
        }
        const auto read = readObservation(path);
        const auto &o = read.observation;
        CHECK_EQ(o.name, inference::observationName(path));
        CHECK_EQ(o.image.size(0), f.height);
        CHECK_EQ(o.image.size(1), f.width);
        CHECK_NEAR(o.pixelScale, 0.1, 1e-12);
        CHECK_NEAR(o.psfFwhm, 0.15, 1e-12);
        const auto pixels = o.image.contiguous();
        const double *p = pixels.data_ptr<double>();
        for (long r = 0; r < f.height; ++r)
            for (long c = 0; c < f.width; ++c)
                CHECK_MSG(same(p[r * f.width + c], f.value(c, r)), f.file << " observation (" << c << ", " << r << ")");
    }
}

TEST_CASE(refusedFilesNameTheFileAndTheProblem)
{
    for (const auto &f : refused()) {
        const auto path = corpus / f.file;
        withinMemory(f.file, [&] {
            expectError([&] { fits::readImage(path); }, std::string("readImage ") + f.file, f.file, f.words);
            expectError([&] { readObservation(path); }, std::string("readObservationFile ") + f.file, f.file, f.words);
        });
    }
}

TEST_CASE(everyEntryPointFailsCleanlyOnEveryFile)
{
    // Whatever each call makes of a file, it returns or throws astrorim::Error.
    for (const auto &entry : fs::directory_iterator(corpus)) {
        const auto path = entry.path();
        if (path.filename() == "README.md")
            continue;
        const std::string name = path.filename().string();
        const std::vector<std::pair<const char *, std::function<void()>>> calls = {
            { "listHdus", [&] { fits::listHdus(path); } },
            { "readAllHeaders", [&] { fits::readAllHeaders(path); } },
            { "readHeader", [&] { fits::readHeader(path); } },
            { "readImage(HDU 1)", [&] { fits::readImage(path, fits::parseHduSelector("1")); } },
            { "readImage(SCI)", [&] { fits::readImage(path, fits::parseHduSelector("SCI")); } },
            { "imageHduChoices", [&] { inference::imageHduChoices(path); } },
        };
        for (const auto &[what, call] : calls) {
            withinMemory(name + " " + what, [&] {
                try {
                    call();
                } catch (const Error &e) {
                    CHECK_MSG(std::string(e.what()).find(name) != std::string::npos,
                        what << " on " << name << ": '" << e.what() << "' does not name the file");
                } catch (const std::exception &e) {
                    CHECK_MSG(false, what << " on " << name << " threw " << typeid(e).name() << ": " << e.what());
                }
            });
        }
    }
}

TEST_CASE(limitIsStatedAndHugeFilesStayCheap)
{
    CHECK_EQ(fits::kMaxImagePixels, 400'000'000LL);
    // Listing a file that declares 10^12 pixels reads no pixels and is fine.
    const auto hdus = fits::listHdus(corpus / "huge_naxis.fits.gz");
    CHECK_EQ(hdus.size(), std::size_t { 1 });
    CHECK_EQ(hdus[0].dims.at(0), 1000000L);
}

TEST_CASE(cliReportsBadFilesByName)
{
    const astrorim::test::TempDir dir("astrorim_test_bad_input");
    nn::saveModel(dir / "tiny.safetensors", *nn::RimModel(astrorim::test::tinyModelConfig()));
    // One run for all of them: loading LibTorch once keeps the test cheap.
    const std::vector<std::pair<std::string, std::string>> cases = {
        { "text.fits", "not a FITS file" },
        { "data_cut_short.fits", "truncated" },
        { "huge_naxis.fits.gz", "too large" },
        { "one_d.fits", "1-D array" },
        { "all_nan.fits", "NaN" },
        { "image_100000x1.fits.gz", "100000 x 1 pixels; a lens image needs at least 8 pixels on each side" },
    };
    std::vector<std::string> args = { "reconstruct" };
    for (const auto &[file, word] : cases)
        args.push_back((corpus / file).string());
    for (const std::string &a : std::vector<std::string> { "--model", (dir / "tiny.safetensors").string(),
             "--iterations", "2", "--device", "cpu", "--threads", "2", "--output-dir", (dir / "out").string() })
        args.push_back(a);
    const auto run = astrorim::test::runCli(args);
    CHECK_MSG(run.exitCode == 1, run.out);
    CHECK_MSG(run.out.find("reconstructed 0 of 6") != std::string::npos, run.out);
    // Each failure is one line "astrorim-cli: <message>" naming its file.
    for (const auto &[file, word] : cases) {
        bool found = false;
        std::size_t at = 0;
        while (!found && (at = run.out.find(file, at)) != std::string::npos) {
            const auto end = run.out.find('\n', at);
            const auto begin = run.out.rfind('\n', at);
            const auto line = run.out.substr(begin == std::string::npos ? 0 : begin + 1, end - begin);
            found = line.find(word) != std::string::npos;
            at = end;
        }
        CHECK_MSG(found, file << " with '" << word << "' not in: " << run.out);
    }
}

TEST_CASE(malformedParametersJsonAndMetadataCsvAreReportedByName)
{
    // What `analyze` and `reconstruct --metadata` read: each broken file gives
    // exit code 1 and a message naming the file and the fault.
    const astrorim::test::TempDir dir("astrorim_test_bad_input");
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> parameters = {
        { "empty.json", { "", "is not valid JSON" } },
        { "truncated.json", { R"({"lens_model_list": ["SIE"], "kwargs_lens": [{"theta_E": 1.)", "is not valid JSON" } },
        { "unknown_model.json", { R"({"lens_model_list": ["PEMD"], "kwargs_lens": [{}]})", "PEMD" } },
        { "string_theta_e.json",
            { R"({"lens_model_list": ["SIS"], "kwargs_lens": [{"theta_E": "one", "center_x": 0, "center_y": 0}]})",
                "theta_E" } },
        { "negative_theta_e.json",
            { R"({"lens_model_list": ["SIS"], "kwargs_lens": [{"theta_E": -1, "center_x": 0, "center_y": 0}]})",
                "theta_E" } },
    };
    for (const auto &[file, contents] : parameters) {
        std::ofstream(dir / file) << contents.first;
        const auto run = astrorim::test::runCli({ "analyze", (dir / file).string(), "--z-lens", "0.5", "--z-source", "2" });
        CHECK_MSG(run.exitCode == 1, file << ": " << run.out);
        CHECK_MSG(run.out.find(file) != std::string::npos && run.out.find(contents.second) != std::string::npos,
            file << ": " << run.out);
    }
    // A metadata row with a redshift that is not a number: the file, its line and the column.
    std::ofstream(dir / "lenses.csv") << "lens_name,z_lens,z_source\nsample_lens,0.5,two\n";
    const auto run = astrorim::test::runCli({ "analyze", ASTRORIM_SOURCE_DIR "/resources/sample/sample_lens_truth.json",
        "--metadata", (dir / "lenses.csv").string() });
    CHECK_MSG(run.exitCode == 1, run.out);
    CHECK_MSG(run.out.find("lenses.csv:2: z_source is not a number") != std::string::npos, run.out);
}
