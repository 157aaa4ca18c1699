#include "io/TrainLogCsv.h"

#include <cstdio>
#include <fstream>
#include <iomanip>

#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace sw {

void TrainLogCsv::continueFrom(int64_t resumedStep) {
    std::ifstream file(m_path);
    std::string line;
    if (!std::getline(file, line) || line != kTrainLogCsvHeader) return;  // no log, or not ours: start afresh
    while (std::getline(file, line)) {
        long long step = -1;
        if (std::sscanf(line.c_str(), "%lld", &step) == 1 && step <= resumedStep) m_rows << line << '\n';
    }
}

void TrainLogCsv::add(const TrainProgress& p) {
    m_rows << p.step << ',' << p.epoch << ',' << std::setprecision(6) << p.loss << ',' << p.accuracy << ',' << p.examplesPerSecond << ','
           << p.elapsedSeconds << '\n';
    write();
}

void TrainLogCsv::write() const { writeTextFileAtomically(m_path, std::string(kTrainLogCsvHeader) + "\n" + m_rows.str()); }

std::vector<TrainProgress> readTrainLogCsv(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw InputError(path, "cannot be read (no training log was written here)");
    std::string line;
    if (!std::getline(file, line) || line != kTrainLogCsvHeader) throw InputError(path, "is not a training log (its header differs)");
    std::vector<TrainProgress> rows;
    for (int number = 2; std::getline(file, line); ++number) {
        if (line.empty()) continue;
        TrainProgress row;
        long long step = 0, epoch = 0;
        char end = 0;
        if (std::sscanf(line.c_str(), "%lld,%lld,%lf,%lf,%lf,%lf%c", &step, &epoch, &row.loss, &row.accuracy, &row.examplesPerSecond,
                        &row.elapsedSeconds, &end) != 6) {
            throw InputError(path + ":" + std::to_string(number), "is not a row of six numbers");
        }
        row.step = step;
        row.epoch = epoch;
        rows.push_back(row);
    }
    return rows;
}

}  // namespace sw
