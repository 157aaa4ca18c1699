#include <opencv2/imgproc.hpp>

#include "data/ImageConversion.h"
#include "io/HeatmapImage.h"
#include "io/OverlayRenderer.h"
#include "TestSupport.h"

using namespace sw;

/// The torch-free renderer the GUI re-renders with, checked against torch.quantile and by construction.
class TestOverlayRenderer : public QObject {
    Q_OBJECT
private:
    static cv::Mat ramp(int rows, int cols, float sign = 1.0f) {
        cv::Mat map(rows, cols, CV_32F);
        for (int i = 0; i < rows * cols; ++i) map.at<float>(i / cols, i % cols) = sign * float(i + 1);
        return map;
    }

private Q_SLOTS:
    void scaleMatchesTorchQuantile() {
        torch::manual_seed(3);
        const auto values = torch::randn({17, 13});
        const auto asMat = heatmapToMat(values);
        for (const double percentile : {0.0, 37.5, 90.0, 99.5, 100.0}) {
            QVERIFY(std::abs(heatmapScale(asMat, percentile) - heatmapScale(values, percentile)) < 1e-5);
        }
        QCOMPARE(heatmapScale(cv::Mat::zeros(4, 4, CV_32F), 100.0), 1.0);  // never divides by zero
    }
    void topPercentKeepsTheLargestMagnitudes() {
        const auto map = ramp(10, 10, -1.0f);  // |values| 1..100
        const auto kept = keepTopPercent(map, 10.0);
        QCOMPARE(cv::countNonZero(kept), 10);
        QCOMPARE(kept.at<float>(9, 9), -100.0f);  // the sign survives
        QCOMPARE(kept.at<float>(9, 0), -91.0f);
        QCOMPARE(kept.at<float>(8, 9), 0.0f);
        QCOMPARE(cv::countNonZero(keepTopPercent(map, 100.0)), 100);
    }
    void zeroMapShowsTheImageUnchanged() {
        cv::Mat image(6, 6, CV_8U, cv::Scalar(77));
        HeatmapStyle style;
        style.colormap = "diverging";
        const auto overlay = renderOverlay(image, cv::Mat::zeros(6, 6, CV_32F), style, 12);
        QCOMPARE(overlay.size(), cv::Size(12, 12));
        QCOMPARE(overlay.at<cv::Vec3b>(5, 5), cv::Vec3b(77, 77, 77));
    }
    void fullOpacityShowsTheColormap() {
        cv::Mat image(4, 4, CV_8U, cv::Scalar(0));
        auto map = ramp(4, 4);
        HeatmapStyle style;
        style.colormap = "viridis";
        style.opacity = 1.0;
        const auto overlay = renderOverlay(image, map, style, 4);
        QCOMPARE(overlay.at<cv::Vec3b>(3, 3), colourOf("viridis", 1.0));  // the max maps to the top
        // A shared scale twice the map's max puts the max in the middle of the colormap.
        style.scaleMax = 32.0;
        QCOMPARE(renderOverlay(image, map, style, 4).at<cv::Vec3b>(3, 3), colourOf("viridis", 0.5));
    }
    void divergingShowsTheSign() {
        cv::Mat image(1, 2, CV_8U, cv::Scalar(0));
        cv::Mat map = (cv::Mat_<float>(1, 2) << 1.0f, -1.0f);
        HeatmapStyle style;
        style.colormap = "diverging";
        style.opacity = 1.0;
        const auto overlay = renderOverlay(image, map, style, 1);
        QCOMPARE(overlay.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 255));  // red (BGR) for positive
        QCOMPARE(overlay.at<cv::Vec3b>(0, 1), cv::Vec3b(255, 0, 0));  // blue for negative
    }
    void colourBarRunsFromBottomToTop() {
        const auto bar = renderColourBar("inferno", 50, 8);
        QCOMPARE(bar.size(), cv::Size(8, 50));
        QCOMPARE(bar.at<cv::Vec3b>(0, 0), colourOf("inferno", 1.0));
        QCOMPARE(bar.at<cv::Vec3b>(49, 7), colourOf("inferno", 0.0));
        const auto horizontal = renderColourBar("diverging", 21, 3, false);
        QCOMPARE(horizontal.at<cv::Vec3b>(1, 0), colourOf("diverging", -1.0));
        QCOMPARE(horizontal.at<cv::Vec3b>(1, 10), cv::Vec3b(255, 255, 255));
    }
    void torchFrontEndMatchesTheMatRenderer() {
        torch::manual_seed(5);
        const auto pixels = torch::rand({1, 9, 9});
        const auto heatmap = torch::randn({9, 9});
        HeatmapStyle style;
        style.clipPercentile = 95.0;
        const auto fromTensors = renderOverlay(pixels, heatmap, style, 18);
        auto resolved = style;
        resolved.scaleMax = heatmapScale(heatmap, 95.0);
        const auto fromMats = renderOverlay(tensorToMat(pixels), heatmapToMat(heatmap), resolved, 18);
        QCOMPARE(cv::norm(fromTensors, fromMats, cv::NORM_INF), 0.0);
    }
    void differenceRejectsMismatchedSizes() {
        const auto a = ramp(3, 3);
        QCOMPARE(cv::countNonZero(heatmapDifference(a, a)), 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, heatmapDifference(a, ramp(3, 4)));
    }
    void knowsItsColormaps() {
        for (const auto& name : knownColormaps()) QVERIFY(isKnownColormap(name));
        QVERIFY(!isKnownColormap("jet"));
    }
};

QTEST_APPLESS_MAIN(TestOverlayRenderer)
#include "TestOverlayRenderer.moc"
