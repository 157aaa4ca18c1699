#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "train/TrainProgress.h"

namespace sw {

/// MODEL.train.csv, a training run's loss curve (docs/TRAINING.md): this header, then one row per progress report.
constexpr const char* kTrainLogCsvHeader = "step,epoch,loss,train_accuracy,examples_per_second,elapsed_seconds";

/// Writes the log as a run goes. Rewritten (atomically) at every report, so a run killed outright leaves its
/// history behind, and a resumed run continues it from the checkpoint's step.
class TrainLogCsv {
public:
    explicit TrainLogCsv(std::string path) : m_path(std::move(path)) {}

    /// Keeps the rows of an earlier run up to `resumedStep`; later ones are redone after the resume.
    void continueFrom(int64_t resumedStep);
    void add(const TrainProgress& progress);
    void write() const;

private:
    std::string m_path;
    std::ostringstream m_rows;
};

/// Reads a MODEL.train.csv (totalSteps is left 0: the log does not say). Throws InputError naming the file
/// (and line) when it is missing, has another header, or holds a malformed row.
std::vector<TrainProgress> readTrainLogCsv(const std::string& path);

}  // namespace sw
