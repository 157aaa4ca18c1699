#pragma once

#include <cstdint>
#include <vector>

namespace sw {

/// Williams' balanced Latin square for `conditions` conditions: each row is one participant's order of the
/// conditions; every condition takes every position once per square, and every condition directly follows
/// every other one equally often (first-order carry-over balance). `conditions` rows when it is even,
/// 2 × `conditions` when it is odd and above 1 (the square and its mirror image). docs/STUDY.md.
std::vector<std::vector<int>> balancedLatinSquare(int conditions);

/// One trial of a participant's session: an image under a condition, or an attention check (a trial with a
/// known answer; `image` and `condition` are then −1).
struct Trial {
    int image = -1;
    int condition = -1;
    bool attentionCheck = false;

    bool operator==(const Trial& other) const {
        return image == other.image && condition == other.condition && attentionCheck == other.attentionCheck;
    }
};

struct TrialOrderOptions {
    int images = 0;  ///< every image is shown once under every condition
    int conditions = 0;
    uint64_t seed = 0;       ///< the same seed and participant give the same order, on every machine
    int attentionEvery = 0;  ///< an attention check after every N trials (0 = none)
};

/// Participant `participant`'s trials (counting from 0). The session is `conditions` rounds; each round shows
/// every image once, and over the rounds every image meets every condition once. The image orders are drawn
/// from the seed once per block of participants (as many as the Latin square has rows); within a block the
/// conditions follow the participants' rows of the square, so every condition appears at every position
/// equally often across the block. No image is shown twice in a row. Throws InputError for fewer than one
/// image or condition.
std::vector<Trial> participantTrials(const TrialOrderOptions& options, int participant);

/// A uniform draw from [0, bound) that is the same on every platform (std::uniform_int_distribution and
/// std::shuffle are not specified exactly, so their results differ between standard libraries).
uint64_t portableDraw(uint64_t& state, uint64_t bound);
/// Fisher–Yates with portableDraw.
void portableShuffle(std::vector<int>& items, uint64_t& state);

}  // namespace sw
