#include "jobs/JobEdge.h"

#include <c10/util/Exception.h>

#include <regex>

#include "util/InputError.h"
#include "util/PeerLost.h"

namespace sw {

namespace {

std::string plural(const std::string& count, const std::string& noun) { return count + " " + noun + (count == "1" ? "" : "s"); }

/// The sentence inside a LibTorch message that a user can act on, or empty when none is recognised.
std::string plainSentenceOf(const std::string& message) {
    static const std::regex channels(R"(expected input\[\d+, (\d+), \d+, \d+\] to have (\d+) channels, but got (\d+) channels)");
    static const std::regex features(R"(mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\))");
    std::smatch match;
    if (std::regex_search(message, match, channels)) {
        return "the model expects " + plural(match[2], "channel") + ", the image has " + match[3].str() +
               " (choose the input shape the model was trained on)";
    }
    if (std::regex_search(message, match, features)) {
        return "the model expects images of another size: its first dense layer takes " + match[3].str() + " values, this image gives " +
               match[2].str() + " (choose the input size the model was trained on)";
    }
    return {};
}

}  // namespace

std::string readableMessage(const std::exception& error) {
    const auto* torchError = dynamic_cast<const c10::Error*>(&error);
    // LibTorch's own what() carries a C++ backtrace; a user needs the sentence.
    const std::string full = torchError ? torchError->what_without_backtrace() : error.what();
    std::string sentence = plainSentenceOf(full);
    if (sentence.empty()) {
        if (!torchError && full.find('\n') == std::string::npos) return full;  // already one sentence of ours
        sentence = full.substr(0, full.find('\n'));
    }
    return sentence + kErrorDetailsMarker + full;
}

JobResult runGuarded(const std::function<JobResult()>& body) {
    try {
        return body();
    } catch (const Cancelled& cancelled) {
        return JobResult::cancelled(cancelled.what());
    } catch (const InputError& error) {
        return JobResult::failed(error.what());
    } catch (const PeerLost& error) {
        auto result = JobResult::failed(error.what());
        result.peerLost = true;
        return result;
    } catch (const std::exception& error) {
        return JobResult::failed(readableMessage(error));
    }
}

}  // namespace sw
