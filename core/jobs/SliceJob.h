#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "explain/SaliencyConfig.h"
#include "jobs/JobEdge.h"
#include "jobs/ModelReference.h"
#include "metrics/InputSliceOptions.h"
#include "util/Precision.h"

namespace sw {

/// `saliency-cli slice`: the local geometry around one image for one or more models (docs/GEOMETRY.md).
struct SliceRequest {
    std::vector<ModelReference> models;
    std::string datasetSpec = "fmnist:test";
    int64_t index = 0;
    std::string imageFile;             ///< when set, slices through this file instead of the dataset sample
    std::string direction = "random";  ///< random, gradient, pgd, or image:N (toward sample N of the dataset)
    InputSliceOptions slice;
    SaliencyConfig saliency;
    uint64_t seed = 0;  ///< the random direction, PGD's random start and the RIS/ROS perturbations
    std::string device = "auto";
    int threads = 0;
    Precision precision = Precision::Float32;
    std::string outputDir;  ///< empty = no files (the GUI)
    bool writePng = false;  ///< overlays of the maps at five values of t
};

/// The numbers that describe the geometry at the image itself, beside its slice (docs/GEOMETRY.md).
struct ImageGeometry {
    double localCurvature = 0.0;        ///< metrics/LocalCurvature.h, at the evaluation protocol's radius
    std::optional<double> hessianNorm;  ///< softplus-surrogate Hessian spectral norm; native models only
    double ris = 0.0;                   ///< the image's own RIS and ROS (NaN when a perturbation changed the prediction)
    double ros = 0.0;
};

/// One model's slice, as the job delivers it: metrics/InputSlice.h's values in plain types, one entry per point.
struct ModelSlice {
    std::string model;  ///< the file's stem
    int64_t explainedClass = -1;
    std::string explainedClassName;
    std::vector<std::string> classNames;                                                            ///< the model's name for every class
    std::vector<double> steps, explainedLogit, margin, logitCurvature, gradientNorm, ssim, cosine;  ///< NaN where undefined
    std::vector<double> probability;  ///< the softmax probability of the explained class
    std::vector<int64_t> predictions;
    int64_t mapHeight = 0, mapWidth = 0;
    std::vector<float> maps;  ///< points × mapHeight × mapWidth, row-major
    ImageGeometry geometry;

    size_t centre() const { return steps.size() / 2; }  ///< the index of t = 0
};

/// Slices every model along the chosen direction and, with an output folder, writes DIR/slice.csv (one row per
/// model and t), DIR/maps-<model>.npy (P × H × W float32 per model), DIR/geometry.json (the request, each model's
/// explained class and ImageGeometry) and with writePng DIR/<model>/overlay_<point>.png. Every option is checked
/// before any work; the files appear together or not at all. `onSlice` gets each model's slice as it finishes.
JobResult runSliceJob(const SliceRequest& request, Feedback& feedback, const std::function<void(const ModelSlice&)>& onSlice = {});

/// The directions `--direction` accepts, for help texts.
std::string sliceDirectionHelp();

}  // namespace sw
