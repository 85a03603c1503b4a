// The fused CPU kernel (cpu_kernel.h). CMake compiles this file once per
// instruction set, naming the namespace in ASTRORIM_SIMD_TARGET and adding
// that set's -m flags; cpu_renderer.cpp picks one at run time.
//
// Work is done a sub-pixel row at a time in short arrays that stay in the L1
// cache, each stage a plain loop the compiler vectorizes (fast_math.h holds
// the vectorizable exp, log and atan). Profiles are skipped, a chunk of
// sub-pixels at a time, where they are below the torch path's exp clamp.

#include "simulation/cpu_kernel.h"

#include "simulation/fast_math.h"

#include <algorithm>
#include <cmath>

namespace astrorim::simulation::kernel::ASTRORIM_SIMD_TARGET {

namespace {

// light::sersic and light::gaussianBlobs clamp exponents here (tensor_light.cpp).
constexpr float kMinExponent = -70.0f;
// Floors of the torch path: R ≥ 1e-6 R_sersic (tensor_light.cpp),
// numerics::kMinRadius2, kNfwMinX² and the NFW kMinS2 (tensor_nfw.cpp).
constexpr float kMinSersicR2 = 1e-12f;
constexpr float kMinRadius2 = 1e-20f;
constexpr float kNfwMinX2 = 1e-16f;
constexpr float kNfwMinS2 = 1e-30f;
constexpr float kLn2 = 0.69314718055994530942f;

// Sub-pixels tested together before a profile is evaluated: long enough for
// the vector loops, short enough to skip most of the empty sky.
constexpr int kChunk = 64;

/// Per-thread rows of one sub-pixel line.
struct Scratch
{
    std::vector<float> x, y, alphaX, alphaY, betaX, betaY, source, lensed, light, clumps;

    void resize(int m)
    {
        for (auto *v : {&x, &y, &alphaX, &alphaY, &betaX, &betaY, &source, &lensed, &light, &clumps})
            v->resize(static_cast<std::size_t>(m));
    }
};

/// out[i] += component at (x[i], y[i]), skipping chunks where every point
/// lies beyond its cutoff. `Profile` gives r2(dx, dy) and value(r2).
template <class Profile>
void addProfile(const Profile &p, const float *x, const float *y, float *out, int m)
{
    for (int start = 0; start < m; start += kChunk) {
        const int len = std::min(kChunk, m - start);
        float r2[kChunk];
        int near = 0;
        for (int i = 0; i < len; ++i) {
            r2[i] = p.r2(x[start + i] - p.c.centerX, y[start + i] - p.c.centerY);
            near |= r2[i] < p.c.r2Cutoff;
        }
        if (!near)
            continue;
        for (int i = 0; i < len; ++i)
            out[start + i] += p.value(r2[i]);
    }
}

struct SersicProfile
{
    const Sersic &c;

    // (a dx + b dy) dx + c dy dy, in tensor_light.cpp's order.
    float r2(float dx, float dy) const { return (c.a * dx + c.b * dy) * dx + (c.c * dy) * dy; }

    float value(float r2) const
    {
        // (R/R_s)^{1/n} = exp(½ log(R²/R_s²) / n), then the clamped exponential.
        const float t = fastmath::exp(fastmath::log(std::max(r2, kMinSersicR2)) * c.halfInvN);
        return fastmath::exp(std::max(t * c.minusBn, kMinExponent)) * c.ampEb;
    }
};

struct GaussianProfile
{
    const Gaussian &c;

    float r2(float dx, float dy) const { return dx * dx + dy * dy; }
    float value(float r2) const { return fastmath::exp(std::max(r2 * c.minusHalfInvVar, kMinExponent)) * c.amp; }
};

/// The source light at (x[i], y[i]) into out: Sérsic components, then the
/// clumps summed apart and added, as render() adds gaussianBlobs to sersic.
void sourceLight(const System &sys, const float *x, const float *y, float *out, float *clumps, int m)
{
    std::fill(out, out + m, 0.0f);
    for (const Sersic &c : sys.source)
        addProfile(SersicProfile{c}, x, y, out, m);
    if (sys.clumps.empty())
        return;
    std::fill(clumps, clumps + m, 0.0f);
    for (const Gaussian &c : sys.clumps)
        addProfile(GaussianProfile{c}, x, y, clumps, m);
    for (int i = 0; i < m; ++i)
        out[i] += clumps[i];
}

/// SIE deflection into (ax, ay): closedFormInPlace in tensor_sie.cpp.
void sieDeflection(const Sie &p, const float *x, const float *y, float *ax, float *ay, int m)
{
    for (int i = 0; i < m; ++i) {
        const float dx = x[i] - p.centerX, dy = y[i] - p.centerY;
        const float xr = dx * p.cosPhi + dy * p.sinPhi;
        const float yr = dy * p.cosPhi + dx * -p.sinPhi;
        const float psi2 = std::max(xr * xr * p.q2 + yr * yr, kMinRadius2);
        const float tOverPsi = (1.0f / std::sqrt(psi2)) * p.t;
        const float atanU = fastmath::atan(xr * tOverPsi);
        const float v = yr * tOverPsi;
        // 2 atanh(v) = ln(1 + 2v/(1 − v))
        const float twiceAtanhV = fastmath::log1p(v / (v * -0.5f + 0.5f));
        ax[i] = atanU * p.ax + twiceAtanhV * -p.ay;
        ay[i] = atanU * p.bx + twiceAtanhV * p.by;
    }
}

/// Adds the external shear (γ1 x + γ2 y, γ2 x − γ1 y) (tensor_lens.cpp).
void addShear(float gamma1, float gamma2, const float *x, const float *y, float *ax, float *ay, int m)
{
    for (int i = 0; i < m; ++i) {
        ax[i] = ax[i] + x[i] * gamma1 + y[i] * gamma2;
        ay[i] = ay[i] + x[i] * gamma2 + y[i] * -gamma1;
    }
}

/// Adds θ_E (dx, dy)/r (tensor_lens.cpp).
void addSis(const Sis &p, const float *x, const float *y, float *ax, float *ay, int m)
{
    for (int i = 0; i < m; ++i) {
        const float dx = x[i] - p.centerX, dy = y[i] - p.centerY;
        const float factor = (1.0f / std::sqrt(std::max(dx * dx + dy * dy, kMinRadius2))) * p.thetaE;
        ax[i] += dx * factor;
        ay[i] += dy * factor;
    }
}

/// g(X)/X², deflectionFunctionInPlace in tensor_nfw.cpp, its 0/1 weights as selects.
float nfwDeflectionFunction(float X2)
{
    const float s = std::sqrt(std::max(std::fabs(X2 - 1.0f), kNfwMinS2));
    const float lnX2 = fastmath::log(X2);
    const float d = X2 / (s + 1.0f);
    const bool inner = X2 <= 0.75f; // s > ½: E = ln(1 − d/2) + d ln 2
    const float a = inner ? d * -0.5f : s;
    float g = fastmath::log1p(a) + (inner ? 2.0f : 1.0f) * a * -kLn2;
    g = (g + d * lnX2 * -0.5f) / s;
    const float outer = fastmath::atan(s) / s + lnX2 * 0.5f - kLn2;
    return (X2 >= 1.0f ? outer : g) / X2;
}

void addNfw(const Nfw &p, const float *x, const float *y, float *ax, float *ay, int m)
{
    for (int i = 0; i < m; ++i) {
        const float dx = x[i] - p.centerX, dy = y[i] - p.centerY;
        const float X2 = std::max((dx * dx + dy * dy) * p.invRs2, kNfwMinX2);
        const float factor = nfwDeflectionFunction(X2) * p.scale;
        ax[i] += dx * factor;
        ay[i] += dy * factor;
    }
}

/// lensing::deflection(LensSystemTensor): SIE, shear, SIS, NFW in that order.
void deflection(const System &sys, const float *x, const float *y, float *ax, float *ay, int m)
{
    sieDeflection(sys.sie, x, y, ax, ay, m);
    addShear(sys.gamma1, sys.gamma2, x, y, ax, ay, m);
    for (const Sis &p : sys.sis)
        addSis(p, x, y, ax, ay, m);
    for (const Nfw &p : sys.nfw)
        addNfw(p, x, y, ax, ay, m);
}

/// Adds each run of s sub-pixels of `fine` to its pixel in `sums`, in
/// avg_pool2d's order (row by row, left to right within a row).
void binInto(float *sums, const float *fine, int n, int s)
{
    for (int j = 0; j < n; ++j)
        for (int k = 0; k < s; ++k)
            sums[j] += fine[j * s + k];
}

} // namespace

void renderRow(const System &sys, const float *unit, int n, int s, int row, PixelRow out)
{
    const int m = n * s;
    thread_local Scratch w;
    w.resize(m);
    float *x = w.x.data(), *y = w.y.data();
    for (int i = 0; i < m; ++i)
        x[i] = unit[i] * sys.pixelScale;
    for (float *p : {out.source, out.lensed, out.light})
        std::fill(p, p + n, 0.0f);

    for (int sub = 0; sub < s; ++sub) {
        std::fill(y, y + m, unit[row * s + sub] * sys.pixelScale);
        sourceLight(sys, x, y, w.source.data(), w.clumps.data(), m);
        std::fill(w.light.begin(), w.light.end(), 0.0f);
        addProfile(SersicProfile{sys.lensLight}, x, y, w.light.data(), m);

        deflection(sys, x, y, w.alphaX.data(), w.alphaY.data(), m);
        for (int i = 0; i < m; ++i) {
            w.betaX[i] = x[i] - w.alphaX[i];
            w.betaY[i] = y[i] - w.alphaY[i];
        }
        sourceLight(sys, w.betaX.data(), w.betaY.data(), w.lensed.data(), w.clumps.data(), m);

        binInto(out.source, w.source.data(), n, s);
        binInto(out.lensed, w.lensed.data(), n, s);
        binInto(out.light, w.light.data(), n, s);
    }
    const float area = static_cast<float>(s * s);
    for (float *p : {out.source, out.lensed, out.light})
        for (int j = 0; j < n; ++j)
            p[j] /= area;
}

} // namespace astrorim::simulation::kernel::ASTRORIM_SIMD_TARGET
