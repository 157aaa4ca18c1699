#include "reproduce/ReproducePlan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "util/InputError.h"
#include "util/ListParsing.h"

namespace sw {

namespace {

std::string epsilonText(double epsilon) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", epsilon);
    return text;
}

/// The adversarial recipe at another ε: PGD's step stays the authors' ε/10 (paper) or 2.5ε/steps (shorter
/// attacks, Madry et al.'s rule, so that the attack can still reach the boundary of the ε-ball).
TrainRecipe withEpsilon(TrainRecipe recipe, double epsilon) {
    recipe.adversarial.epsilon = epsilon;
    recipe.adversarial.stepSize = recipe.adversarial.steps >= 40 ? epsilon / 10.0 : 2.5 * epsilon / double(recipe.adversarial.steps);
    return recipe;
}

struct PresetSettings {
    std::string arch;
    std::string smoothAfter;
    TrainRecipe natural;
    TrainRecipe adversarial;
    std::vector<double> epsilons;
    double smoothedEpsilon = 0.0;
};

/// The colour-image presets: the authors' recipe for the adversarial models, the same without the attack for
/// the natural one, one ε, and the smoothing block after layer1.
void useTheAuthorsRecipe(PresetSettings& settings, const std::string& arch, const std::string& recipe, double epsilon) {
    settings.arch = arch;
    settings.smoothAfter = "layer1";
    settings.natural = TrainRecipe::preset(recipe);
    settings.natural.adversarial = AttackConfig{};
    settings.adversarial = TrainRecipe::preset(recipe);
    settings.epsilons = {epsilon};
    settings.smoothedEpsilon = epsilon;
}

PresetSettings presetSettings(const std::string& preset, const std::string& budget) {
    PresetSettings settings;
    if (preset == "fmnist") {
        settings.arch = "lenet";
        settings.smoothAfter = "pool1";
        settings.epsilons = {0.01, 0.03, 0.06, 0.1, 0.3};
        settings.smoothedEpsilon = 0.1;
        if (budget == "paper") {
            settings.natural = TrainRecipe::preset("fmnist-natural");
            settings.adversarial = TrainRecipe::preset("fmnist-adversarial");
        } else {
            // Our default recipe (Adam 2e-3, cosine; docs/TRAINING.md) with budgets that fit a laptop; standard
            // is the five-epoch recipe of docs/REPRODUCTION.md's supplementary run.
            settings.natural.epochs = budget == "standard" ? 5 : 2;
            settings.adversarial.epochs = budget == "standard" ? 5 : 1;
            settings.adversarial.adversarial.kind = "pgd";
            settings.adversarial.adversarial.steps = 7;
        }
    } else if (preset == "cifar10") {
        useTheAuthorsRecipe(settings, "wrn-28-10", "cifar10-wrn", 8.0 / 255.0);
    } else if (preset == "imagenette") {
        useTheAuthorsRecipe(settings, "resnet18-imagenet", "imagenette-resnet18", 1.0 / 255.0);
    } else {
        throw InputError("--preset " + preset, "unknown preset; expected fmnist, cifar10 or imagenette");
    }
    if ((budget == "quick" || budget == "standard") && preset != "fmnist") {
        // A few thousand steps instead of the authors' 70k steps / 200 epochs: enough to see the trends.
        const int64_t steps = budget == "standard" ? 10000 : 2000;
        settings.natural.epochs = 1;
        settings.natural.maxSteps = steps;
        settings.adversarial.epochs = 1;
        settings.adversarial.maxSteps = steps;
        settings.natural.milestones.clear();
        settings.adversarial.milestones.clear();
    }
    if (budget == "smoke") {
        for (auto* recipe : {&settings.natural, &settings.adversarial}) {
            recipe->epochs = 1;
            // LeNet steps cost nothing; the big networks get just enough to run every code path.
            recipe->maxSteps = preset == "fmnist" ? 40 : 1;
            recipe->batchSize = preset == "fmnist" ? 8 : 4;
            recipe->milestones.clear();
        }
        settings.adversarial.adversarial.steps = 2;
    }
    return settings;
}

ReproduceBudget budgetNamed(const std::string& name) {
    ReproduceBudget budget;
    budget.name = name;
    if (name == "paper") {
        budget.evalImages = 1000;
    } else if (name == "quick" || name == "standard") {
        budget.evalImages = 500;
    } else if (name == "smoke") {
        budget.evalImages = 8;
        budget.igSteps = 4;
        budget.stabilitySamples = 2;
        budget.noiseLevels = {0.05, 0.2};
    } else {
        throw InputError("--budget " + name, "unknown budget; expected one of " + joinCommaList(reproduceBudgetNames()));
    }
    return budget;
}

}  // namespace

std::vector<std::string> reproducePresetNames() { return {"fmnist", "cifar10", "imagenette"}; }
std::vector<std::string> reproduceBudgetNames() { return {"quick", "standard", "paper", "smoke"}; }

std::vector<std::string> coreModelNames(const std::string& preset) {
    const std::string smoothed = preset == "fmnist"    ? "adv-eps0.1"
                                 : preset == "cifar10" ? "adv-eps" + epsilonText(8.0 / 255.0)
                                                       : "adv-eps" + epsilonText(1.0 / 255.0);
    return {"natural", smoothed, smoothed + "-gaussian"};
}

ReproducePlan makeReproducePlan(const std::string& preset, const std::string& budgetName, const std::string& dataLocation, uint64_t seed,
                                const std::vector<std::string>& onlyModels) {
    ReproducePlan plan;
    plan.preset = preset;
    plan.budget = budgetNamed(budgetName);
    const auto settings = presetSettings(preset, budgetName);
    // ROAD imputes 40 variants of every image: too slow for a smoke test of a 224×224 ResNet or a WRN-28-10.
    if (budgetName == "smoke" && preset != "fmnist") {
        plan.budget.road = false;
        // Twenty Hessian-vector products through a WRN-28-10 cost minutes on a CPU; the LeNet runs cover the code.
        plan.metrics.erase(std::remove(plan.metrics.begin(), plan.metrics.end(), "hessian"), plan.metrics.end());
        plan.budget.evalImages = 4;
        plan.budget.stabilitySamples = 1;
        plan.budget.noiseLevels = {0.1};
    }
    if (preset != "fmnist" && dataLocation.empty()) {
        throw InputError("--data", "the " + preset + " preset needs the dataset folder (see datasets/README.md)");
    }
    const std::string kind = preset == "imagenette" ? "imagefolder" : preset;
    const std::string base = dataLocation.empty() ? kind : kind + ":" + dataLocation;
    plan.trainSpec = base + ":train";
    plan.testSpec = base + ":test";
    if (preset == "fmnist") plan.reportedAccuracy = {{"natural", 0.897}, {"adv-eps0.1", 0.883}, {"adv-eps0.01-gaussian", 0.887}};

    auto request = [&](TrainRecipe recipe) {
        TrainRequest train;
        train.datasetSpec = plan.trainSpec;
        train.arch = settings.arch;
        recipe.seed = seed;
        train.recipe = recipe;
        // Fashion-MNIST's whole test set is cheap to score, and the demo models record that accuracy.
        train.evalLimit = preset == "fmnist" && budgetName != "smoke" ? 0 : plan.budget.evalImages;
        train.checkpointEverySteps = 500;
        return train;
    };
    auto smoothing = [&](const std::string& kind) {
        return std::vector<SmoothingSpec>{SmoothingSpec{kind, settings.smoothAfter, 3, std::nullopt}};
    };

    plan.models.push_back({"natural", "natural", 0.0, request(settings.natural)});
    for (const double epsilon : settings.epsilons) {
        plan.models.push_back(
            {"adv-eps" + epsilonText(epsilon), "adversarial", epsilon, request(withEpsilon(settings.adversarial, epsilon))});
    }
    const auto smoothedRecipe = withEpsilon(settings.adversarial, settings.smoothedEpsilon);
    const std::string smoothedStem = "adv-eps" + epsilonText(settings.smoothedEpsilon);
    for (const std::string kind : {"gaussian", "mean", "median"}) {
        PlannedModel model{smoothedStem + "-" + kind, kind == "gaussian" ? "smoothed" : "ablation", settings.smoothedEpsilon,
                           request(smoothedRecipe)};
        model.train.smoothing = smoothing(kind);
        plan.models.push_back(model);
    }
    if (budgetName == "smoke" && preset != "fmnist") {
        // The ablations run the same code as the Gaussian model; a smoke test of the big networks skips them.
        plan.models.erase(
            std::remove_if(plan.models.begin(), plan.models.end(), [](const PlannedModel& model) { return model.role == "ablation"; }),
            plan.models.end());
    }
    for (auto& model : plan.models) model.train.evalRobust = model.epsilon > 0;
    if (!onlyModels.empty()) {
        std::vector<std::string> wanted = onlyModels;
        if (wanted == std::vector<std::string>{"core"}) wanted = coreModelNames(preset);
        std::string known;
        for (const auto& model : plan.models) known += (known.empty() ? "" : ", ") + model.name;
        for (const auto& name : wanted) {
            const bool found =
                std::any_of(plan.models.begin(), plan.models.end(), [&](const PlannedModel& model) { return model.name == name; });
            if (!found) throw InputError("--models " + name, "not a model of the " + preset + " plan; expected core or some of " + known);
        }
        plan.models.erase(
            std::remove_if(plan.models.begin(), plan.models.end(),
                           [&](const PlannedModel& model) { return std::find(wanted.begin(), wanted.end(), model.name) == wanted.end(); }),
            plan.models.end());
    }
    return plan;
}

}  // namespace sw
