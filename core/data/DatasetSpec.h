#pragma once

#include <cstdint>
#include <string>

namespace sw {

/// A parsed dataset SPEC as the command line and the GUI write it:
/// `fmnist[:DIR][:train|test]`, `mnist[:DIR][:split]`, `cifar10:DIR[:split]`, `imagefolder:DIR[:split]`,
/// `image:FILE`, `shapes[:N][:seed]`.
struct DatasetSpec {
    enum class Kind { FashionMnist, Mnist, Cifar10, ImageFolder, ImageFile, Shapes };

    Kind kind = Kind::FashionMnist;
    std::string location;  ///< Folder or file; empty means the default location for the kind.
    std::string split;     ///< "train" or "test" ("val" for image folders); empty means the caller's default.
    int64_t count = 2000;  ///< Shapes set size.
    uint64_t seed = 1;     ///< Shapes set seed.

    /// Throws InputError naming the spec when it cannot be parsed.
    static DatasetSpec parse(const std::string& text);

    /// The same source, another split (for shapes: an independent stream of samples).
    DatasetSpec withSplit(const std::string& newSplit) const;
    /// The split to use: `split` if given, else `fallback`.
    std::string splitOr(const std::string& fallback) const { return split.empty() ? fallback : split; }
    /// Canonical text form that parse() reads back.
    std::string toString() const;
};

/// The forms a dataset SPEC takes, for help texts (the CLI's --help, the GUI's dataset dialog).
inline constexpr const char* kDatasetSpecForms =
    "fmnist[:DIR][:split], mnist[:DIR][:split], cifar10:DIR[:split], imagefolder:DIR[:split], image:FILE, shapes[:N][:seed]";

/// Where Debian's dataset-fashion-mnist package puts the IDX files.
inline constexpr const char* kDebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";

}  // namespace sw
