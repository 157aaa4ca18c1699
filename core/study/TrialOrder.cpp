#include "study/TrialOrder.h"

#include <numeric>
#include <string>

#include "util/InputError.h"

namespace sw {

namespace {

/// SplitMix64 (Steele, Lea and Flood 2014): a fully specified generator, so orders are the same everywhere.
uint64_t nextRandom(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

uint64_t portableDraw(uint64_t& state, uint64_t bound) {
    // Rejection keeps the draw uniform: values in the incomplete last block of `bound` are drawn again.
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t value = nextRandom(state);
    while (value >= limit) value = nextRandom(state);
    return value % bound;
}

void portableShuffle(std::vector<int>& items, uint64_t& state) {
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[portableDraw(state, i)]);
}

std::vector<std::vector<int>> balancedLatinSquare(int conditions) {
    if (conditions < 1) throw InputError("conditions", "a study needs at least one condition");
    // Williams (1949): the first row is 0, 1, n−1, 2, n−2, …; row r adds r to every entry (mod n).
    std::vector<int> first(static_cast<size_t>(conditions));
    for (int position = 0, low = 1, high = conditions - 1; position < conditions; ++position) {
        if (position == 0)
            first[0] = 0;
        else if (position % 2 == 1)
            first[size_t(position)] = low++;
        else
            first[size_t(position)] = high--;
    }
    std::vector<std::vector<int>> square;
    for (int row = 0; row < conditions; ++row) {
        std::vector<int> order;
        for (const int entry : first) order.push_back((entry + row) % conditions);
        square.push_back(order);
    }
    if (conditions % 2 == 1 && conditions > 1) {  // an odd square balances carry-over only with its mirror image
        for (int row = 0; row < conditions; ++row) square.emplace_back(square[size_t(row)].rbegin(), square[size_t(row)].rend());
    }
    return square;
}

std::vector<Trial> participantTrials(const TrialOrderOptions& options, int participant) {
    if (options.images < 1) throw InputError("images", "a study needs at least one image");
    if (participant < 0) throw InputError("participant " + std::to_string(participant), "participants are counted from 0");
    const auto square = balancedLatinSquare(options.conditions);
    const size_t block = size_t(participant) / square.size();
    const auto& row = square[size_t(participant) % square.size()];
    // The image orders are drawn once per block of participants (as many as the square has rows): within a
    // block everyone sees the images in the same order and only the conditions differ, which is what makes
    // every condition appear at every position equally often across the block.
    uint64_t state = options.seed ^ (0xD1B54A32D192ED03ull * (uint64_t(block) + 1));
    std::vector<Trial> trials;
    int lastImage = -1;
    int regularTrials = 0;
    for (int round = 0; round < options.conditions; ++round) {
        std::vector<int> images(size_t(options.images));
        std::iota(images.begin(), images.end(), 0);
        portableShuffle(images, state);
        // The round's first image must not be the previous round's last: swap it with the next one.
        if (images.size() > 1 && images.front() == lastImage) std::swap(images[0], images[1]);
        for (const int image : images) {
            // Image i in round r takes column (r + i) mod n of the participant's row: over the n rounds each
            // image meets every condition once, and across the square's rows each column holds every condition.
            const int column = (round + image) % options.conditions;
            trials.push_back(Trial{image, row[size_t(column)], false});
            if (options.attentionEvery > 0 && ++regularTrials % options.attentionEvery == 0) trials.push_back(Trial{-1, -1, true});
        }
        lastImage = images.back();
    }
    return trials;
}

}  // namespace sw
