#include "util/ListParsing.h"

#include <sstream>
#include <stdexcept>

#include "util/InputError.h"

namespace sw {

std::vector<int64_t> parseIndexList(const std::string& text, const std::string& option) {
    std::vector<int64_t> indices;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, ',');) {
        if (part.empty()) continue;
        try {
            const auto dash = part.find('-', 1);
            size_t used = 0;
            if (dash == std::string::npos) {
                indices.push_back(std::stoll(part, &used));
                if (used != part.size()) throw std::invalid_argument(part);
                continue;
            }
            const auto first = std::stoll(part.substr(0, dash), &used);
            const auto last = std::stoll(part.substr(dash + 1));
            if (last < first) throw InputError(option + " " + text, "empty index range '" + part + "'");
            for (int64_t i = first; i <= last; ++i) indices.push_back(i);
        } catch (const InputError&) {
            throw;
        } catch (const std::exception&) {
            throw InputError(option + " " + text, "expected ranges like 0-99 or 3,7,10-12");
        }
    }
    if (indices.empty()) throw InputError(option + " " + text, "empty index range");
    for (const auto index : indices) {
        if (index < 0) throw InputError(option + " " + text, "indices must not be negative");
    }
    return indices;
}

std::vector<std::string> splitCommaList(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, ',');) {
        if (!part.empty()) parts.push_back(part);
    }
    return parts;
}

std::string csvField(const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string quoted = "\"";
    for (const char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& fileName) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, fieldStarted = false;
    auto endField = [&] {
        row.push_back(field);
        field.clear();
        fieldStarted = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c != '"') {
                field += c;
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == '"' && field.empty()) {
            quoted = fieldStarted = true;
        } else if (c == ',') {
            endField();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            endField();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted) throw InputError(fileName, "a quoted CSV field is not closed (the file is cut short?)");
    if (fieldStarted || !field.empty() || !row.empty()) {
        endField();
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string joinCommaList(const std::vector<std::string>& items) {
    std::string joined;
    for (const auto& item : items) joined += (joined.empty() ? "" : ",") + item;
    return joined;
}

}  // namespace sw
