#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "explain/SaliencyConfig.h"
#include "jobs/JobEdge.h"
#include "jobs/ModelReference.h"

namespace sw {

/// One image of a comparison, as it was explained (after any added noise).
struct CompareImage {
    cv::Mat pixels;                       ///< 8-bit grey or BGR, H×W
    int64_t label = -1;                   ///< −1 when unknown (image files)
    std::string source;                   ///< "fmnist:test #17" or the file name
    std::vector<std::string> classNames;  ///< of the first model
};

/// One cell of the compare grid: a model's map for one method.
struct CompareCell {
    size_t modelIndex = 0;
    size_t methodIndex = 0;
    cv::Mat heatmap;  ///< CV_32F H×W (channels reduced as the method's config says)
    int64_t prediction = -1;
    double confidence = 0.0;  ///< softmax probability of the prediction
    std::string predictedClass;
    double gini = 0.0;          ///< Sparseness (Gini index of |attribution|, Quantus' definition)
    double milliseconds = 0.0;  ///< time to compute this cell
    std::string error;          ///< non-empty when this model could not explain the image (readableMessage)
};

/// Models × methods for one image: a dataset sample or an image file, optionally with Gaussian pixel noise.
struct CompareRequest {
    std::vector<ModelReference> models;
    std::vector<SaliencyConfig> methods;
    std::string datasetSpec = "fmnist:test";
    int64_t index = 0;
    std::string imageFile;    ///< when set, explains this file instead of the dataset sample
    double noiseSigma = 0.0;  ///< x′ = clip(x + σ·z, 0, 1), pixel units; z is fixed by noiseSeed so that
    uint64_t noiseSeed = 0;   ///< moving σ scales one noise pattern instead of drawing a new one
    std::string device = "auto";
};

/// What the image browser shows: every sample's thumbnail and label, and a model's predictions.
struct DatasetOverview {
    std::string spec;
    std::vector<std::string> classNames;
    std::vector<int64_t> labels;
    std::vector<cv::Mat> thumbnails;   ///< 8-bit grey or BGR at the dataset's resolution
    std::vector<int64_t> predictions;  ///< empty when no model was given
};

/// Keeps loaded models and datasets between requests, so that moving the noise slider or stepping through
/// images recomputes only the maps. Models are reloaded when their file changes on disk. The caches are
/// bounded (8 models, 2 GiB of weights per device, 3 datasets); the least recently used go first.
/// Thread-safe (calls are serialised); meant to live on the GUI's interactive worker thread.
class CompareSession {
public:
    CompareSession();
    ~CompareSession();
    CompareSession(const CompareSession&) = delete;
    CompareSession& operator=(const CompareSession&) = delete;

    /// Explains the image with every model and method. `onImage` is called once, before the first cell;
    /// `onCell` as soon as each cell is done (method by method, so the cheapest columns arrive first).
    /// A model that fails (wrong input shape, unreadable file) yields cells with `error` set; a bad image
    /// or dataset fails the whole job. Cancel is checked between cells and inside IG/SmoothGrad batches.
    JobResult compare(const CompareRequest& request, Feedback& feedback, const std::function<void(const CompareImage&)>& onImage,
                      const std::function<void(const CompareCell&)>& onCell);

    /// Loads a dataset's thumbnails and labels, and, when `model` is given, its predictions (for
    /// "misclassified only"), computed on `device` (auto, cpu, cuda:N). Image folders are fitted to the
    /// model's input shape.
    JobResult overview(const std::string& datasetSpec, const std::optional<ModelReference>& model, const std::string& device,
                       Feedback& feedback, DatasetOverview* overview);

    size_t cachedModelCount() const;
    size_t cachedDatasetCount() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace sw
