#pragma once

#include <QtTest/QtTest>
#include <QtWidgets>
#include <memory>
#include <utility>

#include "compare/ComparePanel.h"
#include "compare/OverlayGrid.h"
#include "shell/MainWindow.h"
#include "shell/ModelLibrary.h"
#include "ui/UiTestSupport.h"

namespace sw::ui::test {

/// Distinct colours and whether any pixel is coloured (not grey): an overlay or a plot, not a blank or plain image.
inline std::pair<int, bool> colourContent(const QImage& image) {
    QSet<QRgb> colours;
    bool coloured = false;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb pixel = image.pixel(x, y);
            colours.insert(pixel);
            coloured = coloured || qRed(pixel) != qGreen(pixel) || qGreen(pixel) != qBlue(pixel);
        }
    }
    return {int(colours.size()), coloured};
}

/// The workbench as a user starts it for the panel tests: a workspace holding two tiny models (natural, and
/// adversarial with a Gaussian smoothing block), both loaded, on the generated shapes set. Each test class derives
/// from it and drives one window in declaration order, as a user would.
class TwoModelWindow : public QObject {
protected:
    /// Trains the two models and opens the window on them; returns the error, or empty.
    QString open() {
        QStandardPaths::setTestModeEnabled(true);
        QDir().mkpath(m_workspace.filePath("models"));
        for (const auto& [name, adversarial] : {std::pair{"natural", false}, std::pair{"robust-smooth", true}}) {
            const auto error = trainTinyModel(modelPath(name), adversarial);
            if (!error.isEmpty()) return error;
        }
        m_window = std::make_unique<MainWindow>(MainWindow::Options{false});
        m_window->resize(1400, 900);
        m_window->show();
        if (const auto error = m_window->openWorkspace(m_workspace.path(), false); !error.isEmpty()) return error;
        m_window->library()->setDatasetSpec(kDataset);
        m_window->library()->addModelFile(modelPath("natural"));
        m_window->library()->addModelFile(modelPath("robust-smooth"));
        // The panels compute nothing until both models are read: a test that starts earlier sees an empty grid.
        const bool loaded = QTest::qWaitFor(
            [this] { return !m_window->library()->isReading() && m_window->library()->checkedModels().size() == 2; }, kEventTimeoutMs);
        return loaded ? QString() : QString("the two models were not loaded within %1 ms").arg(kEventTimeoutMs);
    }
    void close() { m_window.reset(); }

    static constexpr const char* kDataset = "shapes:64:9:test";

    MainWindow* window() const { return m_window.get(); }
    ComparePanel* compare() const { return m_window->comparePanel(); }
    OverlayGrid* grid() const { return compare()->grid(); }
    int modelCount() const { return m_window->library()->models().size(); }
    QString workspaceFile(const QString& name) const { return m_workspace.filePath(name); }
    QString workspacePath() const { return m_workspace.path(); }
    QString modelPath(const QString& name) const { return m_workspace.filePath("models/" + name + ".swm"); }

    /// Every cell of the compare grid computed: the models loaded and no job running.
    bool gridIsReady() const {
        return grid()->modelCount() > 0 && !compare()->isComputing() &&
               grid()->readyCellCount() == grid()->modelCount() * grid()->methodCount();
    }
    void waitForGrid() { QTRY_VERIFY_WITH_TIMEOUT(gridIsReady(), kEventTimeoutMs); }

private:
    QTemporaryDir m_workspace;
    std::unique_ptr<MainWindow> m_window;
};

}  // namespace sw::ui::test
