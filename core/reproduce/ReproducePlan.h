#pragma once

#include <string>
#include <vector>

#include "jobs/TrainJob.h"

namespace sw {

/// One model the reproduction trains: a file name and its training request (output path left empty).
struct PlannedModel {
    std::string name;      ///< file stem, e.g. "adv-eps0.1-gaussian"
    std::string role;      ///< natural, adversarial, smoothed (the ε = 0.1 Gaussian model), ablation
    double epsilon = 0.0;  ///< 0 for the natural model
    TrainRequest train;
};

/// How hard every step works. `quick` fits 30 minutes on 2 CPU cores; `standard` trains five times longer
/// (Fashion-MNIST: 5 epochs, PGD-7), so that five seeds of the three core models fit an hour on 2 cores;
/// `paper` uses the authors' epochs and attack; `smoke` exercises every step in seconds (tests).
struct ReproduceBudget {
    std::string name;
    int64_t evalImages = 1000;  ///< test images per evaluation (the first N)
    int64_t igSteps = 50;
    int64_t stabilitySamples = 5;     ///< RIS/ROS perturbations per input
    std::vector<double> noiseLevels;  ///< SSIM curve; empty = the authors' eight
    bool road = true;
};

/// The preset's whole study: models to train and how to evaluate them.
struct ReproducePlan {
    std::string preset;     ///< fmnist, cifar10 or imagenette
    std::string trainSpec;  ///< dataset spec of the training split
    std::string testSpec;   ///< dataset spec of the evaluation split
    ReproduceBudget budget;
    std::vector<PlannedModel> models;
    std::vector<std::string> methods = {"vg", "ig"};
    std::vector<std::string> metrics = {"accuracy", "robust_accuracy", "sparseness", "ris", "ros", "ssim", "road", "curvature", "hessian"};
    /// What the authors report for this preset, for the report's comparison (empty where they give none).
    std::vector<std::pair<std::string, double>> reportedAccuracy;
};

/// The plan for `saliency-cli reproduce --preset P --budget B [--data DIR] [--models A,B]`. `dataLocation` is
/// the dataset folder (empty = Debian's Fashion-MNIST; required for cifar10 and imagenette); `onlyModels`
/// keeps a subset of the preset's models (by name; empty = all). Throws InputError naming the option for an
/// unknown preset, budget or model, or a missing data folder.
ReproducePlan makeReproducePlan(const std::string& preset, const std::string& budget, const std::string& dataLocation, uint64_t seed = 0,
                                const std::vector<std::string>& onlyModels = {});

/// The three models claims 2 and 3 compare (natural, adversarial and adversarial + Gaussian at the smoothed
/// ε), by name: what `--models core` selects.
std::vector<std::string> coreModelNames(const std::string& preset);

std::vector<std::string> reproducePresetNames();
std::vector<std::string> reproduceBudgetNames();

}  // namespace sw
