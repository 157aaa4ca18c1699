#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sw {

/// "0-99,120" → {0..99, 120}; throws InputError naming `option` (and the text) for malformed or empty ranges.
std::vector<int64_t> parseIndexList(const std::string& text, const std::string& option = "--indices");

/// "a,b,,c" → {"a", "b", "c"} (empty items are dropped).
std::vector<std::string> splitCommaList(const std::string& text);

/// {"a", "b"} → "a,b".
std::string joinCommaList(const std::vector<std::string>& items);

/// One field of a CSV row (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line
/// break; as it is otherwise. Every CSV the program writes, from the core or the GUI, quotes with this.
std::string csvField(const std::string& field);

/// The rows of a CSV text (RFC 4180, the inverse of csvField): fields split at commas, quoted fields may hold
/// commas, doubled quotes and line breaks; CRLF or LF line ends; a final empty line is not a row. Throws
/// InputError naming `fileName` for an unterminated quote.
std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& fileName);

}  // namespace sw
