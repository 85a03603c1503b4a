#include "analysis/critical_curves.h"

#include "common/error.h"
#include "lensing/lens_model.h"
#include "lensing/validation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <map>
#include <numbers>
#include <set>

namespace astrorim::analysis {

namespace {

using lensing::LensModel;
using lensing::Vec2;

// det A sampled on (cells + 1)² nodes; node (i, j) sits at row i (y), column j (x).
class DeterminantGrid
{
public:
    DeterminantGrid(const LensModel &model, const CriticalCurveGrid &grid)
        : m_model(model), m_nodes(grid.cells + 1), m_step(2.0 * grid.halfWidth / grid.cells),
          m_x0(grid.center.x - grid.halfWidth), m_y0(grid.center.y - grid.halfWidth)
    {
        m_values.reserve(static_cast<std::size_t>(m_nodes) * m_nodes);
        for (int i = 0; i < m_nodes; ++i)
            for (int j = 0; j < m_nodes; ++j)
                m_values.push_back(jacobianDeterminant(model, x(j), y(i)));
    }

    [[nodiscard]] int nodes() const { return m_nodes; }
    [[nodiscard]] double x(int j) const { return m_x0 + j * m_step; }
    [[nodiscard]] double y(int i) const { return m_y0 + i * m_step; }
    [[nodiscard]] double value(int i, int j) const { return m_values[index(i, j)]; }
    [[nodiscard]] bool positive(int i, int j) const { return value(i, j) > 0; }
    [[nodiscard]] std::size_t index(int i, int j) const { return static_cast<std::size_t>(i) * m_nodes + j; }
    [[nodiscard]] const LensModel &model() const { return m_model; }

private:
    const LensModel &m_model;
    int m_nodes;
    double m_step, m_x0, m_y0;
    std::vector<double> m_values;
};

// Edges are named by their lower-left node and direction: 2·node for the
// edge to the right (+x), 2·node + 1 for the edge upwards (+y).
using EdgeId = std::uint64_t;

EdgeId rightEdge(const DeterminantGrid &g, int i, int j) { return 2 * g.index(i, j); }
EdgeId upEdge(const DeterminantGrid &g, int i, int j) { return 2 * g.index(i, j) + 1; }

// The zero of det A on an edge, by regula falsi with the Illinois
// modification (superlinear, and it keeps the bracket), from a linear start.
Vec2 edgeCrossing(const DeterminantGrid &g, EdgeId edge)
{
    const auto node = static_cast<std::size_t>(edge / 2);
    const int i = static_cast<int>(node / g.nodes()), j = static_cast<int>(node % g.nodes());
    const bool up = edge % 2 == 1;
    const Vec2 a{g.x(j), g.y(i)};
    const Vec2 b = up ? Vec2{g.x(j), g.y(i + 1)} : Vec2{g.x(j + 1), g.y(i)};
    double ta = 0.0, tb = 1.0, fa = g.value(i, j), fb = up ? g.value(i + 1, j) : g.value(i, j + 1);
    auto at = [&](double t) { return Vec2{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}; };
    double t = ta - fa * (tb - ta) / (fb - fa);
    for (int iteration = 0; iteration < 60 && tb - ta > 1e-12; ++iteration) {
        t = ta - fa * (tb - ta) / (fb - fa);
        const Vec2 p = at(t);
        const double ft = jacobianDeterminant(g.model(), p.x, p.y);
        if (ft == 0.0)
            break;
        if ((ft > 0) == (fa > 0)) {
            ta = t, fa = ft;
            fb *= 0.5;
        } else {
            tb = t, fb = ft;
            fa *= 0.5;
        }
    }
    return at(t);
}

// Whether the cell with lower-left node (i, j) touches the centre of a
// singular isothermal component (see the header).
bool touchesSingularCentre(const DeterminantGrid &g, const std::vector<Vec2> &centres, int i, int j)
{
    const double slack = 1e-9 * (g.x(1) - g.x(0));
    for (const Vec2 &c : centres)
        if (c.x >= g.x(j) - slack && c.x <= g.x(j + 1) + slack && c.y >= g.y(i) - slack && c.y <= g.y(i + 1) + slack)
            return true;
    return false;
}

std::vector<Vec2> singularCentres(const LensModel &model)
{
    std::vector<Vec2> centres;
    for (const auto &component : model.components) {
        if (const auto *sie = std::get_if<lensing::SieParams>(&component))
            centres.push_back({sie->center_x, sie->center_y});
        if (const auto *sis = std::get_if<lensing::SisParams>(&component))
            centres.push_back({sis->center_x, sis->center_y});
    }
    return centres;
}

// Segment graph: each crossed edge links to the (at most two) edges it
// shares a cell segment with.
using SegmentGraph = std::map<EdgeId, std::vector<EdgeId>>; // ordered: curves come out in a fixed order

void link(SegmentGraph &graph, EdgeId a, EdgeId b)
{
    graph[a].push_back(b);
    graph[b].push_back(a);
}

// Marching squares for one cell. Its edges in counter-clockwise order from
// the bottom: bottom, right, top, left; edge k joins corner k and corner k+1
// (corners bottom-left, bottom-right, top-right, top-left).
void addCellSegments(const DeterminantGrid &g, int i, int j, SegmentGraph &graph)
{
    const std::array<bool, 4> corner = {g.positive(i, j), g.positive(i, j + 1), g.positive(i + 1, j + 1),
                                        g.positive(i + 1, j)};
    const std::array<EdgeId, 4> edge = {rightEdge(g, i, j), upEdge(g, i, j + 1), rightEdge(g, i + 1, j),
                                        upEdge(g, i, j)};
    std::vector<int> crossed;
    for (int k = 0; k < 4; ++k)
        if (corner[k] != corner[(k + 1) % 4])
            crossed.push_back(k);
    if (crossed.size() == 2) {
        link(graph, edge[crossed[0]], edge[crossed[1]]);
    } else if (crossed.size() == 4) {
        // A saddle: the sign at the cell centre decides which corners connect.
        const double step = g.x(1) - g.x(0);
        const bool centre = jacobianDeterminant(g.model(), g.x(j) + 0.5 * step, g.y(i) + 0.5 * step) > 0;
        if (centre == corner[0]) { // bottom-left joins top-right: cut off the other two corners
            link(graph, edge[0], edge[1]);
            link(graph, edge[2], edge[3]);
        } else {
            link(graph, edge[3], edge[0]);
            link(graph, edge[1], edge[2]);
        }
    }
}

// Walks one chain from `start` through unvisited edges until it ends; a
// chain whose last edge links back to `start` is a loop and repeats it.
std::vector<EdgeId> walkChain(const SegmentGraph &graph, EdgeId start, std::set<EdgeId> &visited)
{
    std::vector<EdgeId> chain{start};
    visited.insert(start);
    for (bool extended = true; extended;) {
        extended = false;
        for (EdgeId candidate : graph.at(chain.back()))
            if (visited.insert(candidate).second) {
                chain.push_back(candidate);
                extended = true;
                break;
            }
    }
    const std::vector<EdgeId> &last = graph.at(chain.back());
    if (chain.size() > 2 && std::find(last.begin(), last.end(), start) != last.end())
        chain.push_back(start);
    return chain;
}

CriticalCurve traceCurve(const DeterminantGrid &g, const std::vector<EdgeId> &chain)
{
    CriticalCurve curve;
    curve.closed = chain.size() > 2 && chain.front() == chain.back();
    for (EdgeId edge : chain) {
        const Vec2 p = edgeCrossing(g, edge);
        const Vec2 alpha = lensing::deflection(g.model(), p.x, p.y);
        curve.critical.push_back(p);
        curve.caustic.push_back({p.x - alpha.x, p.y - alpha.y});
    }
    return curve;
}

void validate(const CriticalCurveGrid &grid)
{
    if (!(std::isfinite(grid.halfWidth) && grid.halfWidth > 0))
        fail("critical curve halfWidth",
             "must be a finite number > 0 arcsec, got " + lensing::validation::describe(grid.halfWidth));
    if (grid.cells < 2)
        fail("critical curve cells", "must be at least 2, got " + std::to_string(grid.cells));
    if (!std::isfinite(grid.center.x) || !std::isfinite(grid.center.y))
        fail("critical curve centre", "must be finite");
}

} // namespace

double jacobianDeterminant(const LensModel &model, double x, double y)
{
    const lensing::Hessian h = lensing::hessian(model, x, y);
    return (1.0 - h.f_xx) * (1.0 - h.f_yy) - h.f_xy * h.f_xy;
}

std::vector<CriticalCurve> criticalCurves(const LensModel &model, const CriticalCurveGrid &grid)
{
    validate(grid);
    lensing::validate(model);
    const DeterminantGrid g(model, grid);
    const std::vector<Vec2> centres = singularCentres(model);
    SegmentGraph graph;
    for (int i = 0; i + 1 < g.nodes(); ++i)
        for (int j = 0; j + 1 < g.nodes(); ++j)
            if (!touchesSingularCentre(g, centres, i, j))
                addCellSegments(g, i, j, graph);

    // Open chains start at an end (one neighbour); what is left are loops.
    std::set<EdgeId> visited;
    std::vector<CriticalCurve> curves;
    for (int pass = 0; pass < 2; ++pass)
        for (const auto &[edge, neighbours] : graph)
            if (!visited.contains(edge) && (pass == 1 || neighbours.size() == 1))
                curves.push_back(traceCurve(g, walkChain(graph, edge, visited)));
    return curves;
}

std::vector<Vec2> singularCut(const LensModel &model, Vec2 center, int samples)
{
    if (samples < 3)
        fail("cut samples", "must be at least 3, got " + std::to_string(samples));
    lensing::validate(model);
    constexpr double kApproach = 1e-7; // arcsec from the centre
    std::vector<Vec2> cut;
    cut.reserve(static_cast<std::size_t>(samples) + 1);
    for (int k = 0; k < samples; ++k) {
        const double phi = 2.0 * std::numbers::pi * k / samples;
        const Vec2 theta{center.x + kApproach * std::cos(phi), center.y + kApproach * std::sin(phi)};
        const Vec2 alpha = lensing::deflection(model, theta.x, theta.y);
        cut.push_back({theta.x - alpha.x, theta.y - alpha.y});
    }
    cut.push_back(cut.front());
    return cut;
}

} // namespace astrorim::analysis
