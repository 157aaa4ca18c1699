#include "jobs/ReproduceJob.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "jobs/EvaluateJob.h"
#include "jobs/JobSupport.h"
#include "jobs/ReproducePlan.h"
#include "jobs/ReproductionReport.h"
#include "models/ModelDescription.h"
#include "models/ModelFile.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

/// A stage's own feedback: its progress fills [base, base + span] of the parent's, and it is cancelled
/// whenever the parent is.
class StageFeedback {
public:
    StageFeedback(Feedback& parent, double base, double span, std::string label)
        : m_feedback(
              [&parent, base, span, label = std::move(label)](double fraction, const std::string& message) {
                  parent.setProgress(base + span * fraction, label + (message.empty() ? "" : ": " + message));
              },
              &parent) {}
    Feedback& get() { return m_feedback; }

private:
    Feedback m_feedback;
};

nlohmann::json planJson(const ReproducePlan& plan, const ReproduceRequest& request) {
    nlohmann::json models = nlohmann::json::array();
    for (const auto& model : plan.models) {
        nlohmann::json smoothing = nlohmann::json::array();
        for (const auto& block : model.train.smoothing) smoothing.push_back({{"kind", block.kind}, {"after", block.after}, {"kernel_size", block.kernelSize}});
        models.push_back({{"name", model.name}, {"role", model.role}, {"epsilon", model.epsilon}, {"arch", model.train.arch},
                          {"recipe", model.train.recipe.toJson()}, {"smoothing", smoothing}});
    }
    return {{"format", "saliency-workbench-reproduction"}, {"preset", plan.preset}, {"budget", plan.budget.name},
            {"seed", request.seed}, {"train", plan.trainSpec}, {"test", plan.testSpec},
            {"eval_images", plan.budget.evalImages}, {"methods", plan.methods}, {"metrics", plan.metrics}, {"models", models}};
}

/// A folder may be resumed only by the same study.
void checkFolderIsOurs(const fs::path& planPath, const ReproducePlan& plan, const ReproduceRequest& request) {
    if (!fs::exists(planPath)) return;
    std::ifstream file(planPath);
    nlohmann::json existing;
    try {
        file >> existing;
    } catch (const std::exception&) {
        throw InputError(planPath.string(), "not a reproduction plan (unreadable JSON); choose another --out");
    }
    const bool same = existing.value("preset", "") == plan.preset && existing.value("budget", "") == plan.budget.name &&
                      existing.value("seed", uint64_t(0)) == request.seed && existing.value("train", "") == plan.trainSpec &&
                      existing.value("test", "") == plan.testSpec;
    if (!same) {
        throw InputError(planPath.string(), "this folder holds the " + existing.value("preset", std::string("?")) + " preset with the " +
                                                existing.value("budget", std::string("?")) + " budget, seed " +
                                                std::to_string(existing.value("seed", uint64_t(0))) + " and data " +
                                                existing.value("train", std::string("?")) +
                                                "; choose another --out to run a different study");
    }
}

/// An evaluation belongs to the model file it was made from; a retrained model makes it stale.
bool evaluationIsCurrent(const fs::path& evaluationPath, const fs::path& modelPath) {
    std::ifstream file(evaluationPath);
    nlohmann::json document;
    try {
        file >> document;
    } catch (const std::exception&) {
        return false;
    }
    const std::string created = document.value("model", nlohmann::json::object()).value("created", std::string());
    return !created.empty() && created == loadModel(modelPath)->description().created;
}

std::string minutesText(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f min", seconds / 60.0);
    return text;
}

}  // namespace

JobResult runReproduceJob(const ReproduceRequest& request, Feedback& feedback, const std::function<void(const std::string&)>& log) {
    return runGuarded([&]() -> JobResult {
        if (request.outputDir.empty()) throw InputError("--out", "a report folder is required");
        const auto plan = makeReproducePlan(request.preset, request.budget, request.dataLocation, request.seed);
        const fs::path root = request.outputDir;
        fs::create_directories(root / "models");
        fs::create_directories(root / "evaluations");
        checkFolderIsOurs(root / "plan.json", plan, request);
        writeTextFileAtomically(root / "plan.json", planJson(plan, request).dump(2) + "\n");
        nlohmann::json workspaceModels = nlohmann::json::array();
        for (const auto& model : plan.models) workspaceModels.push_back({{"path", "models/" + model.name + ".swm"}});
        writeTextFileAtomically(root / "workspace.json", nlohmann::json{{"format", "saliency-workbench-workspace"}, {"version", 1},
                                                                        {"dataset", plan.testSpec}, {"models", workspaceModels}}
                                                                .dump(2) + "\n");
        auto say = [&](const std::string& line) {
            if (log) log(line);
        };

        const auto commandStarted = std::chrono::steady_clock::now();
        const double stageCount = double(plan.models.size() * (1 + plan.methods.size()));
        double stage = 0.0;
        double trainSeconds = 0.0, evaluateSeconds = 0.0;
        for (const auto& model : plan.models) {
            const fs::path output = root / "models" / (model.name + ".swm");
            if (fs::exists(output)) {
                say("kept " + output.string());
                stage += 1.0;
                continue;
            }
            auto train = model.train;
            train.outputPath = output.string();
            train.device = request.device;
            train.threads = request.threads;
            if (fs::exists(output.string() + ".ckpt")) {
                train.resumeFrom = output.string() + ".ckpt";
                say("resuming " + model.name + " from its checkpoint");
            } else {
                say("training " + model.name);
            }
            StageFeedback stageFeedback(feedback, stage / stageCount, 1.0 / stageCount, "train " + model.name);
            const auto started = std::chrono::steady_clock::now();
            TrainSummary summary;
            const auto result = runTrainJob(train, stageFeedback.get(), {}, &summary);
            trainSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            if (result.outcome == Outcome::Cancelled || feedback.isCancelled()) return JobResult::cancelled();
            if (result.outcome == Outcome::Failed) return JobResult::failed(model.name + ": " + result.message);
            say("  " + summary.badge + ": test accuracy " + std::to_string(100.0 * summary.testAccuracy).substr(0, 5) + " %");
            stage += 1.0;
        }
        for (const auto& model : plan.models) {
            for (const auto& method : plan.methods) {
                const fs::path output = root / "evaluations" / (model.name + "." + method + ".json");
                if (fs::exists(output) && evaluationIsCurrent(output, root / "models" / (model.name + ".swm"))) {
                    stage += 1.0;
                    continue;
                }
                say("evaluating " + model.name + " with " + method);
                EvaluateRequest evaluate;
                evaluate.modelPath = (root / "models" / (model.name + ".swm")).string();
                evaluate.datasetSpec = plan.testSpec;
                evaluate.limit = plan.budget.evalImages;
                evaluate.saliency.method = method;
                evaluate.saliency.igSteps = plan.budget.igSteps;
                evaluate.metrics = plan.metrics;
                if (!plan.budget.road) evaluate.metrics.erase(std::remove(evaluate.metrics.begin(), evaluate.metrics.end(), "road"), evaluate.metrics.end());
                evaluate.stabilitySamples = plan.budget.stabilitySamples;
                evaluate.noiseLevels = plan.budget.noiseLevels;
                evaluate.seed = request.seed;
                evaluate.device = request.device;
                evaluate.threads = request.threads;
                evaluate.jsonPath = output.string();
                StageFeedback stageFeedback(feedback, stage / stageCount, 1.0 / stageCount, "evaluate " + model.name + " " + method);
                const auto started = std::chrono::steady_clock::now();
                const auto result = runEvaluateJob(evaluate, stageFeedback.get());
                evaluateSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                if (result.outcome == Outcome::Cancelled || feedback.isCancelled()) return JobResult::cancelled();
                if (result.outcome == Outcome::Failed) return JobResult::failed(model.name + " (" + method + "): " + result.message);
                stage += 1.0;
            }
        }
        feedback.setProgress(1.0, "done");
        const double wholeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - commandStarted).count();
        const std::string line = currentUtcTimestamp() + ": trained for " + minutesText(trainSeconds) + " and evaluated for " +
                                 minutesText(evaluateSeconds) + " (" + minutesText(wholeSeconds) + " in all) with " +
                                 (request.threads > 0 ? std::to_string(request.threads) : std::string("all")) +
                                 " compute threads on " + request.device + "; anything already in the folder was kept.";
        std::string history;
        if (std::ifstream previous(root / "runs.log"); previous) history.assign(std::istreambuf_iterator<char>(previous), {});
        writeTextFileAtomically(root / "runs.log", history + line + "\n");
        return JobResult::completed(line);
    });
}

JobResult writeReproductionReportFor(const ReproduceRequest& request) {
    return runGuarded([&]() -> JobResult {
        std::string runNotes;
        if (std::ifstream runs(fs::path(request.outputDir) / "runs.log"); runs) {
            for (std::string line; std::getline(runs, line);) runNotes += (runNotes.empty() ? "Runs of this folder: " : " ") + line;
        }
        const auto plan = makeReproducePlan(request.preset, request.budget, request.dataLocation, request.seed);
        const auto rows = readReproductionRows(request.outputDir, plan);
        const auto claims = judgeClaims(rows);
        writeReproductionReport(request.outputDir, plan, rows, claims, runNotes);
        std::string verdicts;
        for (const auto& claim : claims) verdicts += "claim " + claim.claim + ": " + claim.verdict + "\n";
        return JobResult::completed(verdicts);
    });
}

}  // namespace sw
