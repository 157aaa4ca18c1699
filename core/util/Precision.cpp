#include "util/Precision.h"

#include "util/InputError.h"

namespace sw {

std::string precisionName(Precision precision) {
    switch (precision) {
    case Precision::Float32:
        return "fp32";
    case Precision::TF32:
        return "tf32";
    case Precision::BF16:
        return "bf16";
    }
    return "fp32";
}

Precision parsePrecision(const std::string& name, bool forTraining, const std::string& option) {
    if (name == "fp32") return Precision::Float32;
    if (name == "tf32") return Precision::TF32;
    if (name == "bf16") {
        if (!forTraining) throw InputError(option + " bf16", "bf16 is for training only; explanations and measures take fp32 or tf32");
        return Precision::BF16;
    }
    throw InputError(option + " " + name, forTraining ? "expected fp32, tf32 or bf16" : "expected fp32 or tf32");
}

std::string describePrecision(Precision precision) {
    switch (precision) {
    case Precision::Float32:
        return "fp32: true float32 on every device (the default; maps agree between CPU and GPU)";
    case Precision::TF32:
        return "tf32: GPU convolutions and matrix products round to TF32 (faster on NVIDIA GPUs; changes maps by several %)";
    case Precision::BF16:
        return "bf16: training's forward passes and attacks in bfloat16 (fastest; evaluation stays fp32)";
    }
    return {};
}

}  // namespace sw
