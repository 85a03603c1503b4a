#include "fits/wcs.h"

#include "common/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <mutex>

#include <wcs.h>
#include <wcserr.h>
#include <wcshdr.h>

namespace astrorim::fits {

namespace {

constexpr double arcsecPerDegree = 3600.0;

// wcspih's flex scanner is re-entrant in recent wcslib releases but not in
// older ones, and wcserr_enable is global: serialize the parsing.
std::mutex &parseMutex()
{
    static std::mutex mutex;
    return mutex;
}

std::string errorText(const wcsprm *wcs, int status)
{
    if (wcs && wcs->err && wcs->err->msg[0])
        return wcs->err->msg;
    if (status > 0 && status <= WCSERR_UNSET)
        return wcs_errmsg[status];
    return "wcslib status " + std::to_string(status);
}

// A deep copy of `src` in fresh memory, owned by the caller (release with freeWcs).
wcsprm *copyWcs(const wcsprm *src, int *status)
{
    auto *dst = static_cast<wcsprm *>(std::calloc(1, sizeof(wcsprm)));
    if (!dst) {
        *status = WCSERR_MEMORY;
        return nullptr;
    }
    dst->flag = -1; // tells wcslib the struct holds no memory yet
    *status = wcssub(1, src, nullptr, nullptr, dst);
    return dst;
}

void freeWcs(wcsprm *wcs)
{
    if (wcs) {
        wcsfree(wcs);
        std::free(wcs);
    }
}

// CDELT_i * PC_ij, degrees per pixel, row-major, of a 2-axis WCS after
// wcsset. wcslib fills lin.piximg only when PC is not the unit matrix: for a
// header with CDELT alone, or with no matrix keywords at all, it stays null
// and the matrix is diag(CDELT). (Reading piximg there crashed on such
// headers; found by tests/fuzz/fuzz_fits.)
std::array<double, 4> pixelMatrix(const wcsprm *wcs)
{
    const linprm &lin = wcs->lin;
    if (lin.piximg)
        return {lin.piximg[0], lin.piximg[1], lin.piximg[2], lin.piximg[3]};
    return {lin.cdelt[0], 0.0, 0.0, lin.cdelt[1]};
}

// True when the value of an 80-character card is a string without its
// closing quote ('' inside a string is a quote, not the end).
bool hasUnterminatedString(const std::string &card)
{
    if (card.compare(8, 2, "= ") != 0)
        return false;
    const auto open = card.find_first_not_of(' ', 10);
    if (open == std::string::npos || card[open] != '\'')
        return false;
    for (auto at = open + 1; (at = card.find('\'', at)) != std::string::npos; at += 2)
        if (at + 1 == card.size() || card[at + 1] != '\'')
            return false;
    return true;
}

std::string trimDashes(std::string text)
{
    while (!text.empty() && (text.back() == '-' || text.back() == ' '))
        text.pop_back();
    return text;
}

} // namespace

struct Wcs::Impl
{
    wcsprm *wcs = nullptr;
    std::string file;

    Impl() = default;
    Impl(const Impl &) = delete;
    Impl &operator=(const Impl &) = delete;
    ~Impl() { freeWcs(wcs); }
};

Wcs::Wcs(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Wcs::Wcs(const Wcs &other) : m_impl(std::make_unique<Impl>())
{
    int status = 0;
    m_impl->file = other.m_impl->file;
    m_impl->wcs = copyWcs(other.m_impl->wcs, &status);
    if (status == 0)
        status = wcsset(m_impl->wcs);
    if (status != 0)
        fail(m_impl->file, "cannot copy the WCS: " + errorText(m_impl->wcs, status));
}

Wcs &Wcs::operator=(const Wcs &other)
{
    if (this != &other)
        *this = Wcs(other);
    return *this;
}

Wcs::Wcs(Wcs &&other) noexcept = default;
Wcs &Wcs::operator=(Wcs &&other) noexcept = default;
Wcs::~Wcs() = default;

std::optional<Wcs> Wcs::fromHeader(const FitsHeader &header, const std::string &fileForMessages)
{
    std::string text = header.cardText();
    // wcspih's scanner echoes what it cannot match to stdout; damaged
    // headers with control bytes would print garbage, so blank those out.
    for (char &c : text)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
            c = ' ';
    // wcslib 7.12's scanner overflows a buffer on a string value without its
    // closing quote (glibc then aborts the program; found by
    // tests/fuzz/fuzz_fits). No valid card has one: blank it, as cards that
    // cannot be parsed are skipped elsewhere.
    for (std::size_t at = 0; at + 80 <= text.size(); at += 80)
        if (hasUnterminatedString(text.substr(at, 80)))
            text.replace(at, 80, 80, ' ');
    const int records = static_cast<int>(text.size() / 80);
    if (records == 0)
        return std::nullopt;

    auto impl = std::make_unique<Impl>();
    impl->file = fileForMessages;
    {
        std::lock_guard lock(parseMutex());
        wcserr_enable(1);
        int rejected = 0;
        int count = 0;
        wcsprm *all = nullptr;
        const int status = wcspih(text.data(), records, WCSHDR_all, 0, &rejected, &count, &all);
        if (status != 0) {
            wcsvfree(&count, &all);
            fail(fileForMessages, "cannot parse the WCS keywords: " + errorText(nullptr, status));
        }
        if (count == 0) {
            wcsvfree(&count, &all);
            return std::nullopt;
        }
        // The primary description (alternate ' ') if there is one.
        int chosen = 0;
        for (int i = 0; i < count; ++i)
            if (all[i].alt[0] == ' ' || all[i].alt[0] == '\0') {
                chosen = i;
                break;
            }
        int copyStatus = 0;
        if (all[chosen].naxis == 2) {
            impl->wcs = copyWcs(&all[chosen], &copyStatus);
        } else {
            // Keep only pixel axes 1 and 2 (e.g. a cube with NAXIS3 = 1).
            auto *sub = static_cast<wcsprm *>(std::calloc(1, sizeof(wcsprm)));
            int axes[2] = {1, 2};
            int n = 2;
            if (sub) {
                sub->flag = -1;
                copyStatus = wcssub(1, &all[chosen], &n, axes, sub);
            } else {
                copyStatus = WCSERR_MEMORY;
            }
            impl->wcs = sub;
        }
        wcsvfree(&count, &all);
        if (copyStatus != 0)
            fail(fileForMessages, "cannot use the WCS of image axes 1 and 2: " + errorText(impl->wcs, copyStatus));
    }

    wcsprm *wcs = impl->wcs;
    const int status = wcsset(wcs);
    if (status == WCSERR_SINGULAR_MTX)
        fail(fileForMessages, "the WCS matrix (CD, or PC scaled by CDELT) is singular: the pixel axes do not "
                              "map to two independent sky directions");
    if (status != 0) {
        // A header whose only "WCS" is a linear default is not an error.
        fail(fileForMessages, "invalid WCS: " + errorText(wcs, status));
    }
    if (wcs->lng < 0 || wcs->lat < 0 || wcs->lng > 1 || wcs->lat > 1)
        return std::nullopt;

    // wcslib only refuses an exactly singular matrix; a nearly singular one
    // (rounded CD values of a degenerate header) is as useless.
    const auto m = pixelMatrix(wcs);
    const double det = m[0] * m[3] - m[1] * m[2];
    const double norm = std::max({std::abs(m[0]), std::abs(m[1]), std::abs(m[2]), std::abs(m[3])});
    if (!(std::abs(det) > 1e-10 * norm * norm))
        fail(fileForMessages, "the WCS matrix (CD, or PC scaled by CDELT) is singular: the pixel axes do not "
                              "map to two independent sky directions");
    return Wcs(std::move(impl));
}

SkyPosition Wcs::pixelToWorld(double col, double row) const
{
    wcsprm *wcs = m_impl->wcs;
    double pixel[2] = {col + 1.0, row + 1.0}; // FITS pixels are 1-based
    double intermediate[2] = {}, world[2] = {};
    double phi = 0, theta = 0;
    int stat[1] = {0};
    const int status = wcsp2s(wcs, 1, 2, pixel, intermediate, &phi, &theta, world, stat);
    if (status != 0)
        fail(m_impl->file, "pixel (" + std::to_string(col) + ", " + std::to_string(row)
                               + ") has no sky position: " + errorText(wcs, status));
    SkyPosition sky{world[wcs->lng], world[wcs->lat]};
    sky.ra = std::fmod(sky.ra, 360.0);
    if (sky.ra < 0)
        sky.ra += 360.0;
    return sky;
}

PixelPosition Wcs::worldToPixel(double ra, double dec) const
{
    wcsprm *wcs = m_impl->wcs;
    double world[2] = {};
    world[wcs->lng] = ra;
    world[wcs->lat] = dec;
    double intermediate[2] = {}, pixel[2] = {};
    double phi = 0, theta = 0;
    int stat[1] = {0};
    const int status = wcss2p(wcs, 1, 2, world, &phi, &theta, intermediate, pixel, stat);
    if (status != 0)
        fail(m_impl->file, "sky position (" + std::to_string(ra) + ", " + std::to_string(dec)
                               + ") cannot be projected onto the image: " + errorText(wcs, status));
    return {pixel[0] - 1.0, pixel[1] - 1.0};
}

std::array<double, 4> Wcs::jacobianArcsec() const
{
    const wcsprm *wcs = m_impl->wcs;
    const auto m = pixelMatrix(wcs);
    const int lngRow = wcs->lng;
    const int latRow = wcs->lat;
    return {m[lngRow * 2] * arcsecPerDegree, m[lngRow * 2 + 1] * arcsecPerDegree,
            m[latRow * 2] * arcsecPerDegree, m[latRow * 2 + 1] * arcsecPerDegree};
}

double Wcs::pixelScaleArcsec() const
{
    const auto j = jacobianArcsec();
    return std::sqrt(std::abs(j[0] * j[3] - j[1] * j[2]));
}

std::string Wcs::longitudeType() const
{
    const wcsprm *wcs = m_impl->wcs;
    return trimDashes(std::string(wcs->ctype[wcs->lng], 4));
}

std::string Wcs::projection() const
{
    return trimDashes(std::string(m_impl->wcs->cel.prj.code));
}

} // namespace astrorim::fits
