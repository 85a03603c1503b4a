#include "simulation/cpu_renderer.h"

#include "simulation/cpu_kernel.h"
#include "simulation/simulator.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

namespace astrorim::simulation {

namespace {

using torch::Tensor;

/// A [B] or [B, K] parameter copied to the host as float32, read as (b, k).
class HostTable
{
public:
    explicit HostTable(const Tensor &t)
        : m_values(t.to(torch::kCPU, torch::kFloat).contiguous()), m_columns(m_values.dim() == 2 ? m_values.size(1) : 1)
    {
    }

    float operator()(std::int64_t b, std::int64_t k = 0) const { return m_values.data_ptr<float>()[b * m_columns + k]; }
    [[nodiscard]] std::int64_t columns() const { return m_columns; }

private:
    Tensor m_values;
    std::int64_t m_columns;
};

// tensor_light.cpp clamps exponents at −70. Past a cutoff the torch path's
// value is that floor: the cutoff r² carries 1e−3 of headroom, ~100 times
// the float32 rounding of the exponent over any n the presets draw.
constexpr double kClampedExponent = 70.0;
constexpr double kCutoffHeadroom = 1.0 + 1e-3;

float cutoff(double r2)
{
    return r2 < 1e38 ? static_cast<float>(r2 * kCutoffHeadroom) : std::numeric_limits<float>::infinity();
}

/// The Sérsic parameters of a [B] or [B, K] profile, on the host.
struct SersicTables
{
    HostTable amp, centerX, centerY, a, b, c, halfInvN, minusBn, ampEb;

    explicit SersicTables(const light::SersicTensor &p) : SersicTables(p, light::sersicCoefficients(p)) {}

    SersicTables(const light::SersicTensor &p, const light::SersicCoefficients &k)
        : amp(p.amp), centerX(p.center_x), centerY(p.center_y), a(k.a), b(k.b), c(k.c), halfInvN(k.halfInvN),
          minusBn(k.minusBn), ampEb(k.ampEb)
    {
    }

    [[nodiscard]] kernel::Sersic at(std::int64_t s, std::int64_t k) const
    {
        // minusBn · (r²)^halfInvN < −70 beyond r² = (70/b_n)^(1/halfInvN).
        const double bn = -minusBn(s, k);
        const double r2 = bn > 0 ? std::pow(kClampedExponent / bn, 1.0 / halfInvN(s, k))
                                 : std::numeric_limits<double>::infinity();
        return {centerX(s, k), centerY(s, k), a(s, k), b(s, k), c(s, k), halfInvN(s, k), minusBn(s, k), ampEb(s, k),
                cutoff(r2)};
    }
};

/// The clumps of a batch, on the host; minusHalfInvVar as gaussianBlobs computes it.
struct GaussianTables
{
    HostTable amp, centerX, centerY, minusHalfInvVar;

    explicit GaussianTables(const light::GaussianBlobsTensor &p)
        : amp(p.amp), centerX(p.center_x), centerY(p.center_y), minusHalfInvVar(-0.5 / (p.sigma * p.sigma))
    {
    }

    [[nodiscard]] kernel::Gaussian at(std::int64_t s, std::int64_t k) const
    {
        const double r2 = kClampedExponent / -static_cast<double>(minusHalfInvVar(s, k));
        return {centerX(s, k), centerY(s, k), minusHalfInvVar(s, k), amp(s, k), cutoff(r2)};
    }
};

/// The lens of a batch, on the host, with the constants deflection() uses.
struct LensTables
{
    HostTable sieX, sieY, cosPhi, sinPhi, q2, t, ax, ay, bx, by, gamma1, gamma2;
    HostTable sisThetaE, sisX, sisY, nfwX, nfwY, invRs2, nfwScale;
    bool hasSis, hasNfw;

    explicit LensTables(const lensing::LensSystemTensor &lens)
        : LensTables(lens, lensing::sieClosedForm(lens.sie), lensing::nfwScales(lens.nfw))
    {
    }

    LensTables(const lensing::LensSystemTensor &lens, const lensing::SieClosedForm &k, const lensing::NfwScales &nfw)
        : sieX(lens.sie.center_x), sieY(lens.sie.center_y), cosPhi(k.cosPhi), sinPhi(k.sinPhi), q2(k.q2), t(k.t),
          ax(k.ax), ay(k.ay), bx(k.bx), by(k.by), gamma1(lens.shear.gamma1), gamma2(lens.shear.gamma2),
          sisThetaE(lens.sis.theta_E), sisX(lens.sis.center_x), sisY(lens.sis.center_y),
          nfwX(lens.nfw.center_x), nfwY(lens.nfw.center_y), invRs2(nfw.invRs2), nfwScale(nfw.scale),
          hasSis(lens.hasSis), hasNfw(lens.hasNfw)
    {
    }

    /// Fills the lens of system s; a perturber of zero strength deflects
    /// nothing (the torch path adds exact zeros) and is left out.
    void fill(kernel::System &out, std::int64_t s) const
    {
        out.sie = {sieX(s), sieY(s), cosPhi(s), sinPhi(s), q2(s), t(s), ax(s), ay(s), bx(s), by(s)};
        out.gamma1 = gamma1(s);
        out.gamma2 = gamma2(s);
        if (hasSis && sisThetaE(s) != 0.0f)
            out.sis.push_back({sisX(s), sisY(s), sisThetaE(s)});
        if (hasNfw && nfwScale(s) != 0.0f)
            out.nfw.push_back({nfwX(s), nfwY(s), invRs2(s), nfwScale(s)});
    }
};

std::vector<kernel::System> hostSystems(const SampledSystems &sys)
{
    const SersicTables source(sys.source), lensLight(sys.lensLight);
    const std::optional<GaussianTables> clumps =
        sys.clumps.amp.numel() > 0 ? std::optional<GaussianTables>(sys.clumps) : std::nullopt;
    const LensTables lens(sys.lens);
    const HostTable pixelScale(sys.pixelScale);

    std::vector<kernel::System> out(static_cast<std::size_t>(sys.pixelScale.size(0)));
    for (std::int64_t s = 0; s < static_cast<std::int64_t>(out.size()); ++s) {
        kernel::System &k = out[static_cast<std::size_t>(s)];
        k.pixelScale = pixelScale(s);
        // Absent components and clumps have amplitude exactly 0.
        for (std::int64_t c = 0; c < source.amp.columns(); ++c)
            if (source.amp(s, c) != 0.0f)
                k.source.push_back(source.at(s, c));
        for (std::int64_t c = 0; clumps && c < clumps->amp.columns(); ++c)
            if (clumps->amp(s, c) != 0.0f)
                k.clumps.push_back(clumps->at(s, c));
        k.lensLight = lensLight.at(s, 0);
        lens.fill(k, s);
    }
    return out;
}

} // namespace

namespace kernel {

bool runsKernel(const char *name)
{
    if (std::strcmp(name, "baseline") == 0)
        return true;
#if defined(ASTRORIM_SIMD_X86)
    __builtin_cpu_init();
    if (std::strcmp(name, "avx2") == 0)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (std::strcmp(name, "avx512") == 0)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
               && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
#endif
    return false;
}

RenderRowFn chooseRenderRow()
{
    const char *wanted = std::getenv("ASTRORIM_SIMD");
#if defined(ASTRORIM_SIMD_X86)
    const std::pair<const char *, RenderRowFn> kernels[] = {
        {"avx512", avx512::renderRow}, {"avx2", avx2::renderRow}, {"baseline", baseline::renderRow}};
#else
    const std::pair<const char *, RenderRowFn> kernels[] = {{"baseline", baseline::renderRow}};
#endif
    if (wanted)
        for (const auto &[name, fn] : kernels)
            if (std::strcmp(name, wanted) == 0 && runsKernel(name))
                return fn;
    for (const auto &[name, fn] : kernels)
        if (runsKernel(name))
            return fn;
    return baseline::renderRow;
}

} // namespace kernel

BinnedLight renderBinnedOnCpu(const SampledSystems &systems, const Tensor &unitCoordinates, int gridSize,
                              int supersample)
{
    const std::vector<kernel::System> hosts = hostSystems(systems);
    const auto batch = static_cast<std::int64_t>(hosts.size());
    const std::int64_t n = gridSize;
    const auto options = torch::TensorOptions().dtype(torch::kFloat);
    BinnedLight out{torch::empty({batch, n, n}, options), torch::empty({batch, n, n}, options),
                    torch::empty({batch, n, n}, options)};
    const Tensor unit = unitCoordinates.to(torch::kCPU, torch::kFloat).contiguous();
    const float *unitData = unit.data_ptr<float>();
    const kernel::RenderRowFn renderRow = kernel::chooseRenderRow();

    // Threads take pixel rows from a shared counter: systems differ in cost
    // (components, clumps, perturbers), and a thread that the OS deschedules
    // on a busy machine leaves its share to the others instead of stalling
    // the batch at the end.
    const std::int64_t tasks = batch * n;
    const std::int64_t workers = std::min<std::int64_t>(at::get_num_threads(), tasks);
    std::atomic<std::int64_t> next{0};
    at::parallel_for(0, workers, 1, [&](std::int64_t, std::int64_t) {
        for (std::int64_t task = next++; task < tasks; task = next++) {
            const std::int64_t s = task / n, row = task % n;
            const std::int64_t offset = (s * n + row) * n;
            renderRow(hosts[static_cast<std::size_t>(s)], unitData, gridSize, supersample, static_cast<int>(row),
                      {out.source.data_ptr<float>() + offset, out.lensed.data_ptr<float>() + offset,
                       out.light.data_ptr<float>() + offset});
        }
    });
    return out;
}

} // namespace astrorim::simulation
