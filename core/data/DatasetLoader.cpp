#include "data/DatasetLoader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "data/Cifar10Format.h"
#include "data/IdxFormat.h"
#include "data/ImageFile.h"
#include "data/ShapesGenerator.h"
#include "util/InputError.h"
#include "util/Resources.h"

namespace fs = std::filesystem;

namespace sw {

namespace {

const std::vector<std::string>& digitClassNames() {
    static const std::vector<std::string> names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return names;
}

const std::vector<std::string>& cifar10ClassNames() {
    static const std::vector<std::string> names = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                   "dog",      "frog",       "horse", "ship", "truck"};
    return names;
}

/// `stem` or `stem.gz` inside `folder`, whichever exists.
fs::path findIdxFile(const fs::path& folder, const std::string& stem) {
    for (const auto& name : {stem, stem + ".gz"}) {
        if (fs::is_regular_file(folder / name)) {
            return folder / name;
        }
    }
    throw InputError((folder / (stem + ".gz")).string(),
                     "file not found (expected " + stem + " or " + stem + ".gz in " + folder.string() + ")");
}

Dataset loadIdx(const DatasetSpec& spec, const std::string& split, const fs::path& folder, const std::vector<std::string>& classNames) {
    if (split != "train" && split != "test") {
        throw InputError("dataset spec '" + spec.toString() + "'", "split must be train or test, got '" + split + "'");
    }
    const std::string prefix = split == "train" ? "train" : "t10k";
    const auto imagesPath = findIdxFile(folder, prefix + "-images-idx3-ubyte");
    const auto labelsPath = findIdxFile(folder, prefix + "-labels-idx1-ubyte");
    Dataset set;
    set.images = parseIdxImages(readPossiblyGzippedFile(imagesPath), imagesPath.string());
    set.labels = parseIdxLabels(readPossiblyGzippedFile(labelsPath), labelsPath.string(), int64_t(classNames.size()));
    if (set.images.size(0) != set.labels.size(0)) {
        throw InputError(labelsPath.string(), "holds " + std::to_string(set.labels.size(0)) + " labels but " +
                                                  imagesPath.filename().string() + " holds " + std::to_string(set.images.size(0)) +
                                                  " images");
    }
    set.classNames = classNames;
    return set;
}

Dataset loadCifar10(const DatasetSpec& spec, const std::string& split) {
    fs::path folder = spec.location;
    if (fs::is_directory(folder / "cifar-10-batches-bin")) {
        folder /= "cifar-10-batches-bin";
    }
    if (!fs::is_directory(folder)) {
        throw InputError(folder.string(), "folder not found (expected the CIFAR-10 binary version, cifar-10-batches-bin)");
    }
    std::vector<fs::path> files;
    if (split == "train") {
        for (int i = 1; i <= 5; ++i) files.push_back(folder / ("data_batch_" + std::to_string(i) + ".bin"));
    } else if (split == "test") {
        files.push_back(folder / "test_batch.bin");
    } else {
        throw InputError("dataset spec '" + spec.toString() + "'", "split must be train or test, got '" + split + "'");
    }
    std::vector<torch::Tensor> images, labels;
    for (const auto& file : files) {
        auto batch = parseCifar10Batch(readPossiblyGzippedFile(file), file.string());
        images.push_back(batch.images);
        labels.push_back(batch.labels);
    }
    Dataset set;
    set.images = torch::cat(images);
    set.labels = torch::cat(labels);
    set.classNames = cifar10ClassNames();
    std::ifstream meta(folder / "batches.meta.txt");
    std::vector<std::string> names;
    for (std::string line; std::getline(meta, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) names.push_back(line);
    }
    if (names.size() == 10) set.classNames = names;
    return set;
}

std::vector<fs::path> sortedEntries(const fs::path& folder, bool directories) {
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (directories ? entry.is_directory() : entry.is_regular_file()) entries.push_back(entry.path());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

Dataset loadImageFolder(const DatasetSpec& spec, const std::string& split, const std::array<int64_t, 3>& shape) {
    fs::path folder = spec.location;
    if (!fs::is_directory(folder)) {
        throw InputError(folder.string(), "folder not found");
    }
    // ImageNette's layout has train/ and val/ above the class folders; a plain folder has the classes directly.
    const std::string subfolder = split == "test" ? "val" : split;
    if (fs::is_directory(folder / subfolder)) {
        folder /= subfolder;
    } else if (split == "test" && fs::is_directory(folder / "test")) {
        folder /= "test";
    }
    Dataset set;
    std::vector<torch::Tensor> images;
    std::vector<int64_t> labels;
    for (const auto& classFolder : sortedEntries(folder, true)) {
        const auto label = int64_t(set.classNames.size());
        bool any = false;
        for (const auto& file : sortedEntries(classFolder, false)) {
            if (!hasImageExtension(file)) continue;
            images.push_back(loadImageFile(file, shape[0], shape[1], shape[2]));
            labels.push_back(label);
            any = true;
        }
        if (any) set.classNames.push_back(classFolder.filename().string());
    }
    if (images.empty()) {
        throw InputError(folder.string(), "no images found (expected one sub-folder per class holding .png or .jpg files)");
    }
    set.images = torch::stack(images);
    set.labels = torch::tensor(labels, torch::kInt64);
    return set;
}

}  // namespace

const std::vector<std::string>& fashionMnistClassNames() {
    static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

std::string defaultFashionMnistFolder() {
    std::vector<fs::path> candidates = {kDebianFashionMnistDir};
    if (const auto bundled = findResource("fashion-mnist-subset"); !bundled.empty()) candidates.emplace_back(bundled);
    for (const auto& candidate : candidates) {
        if (fs::is_regular_file(candidate / "t10k-images-idx3-ubyte.gz") || fs::is_regular_file(candidate / "t10k-images-idx3-ubyte")) {
            return candidate.string();
        }
    }
    return kDebianFashionMnistDir;
}

Dataset loadDataset(const DatasetSpec& spec, const DatasetLoadOptions& options) {
    const std::string split = spec.splitOr(options.defaultSplit);
    Dataset set;
    switch (spec.kind) {
    case DatasetSpec::Kind::FashionMnist:
        set = loadIdx(spec, split, spec.location.empty() ? defaultFashionMnistFolder() : spec.location, fashionMnistClassNames());
        break;
    case DatasetSpec::Kind::Mnist:
        set = loadIdx(spec, split, spec.location.empty() ? "/usr/share/datasets/mnist" : spec.location, digitClassNames());
        break;
    case DatasetSpec::Kind::Cifar10:
        set = loadCifar10(spec, split);
        break;
    case DatasetSpec::Kind::ImageFolder:
        set = loadImageFolder(spec, split, options.imageShape.value_or(std::array<int64_t, 3>{3, 224, 224}));
        break;
    case DatasetSpec::Kind::ImageFile: {
        const auto shape = options.imageShape.value_or(std::array<int64_t, 3>{3, 224, 224});
        set.images = loadImageFile(spec.location, shape[0], shape[1], shape[2]).unsqueeze(0);
        set.labels = torch::full({1}, -1, torch::kInt64);  // unknown label
        set.classNames = {};
        break;
    }
    case DatasetSpec::Kind::Shapes: {
        ShapesOptions shapes;
        shapes.count = spec.count;
        // The test split is an independent stream drawn from the same generator.
        shapes.seed = split == "train" ? spec.seed : spec.seed ^ 0x7E57DA7Aull;
        if (options.imageShape) {
            shapes.channels = (*options.imageShape)[0];
            shapes.height = (*options.imageShape)[1];
            shapes.width = (*options.imageShape)[2];
        }
        set = generateShapes(shapes);
        break;
    }
    }
    auto resolved = spec;
    resolved.split = spec.kind == DatasetSpec::Kind::ImageFile ? "" : split;
    set.spec = resolved.toString();
    return set;
}

}  // namespace sw
