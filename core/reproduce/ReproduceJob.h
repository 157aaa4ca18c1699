#pragma once

#include <functional>
#include <string>

#include "distributed/DistributedLaunch.h"
#include "timeline/TimelineOptions.h"
#include <vector>

#include "jobs/JobEdge.h"
#include "util/Precision.h"

namespace sw {

/// `saliency-cli reproduce`: trains the preset's models, evaluates each with VG and IG on the protocol of
/// docs/METRICS.md and writes the report folder. Plain types, like every job.
struct ReproduceRequest {
    std::string preset = "fmnist";  ///< fmnist, cifar10, imagenette
    std::string budget = "quick";   ///< quick, standard, paper, smoke
    std::string dataLocation;       ///< dataset folder; empty = Debian's Fashion-MNIST
    std::string outputDir;
    uint64_t seed = 0;
    /// Several training seeds: each runs in OUT/seed-N (a complete study of its own) and the report in OUT
    /// compares them (docs/REPRODUCTION.md). Empty = `seed` alone, in OUT itself.
    std::vector<uint64_t> seeds;
    std::vector<std::string> models;  ///< a subset of the plan's models, or {"core"}; empty = all
    std::string device = "auto";
    int threads = 0;
    Precision precision = Precision::Float32;  ///< of the training; the evaluations are always fp32
    /// Several ranks (saliency-cli launch, torchrun, srun): each trains and evaluates whole models — model i
    /// on rank i mod W — and rank 0 writes the folder's records once all are done (docs/SCALING.md).
    DistributedLaunch distributed;
    /// Record every trained model's saliency timeline (docs/TIMELINE.md); the report then plots the core models'.
    TimelineOptions timeline;
};

/// Trains and evaluates everything the plan lists that OUT does not hold yet: finished models and evaluations
/// are kept, and an interrupted training resumes from its checkpoint, so the command can be run again until it
/// completes (the paper budget takes days on a CPU). Writes OUT/plan.json and OUT/workspace.json first.
/// `log` receives one line per stage. Refuses an OUT that holds a different preset or budget. A completed run
/// appends its timings to OUT/runs.log, which the report quotes, so resumed runs keep the first run's numbers.
JobResult runReproduceJob(const ReproduceRequest& request, Feedback& feedback, const std::function<void(const std::string&)>& log = {});

/// Reads OUT's evaluations, judges the paper's claims and writes summary.csv, curves.csv, claims.json,
/// report.md and report.html (with the figures listed in OUT/figures/figures.json and the runs in OUT/runs.log).
/// With several seeds: each seed folder's own report, then OUT's report across the seeds (SeedReport.h).
JobResult writeReproductionReportFor(const ReproduceRequest& request);

}  // namespace sw
