#include "command_runner.h"

#include "common/error.h"
#include "nn/device_choice.h"

#include <torch/torch.h>

#include <csignal>
#include <iostream>
#include <sstream>
#include <thread>

namespace astrorim::cli {

int runCommand(ArgumentParser &parser, const std::vector<std::string> &args, const std::function<int()> &body)
{
    try {
        parser.parse(args);
        if (parser.isSet("help")) {
            std::cout << parser.usage();
            return 0;
        }
        return body();
    } catch (const UsageError &e) {
        std::cerr << "astrorim-cli: " << e.message << "\n\n" << parser.usage();
        return 2;
    } catch (const std::exception &e) {
        std::cerr << "astrorim-cli: " << e.what() << '\n';
        return 1;
    }
}

c10::Device parseDevice(const std::string &name)
{
    if (const auto device = nn::chooseDevice(name, "--device"))
        return *device;
    throw UsageError{"--device must be cpu, cuda or auto, got '" + name + "'"};
}

std::vector<std::string> splitList(const std::string &text)
{
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty())
            out.push_back(item);
    return out;
}

int configureThreads(int requested)
{
    const int threads = requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    return threads;
}

namespace {

CancelToken *g_interrupt = nullptr;

extern "C" void onInterrupt(int)
{
    if (g_interrupt)
        g_interrupt->cancel();
}

} // namespace

InterruptGuard::InterruptGuard(CancelToken &token)
{
    g_interrupt = &token;
    m_previous = std::signal(SIGINT, onInterrupt);
}

InterruptGuard::~InterruptGuard()
{
    std::signal(SIGINT, m_previous);
    g_interrupt = nullptr;
}

} // namespace astrorim::cli
