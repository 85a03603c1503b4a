#pragma once

// Branch-free float32 exp, log, log1p and atan that GCC and Clang
// auto-vectorize: loops calling them compile to SIMD code at whatever width
// the translation unit targets (cpu_kernel.cpp is built once per ISA). The
// polynomials are Cephes' (S. L. Moshier, expf.c, logf.c, atanf.c), accurate
// to 1-2 ulp over the ranges noted, like the Sleef (1.0 ulp) functions that
// ATen's vectorized CPU ops call, so the fused kernel and the torch path agree
// to float32 rounding. Internal to the simulator.
//
// Every function lives in the namespace ASTRORIM_SIMD_TARGET names: the
// copies built for different ISAs must not be merged by the linker.

#include <bit>
#include <cstdint>

#ifndef ASTRORIM_SIMD_TARGET
#error "define ASTRORIM_SIMD_TARGET (the per-ISA namespace) before including fast_math.h"
#endif

namespace astrorim::simulation::kernel::ASTRORIM_SIMD_TARGET::fastmath {

/// e^x for x in [−87.3, 88.7] (x is clamped there; callers stay above −70).
inline float exp(float x)
{
    x = x < -87.3365f ? -87.3365f : x;
    x = x > 88.7228f ? 88.7228f : x;
    // n = round(x / ln 2) by the 1.5·2^23 trick (no rounding instruction on
    // SSE2); x − n ln 2 in two parts keeps the reduction exact.
    constexpr float kRound = 12582912.0f;
    const float n = (x * 1.44269504088896341f + kRound) - kRound;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * (r * r) + r + 1.0f;
    const std::int32_t e = static_cast<std::int32_t>(n);
    return y * std::bit_cast<float>((e + 127) << 23);
}

/// ln x for positive, normal, finite x.
inline float log(float x)
{
    const std::int32_t bits = std::bit_cast<std::int32_t>(x);
    // x = m·2^e with m in [½, 1); then m in [√½, √2) around 1 for the polynomial.
    std::int32_t e = ((bits >> 23) & 0xff) - 126;
    float m = std::bit_cast<float>((bits & 0x007fffff) | 0x3f000000);
    const bool low = m < 0.707106781186547524f;
    e = low ? e - 1 : e;
    m = (low ? m + m : m) - 1.0f;
    const float z = m * m;
    float y = 7.0376836292e-2f;
    y = y * m + -1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m + -1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m + -1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m + -2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    const float fe = static_cast<float>(e);
    y += fe * -2.12194440e-4f;
    y += -0.5f * z;
    return (m + y) + fe * 0.693359375f;
}

/// ln(1 + x) for x > −1, accurate for small x: with u = 1 + x rounded,
/// ln u · x/(u − 1) cancels the rounding of u (Goldberg 1991, theorem 4).
inline float log1p(float x)
{
    const float u = 1.0f + x;
    const float d = u - 1.0f;
    // Both sides are computed and one selected, so that the loop vectorizes.
    const float corrected = log(u) * (x / d);
    return d == 0.0f ? x : corrected;
}

/// atan x for finite x.
inline float atan(float x)
{
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    const float a = std::bit_cast<float>(bits & 0x7fffffffu);
    // Reduce to |z| ≤ tan(π/8): atan a = π/2 + atan(−1/a) or π/4 + atan((a − 1)/(a + 1)).
    const bool big = a > 2.414213562373095f;
    const bool mid = a > 0.4142135623730950f;
    const float num = big ? -1.0f : (mid ? a - 1.0f : a);
    const float den = big ? a : (mid ? a + 1.0f : 1.0f);
    const float offset = big ? 1.5707963267948966f : (mid ? 0.7853981633974483f : 0.0f);
    const float z = num / den;
    const float zz = z * z;
    float p = 8.05374449538e-2f;
    p = p * zz - 1.38776856032e-1f;
    p = p * zz + 1.99777106478e-1f;
    p = p * zz - 3.33329491539e-1f;
    const float r = offset + (p * zz * z + z);
    return std::bit_cast<float>(std::bit_cast<std::uint32_t>(r) | (bits & 0x80000000u));
}

} // namespace astrorim::simulation::kernel::ASTRORIM_SIMD_TARGET::fastmath
