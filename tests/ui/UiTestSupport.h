#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QString>

#include "jobs/TrainJob.h"

namespace sw::ui::test {

/// How long a widget test waits for an event (a job finishing, a model loading, a dialog appearing). QTRY_*
/// returns as soon as the condition holds, so only a failing test waits this long; a minute covers a loaded
/// 2-core CI machine, where work that takes 100 ms when idle can take several seconds.
constexpr int kEventTimeoutMs = 60000;
/// How long a test waits for a small training run to end (seconds when idle: a few hundred LeNet steps, or two
/// local processes starting up); five minutes cover a loaded machine, and again only a failing test waits it out.
constexpr int kTrainingTimeoutMs = 300000;

/// Lets posted work run until the widgets are laid out: layout requests, resizes and zero-delay timers, which
/// may post more of the same, in a fixed number of rounds. Not a delay: it never waits for time to pass.
inline void settleLayout() {
    for (int round = 0; round < 20; ++round) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    }
}

/// Trains a small model on the generated shapes set (30 steps, seconds) into `path`: natural, or FGSM-RS at ε = 0.1
/// with a Gaussian smoothing block after pool1. Returns the error message, or empty.
inline QString trainTinyModel(const QString& path, bool adversarial) {
    sw::TrainRequest request;
    request.datasetSpec = "shapes:256:4";
    request.recipe.maxSteps = 30;
    request.threads = 2;
    request.device = "cpu";
    request.evalLimit = 32;
    if (adversarial) {
        request.recipe.adversarial.kind = "fgsm-rs";
        request.recipe.adversarial.epsilon = 0.1;
        request.smoothing.push_back(sw::SmoothingSpec{"gaussian", "pool1", 3, std::nullopt});
    }
    request.outputPath = path.toStdString();
    sw::Feedback feedback;
    const auto result = sw::runTrainJob(request, feedback, {});
    return result.outcome == sw::Outcome::Completed ? QString() : QString::fromStdString(result.message);
}

}  // namespace sw::ui::test
