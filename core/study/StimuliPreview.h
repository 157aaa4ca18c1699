#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "study/StimuliJob.h"

namespace sw {

/// What the stimuli of a request will look like, for the experimenter before they are built: the first image
/// under every condition, rendered as the set will render it, and how much of its colour scale each condition
/// uses. Under a shared scale a condition whose maps are much weaker than another's shows almost nothing.
struct StimuliPreview {
    std::vector<std::string> conditions;  ///< "lenet-natural · VG": the experimenter's names, not the blind codes
    std::vector<cv::Mat> pictures;        ///< per condition, BGR as the stimulus PNG would hold it
    std::vector<double> scaleShare;       ///< per condition: its maps' own scale over the scale they are shown at (1 = full)
    std::vector<std::string> warnings;    ///< one line per condition that shows under kFaintShare of its scale
    static constexpr double kFaintShare = 0.3;
};

/// Computes the preview on up to `images` of the request's images (the share is their median). Throws
/// InputError for what runStimuliJob would refuse.
StimuliPreview previewStimuli(const StimuliRequest& request, int images, Feedback& feedback);

}  // namespace sw
