#include "data/Dataset.h"

namespace sw {

std::array<int64_t, 3> Dataset::imageShape() const {
    if (!images.defined()) {
        return {0, 0, 0};
    }
    return {images.size(1), images.size(2), images.size(3)};
}

torch::Tensor Dataset::floatImages(const torch::Tensor& indices) const {
    return images.index_select(0, indices).to(torch::kFloat32).div_(255.0f);
}

Dataset Dataset::head(int64_t count) const {
    if (count <= 0 || count >= size()) {
        return *this;
    }
    return subset(torch::arange(count, torch::kInt64));
}

Dataset Dataset::subset(const torch::Tensor& indices) const {
    Dataset part = *this;
    part.images = images.index_select(0, indices);
    part.labels = labels.index_select(0, indices);
    if (masks.defined()) {
        part.masks = masks.index_select(0, indices);
    }
    return part;
}

}  // namespace sw
