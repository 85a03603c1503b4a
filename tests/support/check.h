#pragma once

// A small test harness for the core/ suites. They must build where Qt is
// absent (CUDA cluster nodes, see the ASTRORIM_WITH_QT option), so they cannot
// use Qt Test; the Qt suites (widgets, GUI) use Qt Test itself. Each suite is
// one executable; a failed check ends its test case, and the runner prints
// "N passed, N failed, N skipped" and exits non-zero on any failure.

#include <cmath>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>

// LibTorch's glog (pulled in by the precompiled torch header) defines CHECK,
// CHECK_EQ and CHECK_NEAR; the suites use this harness's, so include check.h
// after any LibTorch header.
#undef CHECK
#undef CHECK_EQ
#undef CHECK_NEAR

namespace astrorim::test {

struct Failure
{
    std::string message;
};

struct Skipped
{
    std::string reason;
};

void registerTest(const char *name, std::function<void()> body);

struct Registrar
{
    Registrar(const char *name, std::function<void()> body) { registerTest(name, std::move(body)); }
};

[[noreturn]] void fail(const char *file, int line, const std::string &what);

inline double relativeDifference(double actual, double expected)
{
    const double scale = std::max(std::abs(expected), 1e-300);
    return std::abs(actual - expected) / scale;
}

} // namespace astrorim::test

#define ASTRORIM_CONCAT_(a, b) a##b
#define ASTRORIM_CONCAT(a, b) ASTRORIM_CONCAT_(a, b)

/// Defines a test case: TEST_CASE(sisMeanKappaIsOne) { ... }
#define TEST_CASE(name)                                                                     \
    static void name();                                                                     \
    static ::astrorim::test::Registrar ASTRORIM_CONCAT(registrar_, name)(#name, &name);     \
    static void name()

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond))                                                                        \
            ::astrorim::test::fail(__FILE__, __LINE__, "CHECK(" #cond ") failed");         \
    } while (0)

#define CHECK_MSG(cond, msg)                                                                \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            std::ostringstream os_;                                                         \
            os_ << "CHECK(" #cond ") failed: " << msg;                                      \
            ::astrorim::test::fail(__FILE__, __LINE__, os_.str());                          \
        }                                                                                   \
    } while (0)

#define CHECK_EQ(actual, expected)                                                          \
    do {                                                                                    \
        /* copies: `actual` may be a member of a temporary */                              \
        const auto a_ = (actual);                                                           \
        const auto e_ = (expected);                                                         \
        if (!(a_ == e_)) {                                                                  \
            std::ostringstream os_;                                                         \
            os_ << #actual " == " #expected " failed: " << a_ << " != " << e_;              \
            ::astrorim::test::fail(__FILE__, __LINE__, os_.str());                          \
        }                                                                                   \
    } while (0)

/// |actual - expected| <= tol
#define CHECK_NEAR(actual, expected, tol)                                                   \
    do {                                                                                    \
        const double a_ = (actual), e_ = (expected), t_ = (tol);                            \
        if (!(std::abs(a_ - e_) <= t_)) {                                                   \
            std::ostringstream os_;                                                         \
            os_.precision(12);                                                              \
            os_ << #actual " = " << a_ << ", expected " << e_ << " within " << t_           \
                << " (off by " << std::abs(a_ - e_) << ")";                                 \
            ::astrorim::test::fail(__FILE__, __LINE__, os_.str());                          \
        }                                                                                   \
    } while (0)

/// |actual - expected| / |expected| <= rel
#define CHECK_REL(actual, expected, rel)                                                    \
    do {                                                                                    \
        const double a_ = (actual), e_ = (expected), r_ = (rel);                            \
        const double d_ = ::astrorim::test::relativeDifference(a_, e_);                     \
        if (!(d_ <= r_)) {                                                                  \
            std::ostringstream os_;                                                         \
            os_.precision(12);                                                              \
            os_ << #actual " = " << a_ << ", expected " << e_ << " within relative " << r_  \
                << " (relative difference " << d_ << ")";                                   \
            ::astrorim::test::fail(__FILE__, __LINE__, os_.str());                          \
        }                                                                                   \
    } while (0)

/// `expr` must throw astrorim::Error whose message contains every given substring.
#define CHECK_THROWS_WITH(expr, ...)                                                        \
    do {                                                                                    \
        bool threw_ = false;                                                                \
        try {                                                                               \
            (void)(expr);                                                                   \
        } catch (const ::astrorim::Error &e_) {                                             \
            threw_ = true;                                                                  \
            const std::string msg_ = e_.what();                                             \
            for (const std::string &sub_ : std::initializer_list<std::string>{__VA_ARGS__})                                  \
                if (msg_.find(sub_) == std::string::npos)                                   \
                    ::astrorim::test::fail(__FILE__, __LINE__,                              \
                                           "error message '" + msg_ + "' lacks '" + sub_ + "'"); \
        }                                                                                   \
        if (!threw_)                                                                        \
            ::astrorim::test::fail(__FILE__, __LINE__, #expr " did not throw astrorim::Error"); \
    } while (0)

#define SKIP(reason) throw ::astrorim::test::Skipped{reason}
