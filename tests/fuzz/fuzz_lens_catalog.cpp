// libFuzzer target: the lens metadata CSV (--metadata, lenses.csv) as
// LensCatalog::parse reads it, then every lookup the CLI makes. Bad input
// must end in astrorim::Error.

#include "analysis/lens_catalog.h"
#include "common/error.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

using namespace astrorim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::istringstream in(std::string(reinterpret_cast<const char *>(data), size));
    try {
        const auto catalog = analysis::LensCatalog::parse(in, "fuzz.csv");
        for (const auto &entry : catalog.entries()) {
            if (catalog.find(entry.name) == nullptr)
                __builtin_trap(); // every parsed name must be found again
            (void)catalog.at(entry.name);
        }
        (void)catalog.find("sample_lens");
    } catch (const Error &) {
    }
    return 0;
}
