#include "weights/state_dict.h"

#include "common/error.h"
#include "common/tensor_shape.h"

#include <torch/torch.h>

#include <vector>

namespace astrorim::weights {

namespace {

// "a, b, c and 4 more": enough names to find the problem without flooding a dialog.
std::string nameList(const std::vector<std::string> &names)
{
    constexpr std::size_t kShown = 4;
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i)
        text += (i ? ", " : "") + names[i];
    if (names.size() > kShown)
        text += " and " + std::to_string(names.size() - kShown) + " more";
    return text;
}

void checkStateMatches(const std::map<std::string, torch::Tensor> &destination,
                       const std::map<std::string, torch::Tensor> &tensors, const std::string &sourceName)
{
    std::vector<std::string> missing, unexpected, mismatched;
    for (const auto &[name, target] : destination) {
        const auto found = tensors.find(name);
        if (found == tensors.end())
            missing.push_back(name);
        else if (!found->second.defined() || found->second.sizes() != target.sizes())
            mismatched.push_back(name + " " + shapeText(found->second) + " in the file, " + shapeText(target)
                                 + " in the model");
    }
    for (const auto &[name, tensor] : tensors)
        if (!destination.count(name))
            unexpected.push_back(name);

    std::vector<std::string> problems;
    if (!missing.empty())
        problems.push_back(std::to_string(missing.size()) + " missing (" + nameList(missing) + ")");
    if (!unexpected.empty())
        problems.push_back(std::to_string(unexpected.size()) + " unexpected (" + nameList(unexpected) + ")");
    if (!mismatched.empty())
        problems.push_back(std::to_string(mismatched.size()) + " with the wrong shape (" + nameList(mismatched)
                           + ")");
    if (!problems.empty())
        fail(sourceName, "weights do not fit the model: " + nameList(problems));
}

} // namespace

std::map<std::string, torch::Tensor> namedTensors(const torch::nn::Module &module)
{
    std::map<std::string, torch::Tensor> named;
    for (const auto &items : {module.named_parameters(true), module.named_buffers(true)})
        for (const auto &item : items)
            if (item.value().defined())
                named.emplace(item.key(), item.value());
    return named;
}

std::map<std::string, torch::Tensor> stateDict(const torch::nn::Module &module)
{
    std::map<std::string, torch::Tensor> state;
    for (const auto &[name, tensor] : namedTensors(module))
        state.emplace(name, tensor.detach().to(torch::kCPU, /*non_blocking=*/false, /*copy=*/true).contiguous());
    return state;
}

void loadStateDict(torch::nn::Module &module, const std::map<std::string, torch::Tensor> &tensors,
                   const std::string &sourceName)
{
    const auto destination = namedTensors(module);
    checkStateMatches(destination, tensors, sourceName);
    torch::NoGradGuard noGrad;
    for (const auto &[name, target] : destination)
        target.copy_(tensors.at(name)); // copy_ converts dtype and device
}

} // namespace astrorim::weights
