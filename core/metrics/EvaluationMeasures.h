#pragma once

#include <set>
#include <string>
#include <vector>

namespace sw {

/// Which way a measure is better (docs/METRICS.md).
enum class Better { Higher, Lower };

/// One measure the evaluation protocol knows, as every face shows it: the protocol validates against this
/// table; the CLI help, the stability panel's labels and tooltips, and the reports read it. Plain data.
struct EvaluationMeasure {
    std::string id;         ///< what --metrics and the evaluation JSON say
    std::string name;       ///< short display name
    std::string axisLabel;  ///< plain ASCII, for plot axes and CSV-friendly captions
    Better better = Better::Higher;
    bool inDefaultProtocol = false;  ///< what `saliency-cli evaluate` measures unless told otherwise
    bool againstNoise = false;       ///< can be drawn as a curve over noise levels (`curves`, the stability lab)
    std::string explanation;         ///< one plain-language sentence, with its direction
};

/// The protocol's measures, in the order reports list them.
const std::vector<EvaluationMeasure>& evaluationMeasures();

/// The measure with this id; throws InputError naming `option ID` and listing the known ids.
const EvaluationMeasure& evaluationMeasure(const std::string& id, const std::string& option = "--metrics");

/// Ids joined as "a, b or c": all measures, or only those drawn against noise.
std::string evaluationMeasureIdList(bool onlyAgainstNoise = false);

/// The default --metrics of `saliency-cli evaluate`.
std::vector<std::string> defaultProtocolMeasures();

/// A validated choice of measures: throws InputError for an unknown one (naming `option`), then answers
/// `has(id)` in constant time. The protocol runs one section per chosen group of measures.
class MeasureSet {
public:
    explicit MeasureSet(const std::vector<std::string>& ids, const std::string& option = "--metrics");
    bool has(const std::string& id) const { return m_ids.count(id) != 0; }
    bool hasAny(std::initializer_list<const char*> ids) const;

private:
    std::set<std::string> m_ids;
};

}  // namespace sw
