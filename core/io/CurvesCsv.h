#pragma once

#include <string>
#include <vector>

namespace sw {

/// One row of a stability curve: a measure of one model and method at one noise level.
struct CurveRow {
    std::string model, method, measure;
    double noiseSigma = 0.0, mean = 0.0, ciLow = 0.0, ciHigh = 0.0;
    int64_t n = 0;  ///< inputs scored at this level (those still correctly classified under the noise)
};

/// curves.csv, the one tidy format for stability curves (written by `saliency-cli curves`, the reproduction
/// report and the stability lab's export; read by the report figures): this header, then one row per
/// CurveRow. Plain ASCII, numbers with 8 significant digits.
constexpr const char* kCurvesCsvHeader = "model,method,measure,sigma,mean,ci_low,ci_high,n";

/// One row as a CSV line (with its newline).
std::string curvesCsvLine(const CurveRow& row);

/// The header and every row, ready to write.
std::string curvesCsvText(const std::vector<CurveRow>& rows);

/// Writes the file atomically (temporary file, then rename).
void writeCurvesCsv(const std::string& path, const std::vector<CurveRow>& rows);

/// Reads a curves.csv. Throws InputError naming the file (and line) when it is missing, has another
/// header, or holds a malformed row.
std::vector<CurveRow> readCurvesCsv(const std::string& path);

}  // namespace sw
