#include "reproduce/ReproduceJob.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "jobs/SaliencyEvaluationJob.h"
#include "distributed/DataParallel.h"
#include "jobs/TrainJob.h"
#include "reproduce/ReproducePlan.h"
#include "reproduce/ReproductionReport.h"
#include "reproduce/ReproductionFolder.h"
#include "reproduce/SeedReport.h"
#include "models/ModelDescription.h"
#include "models/ModelFile.h"
#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

nlohmann::json planJson(const ReproducePlan& plan, const ReproduceRequest& request) {
    nlohmann::json models = nlohmann::json::array();
    for (const auto& model : plan.models) {
        nlohmann::json smoothing = nlohmann::json::array();
        for (const auto& block : model.train.smoothing)
            smoothing.push_back({{"kind", block.kind}, {"after", block.after}, {"kernel_size", block.kernelSize}});
        models.push_back({{"name", model.name},
                          {"role", model.role},
                          {"epsilon", model.epsilon},
                          {"arch", model.train.arch},
                          {"recipe", model.train.recipe.toJson()},
                          {"smoothing", smoothing}});
    }
    return {{"format", "saliency-workbench-reproduction"},
            {"preset", plan.preset},
            {"budget", plan.budget.name},
            {"seed", request.seed},
            {"train", plan.trainSpec},
            {"test", plan.testSpec},
            {"eval_images", plan.budget.evalImages},
            {"methods", plan.methods},
            {"metrics", plan.metrics},
            {"models", models}};
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

/// Progress over the whole study: one equal stage per model trained and per evaluation.
class StudyProgress {
public:
    StudyProgress(Feedback& feedback, const ReproducePlan& plan)
        : m_feedback(feedback), m_stageCount(double(plan.models.size() * (1 + plan.methods.size()))) {}
    StageFeedback nextStage(const std::string& label) {
        return StageFeedback(&m_feedback, m_done++ / m_stageCount, 1.0 / m_stageCount, label);
    }
    void skipStage() { ++m_done; }

private:
    Feedback& m_feedback;
    double m_stageCount;
    double m_done = 0.0;
};

using Log = std::function<void(const std::string&)>;

/// The ranks of a reproduction spread over processes; for one process, every model is its own.
struct Ranks {
    DataParallelGroup* group = nullptr;
    bool owns(size_t modelIndex) const { return !group || int(modelIndex % size_t(group->worldSize())) == group->rank(); }
    bool leader() const { return !group || group->rank() == 0; }
    void waitForAll(const std::string& name) const {
        if (group) group->waitForAll(name);
    }
};

/// Trains every model of the plan that the folder does not hold yet (resuming from a checkpoint when there is
/// one). Returns the seconds spent; throws Cancelled or a failure naming the model.
double trainPhase(const ReproducePlan& plan, const ReproduceRequest& request, const ReproductionFolder& folder, StudyProgress& progress,
                  const Log& say, const Ranks& ranks) {
    double seconds = 0.0;
    for (size_t index = 0; index < plan.models.size(); ++index) {
        const auto& model = plan.models[index];
        const auto output = folder.modelFile(model.name);
        if (!ranks.owns(index)) {
            progress.skipStage();
            continue;
        }
        if (fs::exists(output)) {
            say("kept " + output.string());
            progress.skipStage();
            continue;
        }
        auto train = model.train;
        train.outputPath = output.string();
        train.device = request.distributed.deviceForRank(request.device);
        train.threads = request.threads;
        train.precision = request.precision;
        train.timeline = request.timeline;
        if (fs::exists(output.string() + ".ckpt")) {
            train.resumeFrom = output.string() + ".ckpt";
            say("resuming " + model.name + " from its checkpoint");
        } else {
            say("training " + model.name);
        }
        auto stage = progress.nextStage("train " + model.name);
        const auto started = std::chrono::steady_clock::now();
        TrainSummary summary;
        const auto result = runTrainJob(train, stage, {}, &summary);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (result.outcome == Outcome::Cancelled) throw Cancelled(model.name + ": " + result.message);
        if (result.outcome == Outcome::Failed) throw std::runtime_error(model.name + ": " + result.message);
        say("  " + summary.badge + ": test accuracy " + std::to_string(100.0 * summary.testAccuracy).substr(0, 5) + " %");
    }
    return seconds;
}

/// Evaluates every model with every method of the plan, keeping evaluations of the current model files.
/// Returns the seconds spent; throws Cancelled or a failure naming the model and method.
double evaluatePhase(const ReproducePlan& plan, const ReproduceRequest& request, const ReproductionFolder& folder, StudyProgress& progress,
                     const Log& say, const Ranks& ranks) {
    double seconds = 0.0;
    for (size_t index = 0; index < plan.models.size(); ++index) {
        const auto& model = plan.models[index];
        for (const auto& method : plan.methods) {
            const auto output = folder.evaluationFile(model.name, method);
            if (!ranks.owns(index) || (fs::exists(output) && evaluationIsCurrent(output, folder.modelFile(model.name)))) {
                progress.skipStage();
                continue;
            }
            say("evaluating " + model.name + " with " + method);
            SaliencyEvaluationRequest evaluate;
            evaluate.modelPath = folder.modelFile(model.name).string();
            evaluate.datasetSpec = plan.testSpec;
            evaluate.limit = plan.budget.evalImages;
            auto& protocol = evaluate.protocol;
            protocol.saliency.method = method;
            protocol.saliency.igSteps = plan.budget.igSteps;
            protocol.metrics = plan.metrics;
            if (!plan.budget.road)
                protocol.metrics.erase(std::remove(protocol.metrics.begin(), protocol.metrics.end(), "road"), protocol.metrics.end());
            protocol.stabilitySamples = plan.budget.stabilitySamples;
            protocol.noiseLevels = plan.budget.noiseLevels;
            protocol.seed = request.seed;
            evaluate.device = request.distributed.deviceForRank(request.device);
            evaluate.threads = request.threads;
            evaluate.jsonPath = output.string();
            auto stage = progress.nextStage("evaluate " + model.name + " " + method);
            const auto started = std::chrono::steady_clock::now();
            const auto result = runSaliencyEvaluationJob(evaluate, stage);
            seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            if (result.outcome == Outcome::Cancelled) throw Cancelled();
            if (result.outcome == Outcome::Failed) throw std::runtime_error(model.name + " (" + method + "): " + result.message);
        }
    }
    return seconds;
}

/// workspace.json, so the folder opens in the GUI with these models (paths relative to the folder).
void writeWorkspace(const ReproductionFolder& folder, const ReproducePlan& plan, const std::vector<std::string>& models) {
    nlohmann::json paths = nlohmann::json::array();
    for (const auto& model : models) paths.push_back({{"path", model}});
    const nlohmann::json workspace = {
        {"format", "saliency-workbench-workspace"}, {"version", 1}, {"dataset", plan.testSpec}, {"models", paths}};
    writeTextFileAtomically(folder.workspaceFile(), workspace.dump(2) + "\n");
}

/// Writes plan.json (checked against an existing one first) and workspace.json, so the folder opens in the GUI.
void prepareFolder(const ReproducePlan& plan, const ReproduceRequest& request, const ReproductionFolder& folder) {
    fs::create_directories(folder.modelsFolder());
    fs::create_directories(folder.evaluationsFolder());
    checkFolderIsOurs(folder.planFile(), plan, request);
    writeTextFileAtomically(folder.planFile(), planJson(plan, request).dump(2) + "\n");
    std::vector<std::string> models;
    for (const auto& model : plan.models) models.push_back(ReproductionFolder::relativeModelFile(model.name));
    writeWorkspace(folder, plan, models);
}

/// Appends one line per run to runs.log (the report quotes it).
std::string recordRun(const ReproductionFolder& folder, const ReproduceRequest& request, double trainSeconds, double evaluateSeconds,
                      double wholeSeconds) {
    const std::string line = currentUtcTimestamp() + ": trained for " + minutesText(trainSeconds) + " and evaluated for " +
                             minutesText(evaluateSeconds) + " (" + minutesText(wholeSeconds) + " in all) with " +
                             (request.threads > 0 ? std::to_string(request.threads) : std::string("all")) + " compute threads on " +
                             request.device +
                             (request.distributed.isDistributed()
                                  ? " in each of " + std::to_string(request.distributed.worldSize) + " ranks (each model on one rank)"
                                  : std::string()) +
                             "; anything already in the folder was kept.";
    std::string history;
    if (std::ifstream previous(folder.runsLog()); previous) history.assign(std::istreambuf_iterator<char>(previous), {});
    writeTextFileAtomically(folder.runsLog(), history + line + "\n");
    return line;
}

/// One seed's whole study in request.outputDir; returns the line recorded in runs.log.
std::string runOneSeed(const ReproduceRequest& request, Feedback& feedback, const Log& say, const Ranks& ranks) {
    const auto plan = makeReproducePlan(request.preset, request.budget, request.dataLocation, request.seed, request.models);
    const ReproductionFolder folder(request.outputDir);
    if (ranks.leader()) prepareFolder(plan, request, folder);
    ranks.waitForAll("prepared " + request.outputDir);
    const auto started = std::chrono::steady_clock::now();
    StudyProgress progress(feedback, plan);
    const double trainSeconds = trainPhase(plan, request, folder, progress, say, ranks);
    const double evaluateSeconds = evaluatePhase(plan, request, folder, progress, say, ranks);
    const double wholeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ranks.waitForAll("done " + request.outputDir);
    if (!ranks.leader()) return "rank " + std::to_string(request.distributed.rank) + ": its models are trained and evaluated";
    return recordRun(folder, request, trainSeconds, evaluateSeconds, wholeSeconds);
}

/// study.json: which seeds a multi-seed folder holds, so the report and the GUI find them. A folder holds
/// one preset, budget and data set; more seeds may be added by a later run.
void prepareSeedStudy(const ReproduceRequest& request) {
    const ReproductionFolder study(request.outputDir);
    fs::create_directories(study.root());
    const fs::path studyPath = study.studyFile();
    const auto plan = makeReproducePlan(request.preset, request.budget, request.dataLocation, request.seeds.front(), request.models);
    std::vector<uint64_t> seeds = request.seeds;
    if (fs::exists(studyPath)) {
        std::ifstream file(studyPath);
        nlohmann::json existing;
        try {
            file >> existing;
            if (existing.at("preset") != plan.preset || existing.at("budget") != plan.budget.name ||
                existing.at("train") != plan.trainSpec) {
                throw InputError(studyPath.string(), "this folder holds the " + existing.at("preset").get<std::string>() +
                                                         " preset with the " + existing.at("budget").get<std::string>() + " budget on " +
                                                         existing.at("train").get<std::string>() + "; choose another --out");
            }
            for (const auto seed : existing.at("seeds").get<std::vector<uint64_t>>()) {
                if (std::find(seeds.begin(), seeds.end(), seed) == seeds.end()) seeds.push_back(seed);
            }
        } catch (const nlohmann::json::exception& error) {
            throw InputError(studyPath.string(), std::string("not a seed study (") + error.what() + "); choose another --out");
        }
    }
    std::sort(seeds.begin(), seeds.end());
    nlohmann::json folders = nlohmann::json::array();
    for (const auto seed : seeds) folders.push_back(ReproductionFolder::seedFolderName(seed));
    const nlohmann::json document = {{"format", "saliency-workbench-seed-study"},
                                     {"preset", plan.preset},
                                     {"budget", plan.budget.name},
                                     {"train", plan.trainSpec},
                                     {"test", plan.testSpec},
                                     {"seeds", seeds},
                                     {"folders", folders}};
    writeTextFileAtomically(studyPath, document.dump(2) + "\n");
    // The GUI opens the folder as a workspace of the first seed's models (the others are a folder away).
    std::vector<std::string> models;
    for (const auto& model : plan.models) {
        models.push_back(ReproductionFolder::seedFolderName(seeds.front()) + "/" + ReproductionFolder::relativeModelFile(model.name));
    }
    writeWorkspace(study, plan, models);
}

ReproduceRequest seedRequest(const ReproduceRequest& request, uint64_t seed) {
    ReproduceRequest one = request;
    one.seed = seed;
    one.seeds.clear();
    one.outputDir = ReproductionFolder(request.outputDir).seedFolder(seed).root().string();
    return one;
}

}  // namespace

JobResult runReproduceJob(const ReproduceRequest& request, Feedback& feedback, const std::function<void(const std::string&)>& log) {
    return runGuarded([&]() -> JobResult {
        if (request.outputDir.empty()) throw InputError("--out", "a report folder is required");
        const Log say = [&](const std::string& line) {
            if (log) log(line);
        };
        std::unique_ptr<DataParallelGroup> group;
        if (request.distributed.isDistributed()) group = DataParallelGroup::connect(request.distributed, torch::kCPU);
        const Ranks ranks{group.get()};
        if (request.seeds.empty()) {
            const auto line = runOneSeed(request, feedback, say, ranks);
            feedback.setProgress(1.0, "done");
            return JobResult::completed(line);
        }
        if (ranks.leader()) prepareSeedStudy(request);
        ranks.waitForAll("seed study " + request.outputDir);
        std::string lines;
        const double count = double(request.seeds.size());
        for (size_t i = 0; i < request.seeds.size(); ++i) {
            const auto seed = request.seeds[i];
            say("seed " + std::to_string(seed) + " (" + std::to_string(i + 1) + " of " + std::to_string(request.seeds.size()) + ")");
            StageFeedback stage(&feedback, double(i) / count, 1.0 / count, "seed " + std::to_string(seed));
            lines += "seed " + std::to_string(seed) + ": " + runOneSeed(seedRequest(request, seed), stage, say, ranks) + "\n";
        }
        feedback.setProgress(1.0, "done");
        return JobResult::completed(lines);
    });
}

JobResult writeReproductionReportFor(const ReproduceRequest& request) {
    return runGuarded([&]() -> JobResult {
        if (!request.seeds.empty()) {
            std::vector<std::vector<ReproductionRow>> rowsPerSeed;
            for (const auto seed : request.seeds) {
                const auto one = seedRequest(request, seed);
                const auto result = writeReproductionReportFor(one);
                if (result.outcome != Outcome::Completed) return result;
                const auto plan = makeReproducePlan(one.preset, one.budget, one.dataLocation, seed, one.models);
                rowsPerSeed.push_back(readReproductionRows(one.outputDir, plan));
            }
            const auto plan =
                makeReproducePlan(request.preset, request.budget, request.dataLocation, request.seeds.front(), request.models);
            const auto claims = judgeClaimsAcrossSeeds(rowsPerSeed, request.seeds);
            writeSeedStudyReport(request.outputDir, plan, request.seeds, rowsPerSeed, claims);
            std::string verdicts;
            for (const auto& claim : claims)
                verdicts += "claim " + claim.claim + " across " + std::to_string(request.seeds.size()) + " seeds: " + claim.verdict + "\n";
            return JobResult::completed(verdicts);
        }
        std::string runNotes;
        if (std::ifstream runs(ReproductionFolder(request.outputDir).runsLog()); runs) {
            for (std::string line; std::getline(runs, line);) runNotes += (runNotes.empty() ? "Runs of this folder: " : " ") + line;
        }
        const auto plan = makeReproducePlan(request.preset, request.budget, request.dataLocation, request.seed, request.models);
        const auto rows = readReproductionRows(request.outputDir, plan);
        const auto claims = judgeClaims(rows);
        writeReproductionReport(request.outputDir, plan, rows, claims, runNotes);
        std::string verdicts;
        for (const auto& claim : claims) verdicts += "claim " + claim.claim + ": " + claim.verdict + "\n";
        return JobResult::completed(verdicts);
    });
}

}  // namespace sw
