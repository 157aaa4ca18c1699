#pragma once

#include <array>
#include <optional>
#include <string>

#include "data/Dataset.h"
#include "data/DatasetSpec.h"

namespace sw {

struct DatasetLoadOptions {
    /// Split used when the spec names none ("train" for training, "test" for evaluation).
    std::string defaultSplit = "test";
    /// C×H×W that image folders, image files and the shapes set are fitted to; IDX and CIFAR files keep
    /// their own size. Unset means 3×224×224 for image folders/files and 1×28×28 for shapes.
    std::optional<std::array<int64_t, 3>> imageShape;
};

/// Opens any supported dataset. Throws InputError naming the file and the problem.
Dataset loadDataset(const DatasetSpec& spec, const DatasetLoadOptions& options = {});

/// The folder Fashion-MNIST is read from when the spec gives none: Debian's package, then the
/// subset shipped in resources/ (next to the executable or in the source tree).
std::string defaultFashionMnistFolder();

const std::vector<std::string>& fashionMnistClassNames();

}  // namespace sw
