#pragma once

// A small, fast random number stream for the CPU noise path (noise.cpp):
// uniform, normal and Poisson deviates from SplitMix64. Each stream is named
// by (seed, index), so that a batch split into fixed blocks, one stream per
// block, gives the same numbers whichever thread draws each block. No
// LibTorch here. Not for cryptography.

#include <cstdint>

namespace astrorim::noise {

class RandomStream
{
public:
    /// Stream `index` of `seed`; different (seed, index) pairs give
    /// statistically independent streams.
    RandomStream(std::uint64_t seed, std::uint64_t index);

    /// The next 64 random bits (SplitMix64: Steele, Lea & Flood 2014).
    std::uint64_t bits();

    /// Uniform in [0, 1), 53 random bits.
    double uniform();

    /// Standard normal (Marsaglia's polar method; the second deviate of each
    /// pair is kept for the next call).
    double normal();

    /// Poisson with mean lambda ≥ 0 (finite): inversion by sequential search
    /// below lambda = 10, above it Hörmann's transformed rejection with
    /// squeeze, PTRS (W. Hörmann 1993, Insurance: Mathematics and Economics
    /// 12, 39-45), the algorithm of numpy's and at::poisson's samplers.
    std::int64_t poisson(double lambda);

private:
    std::int64_t poissonInversion(double lambda);
    std::int64_t poissonTransformedRejection(double lambda);

    std::uint64_t m_state;
    double m_spareNormal = 0.0;
    bool m_hasSpare = false;
};

} // namespace astrorim::noise
