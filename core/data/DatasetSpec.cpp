#include "data/DatasetSpec.h"

#include <sstream>
#include <vector>

#include "util/InputError.h"

namespace sw {

namespace {

std::vector<std::string> splitOnColons(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, ':')) {
        parts.push_back(part);
    }
    if (!text.empty() && text.back() == ':') {
        parts.emplace_back();
    }
    return parts;
}

bool isSplitName(const std::string& word) { return word == "train" || word == "test" || word == "val"; }

uint64_t parseNumber(const std::string& text, const std::string& spec) {
    try {
        size_t used = 0;
        const auto value = std::stoull(text, &used);
        if (used == text.size()) {
            return value;
        }
    } catch (const std::exception&) {}
    throw InputError(spec, "expected a number, got '" + text + "'");
}

}  // namespace

DatasetSpec DatasetSpec::parse(const std::string& text) {
    const auto parts = splitOnColons(text);
    if (parts.empty() || parts[0].empty()) {
        throw InputError("dataset spec '" + text + "'",
                         "empty; expected fmnist, mnist, cifar10:DIR, imagefolder:DIR, image:FILE or shapes");
    }
    DatasetSpec spec;
    const std::string& name = parts[0];
    const std::vector<std::string> rest(parts.begin() + 1, parts.end());
    auto takeLocationAndSplit = [&](bool locationRequired) {
        if (rest.size() == 1 && isSplitName(rest[0])) {
            spec.split = rest[0];
        } else if (rest.size() == 1) {
            spec.location = rest[0];
        } else if (rest.size() == 2 && isSplitName(rest[1])) {
            spec.location = rest[0];
            spec.split = rest[1];
        } else if (!rest.empty()) {
            throw InputError("dataset spec '" + text + "'", "expected " + name + "[:DIR][:train|test]");
        }
        if (locationRequired && spec.location.empty()) {
            throw InputError("dataset spec '" + text + "'", "needs a folder, e.g. " + name + ":/data/" + name);
        }
    };
    if (name == "fmnist" || name == "fashion-mnist") {
        spec.kind = Kind::FashionMnist;
        takeLocationAndSplit(false);
    } else if (name == "mnist") {
        spec.kind = Kind::Mnist;
        takeLocationAndSplit(false);
    } else if (name == "cifar10") {
        spec.kind = Kind::Cifar10;
        takeLocationAndSplit(true);
    } else if (name == "imagefolder") {
        spec.kind = Kind::ImageFolder;
        takeLocationAndSplit(true);
    } else if (name == "image") {
        spec.kind = Kind::ImageFile;
        // File names may contain colons; keep everything after "image:".
        spec.location = text.size() > 6 ? text.substr(6) : std::string();
        if (spec.location.empty()) {
            throw InputError("dataset spec '" + text + "'", "needs a file, e.g. image:photo.png");
        }
    } else if (name == "shapes") {
        spec.kind = Kind::Shapes;
        if (rest.size() > 3) {
            throw InputError("dataset spec '" + text + "'", "expected shapes[:N][:seed][:split]");
        }
        size_t position = 0;
        for (const auto& part : rest) {
            if (isSplitName(part)) {
                spec.split = part;
            } else if (position == 0) {
                spec.count = static_cast<int64_t>(parseNumber(part, "dataset spec '" + text + "'"));
                ++position;
            } else {
                spec.seed = parseNumber(part, "dataset spec '" + text + "'");
                ++position;
            }
        }
        if (spec.count <= 0) {
            throw InputError("dataset spec '" + text + "'", "the shapes set needs at least one sample");
        }
    } else {
        throw InputError("dataset spec '" + text + "'",
                         "unknown dataset '" + name + "'; expected fmnist, mnist, cifar10, imagefolder, image or shapes");
    }
    return spec;
}

DatasetSpec DatasetSpec::withSplit(const std::string& newSplit) const {
    DatasetSpec copy = *this;
    copy.split = newSplit;
    return copy;
}

std::string DatasetSpec::toString() const {
    std::string text;
    switch (kind) {
    case Kind::FashionMnist:
        text = "fmnist";
        break;
    case Kind::Mnist:
        text = "mnist";
        break;
    case Kind::Cifar10:
        text = "cifar10";
        break;
    case Kind::ImageFolder:
        text = "imagefolder";
        break;
    case Kind::ImageFile:
        return "image:" + location;
    case Kind::Shapes:
        text = "shapes:" + std::to_string(count) + ":" + std::to_string(seed);
        return split.empty() ? text : text + ":" + split;
    }
    if (!location.empty()) {
        text += ":" + location;
    }
    if (!split.empty()) {
        text += ":" + split;
    }
    return text;
}

}  // namespace sw
