#include "data/ShapesGenerator.h"

#include <cmath>
#include <cstring>
#include <random>

#include <ATen/Parallel.h>
#include <opencv2/imgproc.hpp>

#include "data/ImageConversion.h"

namespace sw {

namespace {

enum Shape { kCircle, kSquare, kTriangle, kCross, kShapeCount };

/// Portable uniform numbers: the standard distributions differ between library implementations.
class SampleRandom {
public:
    explicit SampleRandom(uint64_t seed) : m_engine(seed) {}
    double uniform(double low, double high) { return low + (high - low) * (double(m_engine() >> 11) * (1.0 / 9007199254740992.0)); }
    int integer(int count) { return static_cast<int>(m_engine() % uint64_t(count)); }
    double normal() {
        const double u1 = std::max(uniform(0.0, 1.0), 1e-12);
        const double u2 = uniform(0.0, 1.0);
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }

private:
    std::mt19937_64 m_engine;
};

uint64_t sampleSeed(uint64_t seed, int64_t index) {
    // SplitMix64 of the pair, so neighbouring seeds give unrelated samples.
    uint64_t z = seed * 0x9E3779B97F4A7C15ull + uint64_t(index) + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void drawShape(cv::Mat& canvas, Shape shape, cv::Point2d centre, double radius, double angle, double value) {
    const cv::Scalar colour(value);
    if (shape == kCircle) {
        cv::circle(canvas, centre, int(std::lround(radius)), colour, cv::FILLED, cv::LINE_8);
        return;
    }
    std::vector<cv::Point2d> outline;
    if (shape == kSquare) {
        for (int k = 0; k < 4; ++k) {
            const double a = angle + M_PI / 4 + k * M_PI / 2;
            outline.emplace_back(centre.x + radius * std::cos(a), centre.y + radius * std::sin(a));
        }
    } else if (shape == kTriangle) {
        for (int k = 0; k < 3; ++k) {
            const double a = angle - M_PI / 2 + k * 2 * M_PI / 3;
            outline.emplace_back(centre.x + radius * std::cos(a), centre.y + radius * std::sin(a));
        }
    } else {
        const double arm = radius * 0.35;
        const double corners[12][2] = {{-arm, -radius}, {arm, -radius}, {arm, -arm}, {radius, -arm}, {radius, arm},   {arm, arm},
                                       {arm, radius},   {-arm, radius}, {-arm, arm}, {-radius, arm}, {-radius, -arm}, {-arm, -arm}};
        for (const auto& corner : corners) {
            const double x = corner[0] * std::cos(angle) - corner[1] * std::sin(angle);
            const double y = corner[0] * std::sin(angle) + corner[1] * std::cos(angle);
            outline.emplace_back(centre.x + x, centre.y + y);
        }
    }
    std::vector<cv::Point> polygon;
    for (const auto& p : outline) polygon.emplace_back(int(std::lround(p.x)), int(std::lround(p.y)));
    cv::fillPoly(canvas, std::vector<std::vector<cv::Point>>{polygon}, colour, cv::LINE_8);
}

void generateSample(const ShapesOptions& options, int64_t index, uint8_t* imageOut, uint8_t* maskOut, int64_t* labelOut) {
    SampleRandom random(sampleSeed(options.seed, index));
    const int height = int(options.height), width = int(options.width);
    const auto shape = static_cast<Shape>(random.integer(kShapeCount));
    const double minSide = std::min(height, width);
    const double radius = random.uniform(0.22, 0.36) * minSide;
    const cv::Point2d centre(random.uniform(radius + 1, width - radius - 1), random.uniform(radius + 1, height - radius - 1));
    const double angle = random.uniform(-0.4, 0.4);

    // Background: a low-contrast oriented stripe texture plus pixel noise.
    const double frequency = random.uniform(0.15, 0.6), orientation = random.uniform(0, M_PI);
    const double phase = random.uniform(0, 2 * M_PI), background = random.uniform(0.25, 0.45);
    const double foreground = background + (random.integer(2) ? 1 : -1) * random.uniform(0.3, 0.5);

    cv::Mat mask = cv::Mat::zeros(height, width, CV_8UC1);
    drawShape(mask, shape, centre, radius, angle, 255);
    std::vector<double> tint(size_t(options.channels));
    for (auto& t : tint) t = random.uniform(0.85, 1.15);
    for (int64_t c = 0; c < options.channels; ++c) {
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                const double texture = 0.08 * std::sin(frequency * (x * std::cos(orientation) + y * std::sin(orientation)) + phase);
                const bool inside = mask.at<uint8_t>(y, x) != 0;
                double value = (inside ? foreground : background + texture) * tint[size_t(c)] + 0.06 * random.normal();
                value = std::clamp(value, 0.0, 1.0);
                imageOut[(c * height + y) * width + x] = static_cast<uint8_t>(std::lround(value * 255.0));
            }
        }
    }
    std::memcpy(maskOut, mask.data, size_t(height) * size_t(width));
    *labelOut = shape;
}

}  // namespace

const std::vector<std::string>& shapeClassNames() {
    static const std::vector<std::string> names = {"circle", "square", "triangle", "cross"};
    return names;
}

Dataset generateShapes(const ShapesOptions& options) {
    TORCH_CHECK(options.count > 0, "shapes: count must be positive");
    TORCH_CHECK(options.height >= 12 && options.width >= 12, "shapes: images must be at least 12×12");
    Dataset set;
    set.images = torch::empty({options.count, options.channels, options.height, options.width}, torch::kUInt8);
    set.masks = torch::empty({options.count, options.height, options.width}, torch::kUInt8);
    set.labels = torch::empty({options.count}, torch::kInt64);
    set.classNames = shapeClassNames();
    const int64_t imageBytes = options.channels * options.height * options.width;
    const int64_t maskBytes = options.height * options.width;
    auto* images = set.images.data_ptr<uint8_t>();
    auto* masks = set.masks.data_ptr<uint8_t>();
    auto* labels = set.labels.data_ptr<int64_t>();
    at::parallel_for(0, options.count, 16, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            generateSample(options, i, images + i * imageBytes, masks + i * maskBytes, labels + i);
        }
    });
    return set;
}

}  // namespace sw
