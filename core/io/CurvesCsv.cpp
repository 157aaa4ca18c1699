#include "io/CurvesCsv.h"

#include <fstream>
#include <iomanip>
#include <sstream>

#include "util/AtomicFile.h"
#include "util/InputError.h"

namespace sw {

namespace {

std::vector<std::string> splitFields(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

}  // namespace

std::string curvesCsvLine(const CurveRow& row) {
    std::ostringstream line;
    line << std::setprecision(8) << row.model << ',' << row.method << ',' << row.measure << ',' << row.noiseSigma << ',' << row.mean << ','
         << row.ciLow << ',' << row.ciHigh << ',' << row.n << '\n';
    return line.str();
}

std::string curvesCsvText(const std::vector<CurveRow>& rows) {
    std::string text = std::string(kCurvesCsvHeader) + "\n";
    for (const auto& row : rows) text += curvesCsvLine(row);
    return text;
}

void writeCurvesCsv(const std::string& path, const std::vector<CurveRow>& rows) { writeTextFileAtomically(path, curvesCsvText(rows)); }

std::vector<CurveRow> readCurvesCsv(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw InputError(path, "cannot be read");
    std::string line;
    if (!std::getline(file, line) || line != kCurvesCsvHeader) {
        throw InputError(path, std::string("is not a curves file: its first line should be ") + kCurvesCsvHeader);
    }
    std::vector<CurveRow> rows;
    for (int lineNumber = 2; std::getline(file, line); ++lineNumber) {
        if (line.empty()) continue;
        const auto fields = splitFields(line);
        CurveRow row;
        try {
            if (fields.size() != 8) throw std::invalid_argument("field count");
            row.model = fields[0];
            row.method = fields[1];
            row.measure = fields[2];
            row.noiseSigma = std::stod(fields[3]);
            // NaN (no input left to score at this level) is written as "nan" and read back as NaN.
            row.mean = std::stod(fields[4]);
            row.ciLow = std::stod(fields[5]);
            row.ciHigh = std::stod(fields[6]);
            row.n = std::stoll(fields[7]);
        } catch (const std::exception&) {
            throw InputError(path + ":" + std::to_string(lineNumber), "expected 8 fields (" + std::string(kCurvesCsvHeader) + ")");
        }
        rows.push_back(row);
    }
    return rows;
}

}  // namespace sw
