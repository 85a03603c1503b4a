#include "analysis/lens_catalog.h"

#include "common/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace astrorim::analysis {

namespace {

const std::vector<std::string> kColumns = {"lens_name", "z_lens", "z_source", "pixel_scale_arcsec"};
constexpr std::size_t kRequiredColumns = 3;

std::string trim(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::vector<std::string> splitFields(const std::string &line)
{
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ','))
        fields.push_back(trim(field));
    if (!line.empty() && line.back() == ',')
        fields.emplace_back(); // getline drops a trailing empty field
    return fields;
}

// Parses one CSV file line by line; every message starts "<source>:<line>".
class CatalogParser
{
public:
    explicit CatalogParser(std::string source) : m_source(std::move(source)) {}

    [[noreturn]] void reject(const std::string &reason) const
    {
        fail(m_source + ":" + std::to_string(m_line), reason);
    }

    std::vector<LensMetadata> parse(std::istream &in)
    {
        std::vector<LensMetadata> entries;
        std::string raw;
        while (std::getline(in, raw)) {
            ++m_line;
            const std::string line = trim(raw);
            if (line.empty() || line.front() == '#')
                continue;
            if (m_columns == 0)
                readHeader(splitFields(line));
            else
                entries.push_back(readRow(splitFields(line)));
        }
        if (m_columns == 0)
            fail(m_source, "has no header line (lens_name,z_lens,z_source[,pixel_scale_arcsec])");
        return entries;
    }

private:
    void readHeader(const std::vector<std::string> &fields)
    {
        const bool required = fields.size() >= kRequiredColumns && fields.size() <= kColumns.size()
                              && std::equal(fields.begin(), fields.end(), kColumns.begin());
        if (!required)
            reject("the header must be lens_name,z_lens,z_source[,pixel_scale_arcsec], got '"
                   + joined(fields) + "'");
        m_columns = fields.size();
    }

    LensMetadata readRow(const std::vector<std::string> &fields)
    {
        if (fields.size() < kRequiredColumns)
            reject("missing columns: expected " + std::to_string(m_columns) + " (" + header() + "), got "
                   + std::to_string(fields.size()));
        if (fields.size() > m_columns)
            reject("too many columns: expected " + std::to_string(m_columns) + " (" + header() + "), got "
                   + std::to_string(fields.size()));
        LensMetadata entry;
        entry.name = fields[0];
        if (entry.name.empty())
            reject("lens_name is empty");
        if (!m_names.insert(entry.name).second)
            reject("lens_name '" + entry.name + "' appears twice");
        entry.z_lens = number("z_lens", fields[1]);
        entry.z_source = number("z_source", fields[2]);
        if (entry.z_lens < 0)
            reject("z_lens must be >= 0, got " + fields[1]);
        if (!(entry.z_source > entry.z_lens))
            reject("z_source (" + fields[2] + ") must be greater than z_lens (" + fields[1] + ") for lens '"
                   + entry.name + "'");
        if (fields.size() > kRequiredColumns && !fields[3].empty()) {
            entry.pixelScale = number("pixel_scale_arcsec", fields[3]);
            if (*entry.pixelScale <= 0)
                reject("pixel_scale_arcsec must be > 0, got " + fields[3]);
        }
        return entry;
    }

    double number(const char *column, const std::string &text) const
    {
        double value = 0.0;
        const char *end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
            reject(std::string(column) + " is not a number: '" + text + "'");
        return value;
    }

    [[nodiscard]] std::string header() const
    {
        return joined({kColumns.begin(), kColumns.begin() + static_cast<std::ptrdiff_t>(m_columns)});
    }

    static std::string joined(const std::vector<std::string> &fields)
    {
        std::string out;
        for (const std::string &f : fields)
            out += (out.empty() ? "" : ",") + f;
        return out;
    }

    std::string m_source;
    int m_line = 0;
    std::size_t m_columns = 0;
    std::unordered_set<std::string> m_names;
};

} // namespace

LensCatalog LensCatalog::parse(std::istream &in, const std::string &source)
{
    LensCatalog catalog;
    catalog.m_source = source;
    catalog.m_entries = CatalogParser(source).parse(in);
    return catalog;
}

LensCatalog LensCatalog::readFile(const std::filesystem::path &path)
{
    std::ifstream in(path);
    if (!in)
        fail(path.string(), "cannot be opened for reading");
    return parse(in, path.string());
}

const LensMetadata *LensCatalog::find(const std::string &name) const
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                 [&](const LensMetadata &e) { return e.name == name; });
    return it == m_entries.end() ? nullptr : &*it;
}

const LensMetadata &LensCatalog::at(const std::string &name) const
{
    if (const LensMetadata *entry = find(name))
        return *entry;
    fail(m_source, "has no lens named '" + name + "'");
}

} // namespace astrorim::analysis
