#pragma once

// The PSF applied to one pixel of an n×n image (FITS order, row by row),
// shared by the operator's blurred columns and the inversion's normal
// matrix: the blur scatters pixel (y, x) to (y − c + a, x − c + b) with
// weight K[a][b], its adjoint (a correlation) to (y + c − a, x + c − b).
// Targets outside the image are dropped, as blur() drops them.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace astrorim::fit {

/// Calls add(cell, value · K[a][b]) for every in-image target of pixel
/// (y, x) under the k×k kernel K (k odd, row by row); zero weights are skipped.
template <typename Add>
void scatterThroughKernel(int y, int x, int n, const double *kernel, int k, bool adjoint, double value, Add &&add)
{
    const int c = k / 2, sign = adjoint ? -1 : 1;
    for (int a = 0; a < k; ++a) {
        const int ty = y + sign * (a - c);
        if (ty < 0 || ty >= n)
            continue;
        for (int b = 0; b < k; ++b) {
            const int tx = x + sign * (b - c);
            const double weight = kernel[a * k + b];
            if (tx < 0 || tx >= n || weight == 0)
                continue;
            add(static_cast<std::size_t>(ty) * n + tx, value * weight);
        }
    }
}

/// A dense scratch image that remembers the cells it touched, so that a
/// sparse column is accumulated, read and cleared in time proportional to
/// its entries rather than to the image.
class ScatterScratch
{
public:
    explicit ScatterScratch(std::size_t cells) : m_value(cells, 0.0), m_marked(cells, 0) {}

    void add(std::size_t cell, double value)
    {
        if (!m_marked[cell]) {
            m_marked[cell] = 1;
            m_touched.push_back(static_cast<int>(cell));
        }
        m_value[cell] += value;
    }
    /// The touched cells in ascending order.
    const std::vector<int> &sortedCells()
    {
        std::sort(m_touched.begin(), m_touched.end());
        return m_touched;
    }
    [[nodiscard]] const std::vector<int> &cells() const { return m_touched; }
    [[nodiscard]] double operator[](int cell) const { return m_value[static_cast<std::size_t>(cell)]; }
    void clear()
    {
        for (const int cell : m_touched) {
            m_value[static_cast<std::size_t>(cell)] = 0;
            m_marked[static_cast<std::size_t>(cell)] = 0;
        }
        m_touched.clear();
    }

private:
    std::vector<double> m_value;
    std::vector<char> m_marked;
    std::vector<int> m_touched;
};

} // namespace astrorim::fit
