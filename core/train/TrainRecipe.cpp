#include "train/TrainRecipe.h"

#include <cmath>

#include "util/InputError.h"

namespace sw {

double TrainRecipe::learningRateAt(int64_t step, int64_t totalSteps) const {
    if (schedule == "step") {
        double rate = learningRate;
        for (const auto milestone : milestones) {
            if (step >= milestone) rate *= gamma;
        }
        return rate;
    }
    if (schedule == "cosine" && totalSteps > 0) {
        return 0.5 * learningRate * (1.0 + std::cos(M_PI * double(step) / double(totalSteps)));
    }
    return learningRate;
}

void TrainRecipe::validate() const {
    if (optimizer != "adam" && optimizer != "sgd") throw InputError("--optimizer " + optimizer, "expected adam or sgd");
    if (schedule != "constant" && schedule != "step" && schedule != "cosine") {
        throw InputError("--schedule " + schedule, "expected constant, step or cosine");
    }
    if (!(learningRate > 0.0)) throw InputError("--lr", "the learning rate must be positive");
    if (batchSize < 1) throw InputError("--batch-size " + std::to_string(batchSize), "must be at least 1");
    if (epochs < 1 && maxSteps < 1) throw InputError("--epochs", "needs at least one epoch or --max-steps");
    adversarial.validate();
}

nlohmann::json TrainRecipe::toJson() const {
    return {{"optimizer", optimizer},
            {"learning_rate", learningRate},
            {"momentum", momentum},
            {"nesterov", nesterov},
            {"weight_decay", weightDecay},
            {"schedule", schedule},
            {"milestones", milestones},
            {"gamma", gamma},
            {"epochs", epochs},
            {"max_steps", maxSteps},
            {"batch_size", batchSize},
            {"augment", augment},
            {"seed", seed},
            {"adversarial", adversarial.toJson()}};
}

TrainRecipe TrainRecipe::fromJson(const nlohmann::json& json) {
    TrainRecipe recipe;
    recipe.optimizer = json.value("optimizer", recipe.optimizer);
    recipe.learningRate = json.value("learning_rate", recipe.learningRate);
    recipe.momentum = json.value("momentum", recipe.momentum);
    recipe.nesterov = json.value("nesterov", recipe.nesterov);
    recipe.weightDecay = json.value("weight_decay", recipe.weightDecay);
    recipe.schedule = json.value("schedule", recipe.schedule);
    recipe.milestones = json.value("milestones", recipe.milestones);
    recipe.gamma = json.value("gamma", recipe.gamma);
    recipe.epochs = json.value("epochs", recipe.epochs);
    recipe.maxSteps = json.value("max_steps", recipe.maxSteps);
    recipe.batchSize = json.value("batch_size", recipe.batchSize);
    recipe.augment = json.value("augment", recipe.augment);
    recipe.seed = json.value("seed", recipe.seed);
    if (json.contains("adversarial")) recipe.adversarial = AttackConfig::fromJson(json["adversarial"]);
    return recipe;
}

std::vector<std::string> TrainRecipe::presetNames() {
    return {"fmnist-natural", "fmnist-adversarial", "cifar10-wrn", "imagenette-resnet18"};
}

TrainRecipe TrainRecipe::preset(const std::string& name) {
    TrainRecipe recipe;
    recipe.schedule = "constant";
    if (name == "fmnist-natural") {
        recipe.optimizer = "adam";
        recipe.learningRate = 1e-3;
        recipe.epochs = 50;
        recipe.batchSize = 32;
    } else if (name == "fmnist-adversarial") {
        recipe.optimizer = "adam";
        recipe.learningRate = 1e-4;
        recipe.epochs = 40;
        recipe.batchSize = 32;
        recipe.adversarial.kind = "pgd";
        recipe.adversarial.epsilon = 0.1;
        recipe.adversarial.steps = 40;
    } else if (name == "cifar10-wrn") {
        recipe.optimizer = "sgd";
        recipe.learningRate = 0.1;
        recipe.momentum = 0.9;
        recipe.nesterov = true;
        recipe.weightDecay = 5e-4;
        recipe.batchSize = 128;
        recipe.maxSteps = 70000;
        recipe.schedule = "step";
        recipe.milestones = {40000, 50000};
        recipe.augment = true;
        recipe.adversarial.kind = "pgd";
        recipe.adversarial.epsilon = 8.0 / 255.0;
        recipe.adversarial.steps = 7;
        recipe.adversarial.stepSize = 2.0 / 255.0;
    } else if (name == "imagenette-resnet18") {
        // The authors use a Ranger-style optimiser; Adam with cosine decay is our closest packaged choice.
        recipe.optimizer = "adam";
        recipe.learningRate = 1e-3;
        recipe.schedule = "cosine";
        recipe.epochs = 200;
        recipe.batchSize = 64;
        recipe.augment = true;
        recipe.adversarial.kind = "pgd";
        recipe.adversarial.epsilon = 1.0 / 255.0;
        recipe.adversarial.steps = 20;
    } else {
        std::string names;
        for (const auto& known : presetNames()) names += (names.empty() ? "" : ", ") + known;
        throw InputError("--preset " + name, "unknown preset; expected one of " + names);
    }
    return recipe;
}

}  // namespace sw
