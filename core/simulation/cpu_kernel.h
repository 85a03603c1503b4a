#pragma once

// The fused CPU kernel of the simulator (cpu_renderer.h): one system's
// parameters as plain floats, and the per-ISA entry points that render one
// row of binned pixels. No LibTorch here, so that cpu_kernel.cpp compiles
// quickly once per instruction set. Internal to the simulator.
//
// The formulas are those of the torch path, term by term and in the same
// float32 arithmetic: light::sersic and light::gaussianBlobs
// (light/tensor_light.cpp), and the in-place closed forms of
// lensing::deflection (lensing/tensor_sie.cpp, tensor_lens.cpp,
// tensor_nfw.cpp). The coefficients are computed by those files' own code
// (cpu_renderer.cpp) and only read here.

#include <vector>

namespace astrorim::simulation::kernel {

/// One elliptical Sérsic component: I = ampEb · exp(max(minusBn · (r²)^halfInvN, −70)),
/// r² = a dx² + b dx dy + c dy² (in units of R_sersic²).
struct Sersic
{
    float centerX, centerY, a, b, c, halfInvN, minusBn, ampEb;
    /// r² beyond which the exponent is below −70, where the torch path's
    /// clamp makes the value the constant ampEb·e^−70 ≈ 4e−31·ampEb: those
    /// sub-pixels are skipped (see cpu_renderer.h for the error this makes).
    float r2Cutoff;
};

/// One circular Gaussian clump: amp · exp(max(minusHalfInvVar · r², −70)).
struct Gaussian
{
    float centerX, centerY, minusHalfInvVar, amp;
    float r2Cutoff; ///< r² beyond which the exponent is below −70
};

/// SIE closed form (tensor_sie.cpp, SieShape) with its centre.
struct Sie
{
    float centerX, centerY, cosPhi, sinPhi, q2, t, ax, ay, bx, by;
};

struct Sis
{
    float centerX, centerY, thetaE;
};

struct Nfw
{
    float centerX, centerY, invRs2, scale; ///< scale = alpha_Rs / (Rs (1 + ln ½))
};

/// Everything the kernel needs for one system. Absent components, clumps and
/// perturbers are left out: their amplitude or strength is exactly 0, so
/// the torch path adds exact zeros for them.
struct System
{
    float pixelScale; ///< arcsec per pixel
    std::vector<Sersic> source;
    std::vector<Gaussian> clumps;
    Sersic lensLight;
    Sie sie;
    float gamma1, gamma2;
    std::vector<Sis> sis; ///< zero or one
    std::vector<Nfw> nfw; ///< zero or one
};

/// One row of binned output pixels (n floats each): the unlensed source, the
/// lensed source and the lens light, each the mean over its s × s sub-pixels.
struct PixelRow
{
    float *source, *lensed, *light;
};

/// Renders pixel row `row` (0 = bottom) of an n × n image with s × s
/// supersampling. `unit` holds the n·s sub-pixel centres in pixels from the
/// image centre. Thread-safe; uses thread-local scratch memory.
using RenderRowFn = void (*)(const System &system, const float *unit, int n, int s, int row, PixelRow out);

namespace baseline {
void renderRow(const System &system, const float *unit, int n, int s, int row, PixelRow out);
}
namespace avx2 {
void renderRow(const System &system, const float *unit, int n, int s, int row, PixelRow out);
}
namespace avx512 {
void renderRow(const System &system, const float *unit, int n, int s, int row, PixelRow out);
}

/// The renderRow to use: the one named by the environment variable
/// ASTRORIM_SIMD (baseline, avx2 or avx512; for benchmarks and tests) if this
/// CPU runs it, else the best this CPU runs (x86-64: AVX-512, AVX2 + FMA or
/// the SSE2 baseline; the baseline build elsewhere).
RenderRowFn chooseRenderRow();

/// Whether this CPU runs the named kernel ("baseline", "avx2", "avx512").
bool runsKernel(const char *name);

} // namespace astrorim::simulation::kernel
