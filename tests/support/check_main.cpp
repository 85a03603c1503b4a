#include "check.h"

#include "common/error.h"

#include <cstring>
#include <exception>
#include <iostream>
#include <vector>

namespace astrorim::test {

namespace {

struct TestCase
{
    const char *name;
    std::function<void()> body;
};

std::vector<TestCase> &registry()
{
    static std::vector<TestCase> tests;
    return tests;
}

} // namespace

void registerTest(const char *name, std::function<void()> body)
{
    registry().push_back({name, std::move(body)});
}

void fail(const char *file, int line, const std::string &what)
{
    throw Failure{std::string(file) + ":" + std::to_string(line) + ": " + what};
}

} // namespace astrorim::test

// Usage: <suite> [substring]   runs the test cases whose name contains substring.
int main(int argc, char **argv)
{
    using namespace astrorim::test;
    const char *filter = argc > 1 ? argv[1] : nullptr;
    int passed = 0, failed = 0, skipped = 0;
    for (const auto &test : registry()) {
        if (filter && !std::strstr(test.name, filter))
            continue;
        try {
            test.body();
            ++passed;
            std::cout << "PASS   " << test.name << '\n';
        } catch (const Skipped &s) {
            ++skipped;
            std::cout << "SKIP   " << test.name << ": " << s.reason << '\n';
        } catch (const Failure &f) {
            ++failed;
            std::cout << "FAIL!  " << test.name << "\n       " << f.message << '\n';
        } catch (const std::exception &e) {
            ++failed;
            std::cout << "FAIL!  " << test.name << "\n       unexpected exception: " << e.what() << '\n';
        }
        std::cout.flush();
    }
    std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
    return failed == 0 && passed + skipped > 0 ? 0 : 1;
}
