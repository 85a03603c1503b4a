#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <map>
#include <string>

namespace astrorim::weights {

/// The module's own parameters and buffers (not copies) by dotted name, as
/// stateDict names them; undefined entries are left out.
std::map<std::string, torch::Tensor> namedTensors(const torch::nn::Module &module);

/// Every parameter and buffer of `module` and its submodules under its dotted
/// name ("encoder.conv1.weight", "bn.running_mean"), as PyTorch's state_dict
/// names them: detached, contiguous CPU copies the caller owns. Undefined
/// entries (a Linear without bias) are left out.
std::map<std::string, torch::Tensor> stateDict(const torch::nn::Module &module);

/// Copies `tensors` into the parameters and buffers of `module` with the same
/// names, converting each to the destination's dtype and device, without
/// recording gradients. Checks first and changes nothing unless the names
/// match exactly and every shape agrees; otherwise throws astrorim::Error
/// naming `sourceName` (the weights file) and listing the first few missing
/// names, unexpected names and shape mismatches.
void loadStateDict(torch::nn::Module &module, const std::map<std::string, torch::Tensor> &tensors,
                   const std::string &sourceName);

} // namespace astrorim::weights
