#pragma once

#include <string>

namespace sw {

/// The arithmetic a job computes in (docs/TRAINING.md, "Precision"). Explanations and measures default to
/// true float32 on every device: with PyTorch's defaults, cuDNN's TF32 convolutions changed a LeNet's VG maps
/// by 5–8 % on an H200. TF32 and bf16 are opt-ins for training speed. Plain data: safe for the UI.
enum class Precision {
    Float32,  ///< "fp32": IEEE float32 throughout (the default)
    TF32,     ///< "tf32": GPU convolutions and matrix products may round their inputs to TF32 (10-bit mantissa)
    BF16,     ///< "bf16": training only; forward passes and attacks autocast to bfloat16, the rest float32
};

/// "fp32", "tf32" or "bf16": what --precision and every output's metadata say.
std::string precisionName(Precision precision);

/// The precision called `name`; throws InputError naming `option` and the choices. `trainingOnly` choices
/// (bf16) are refused where `forTraining` is false.
Precision parsePrecision(const std::string& name, bool forTraining, const std::string& option = "--precision");

/// One line for help texts and Preferences.
std::string describePrecision(Precision precision);

}  // namespace sw
