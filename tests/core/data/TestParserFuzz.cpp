#include <chrono>
#include <random>

#include "core/data/ParserFuzzCorpus.h"
#include "data/IdxFormat.h"
#include "util/InputError.h"
#include "TestSupport.h"

/// A corpus-mutation fuzzer for the dataset parsers that runs briefly in the test suite. The same entry
/// point is the libFuzzer target in tests/fuzz/ for longer, sanitizer-instrumented runs.
class TestParserFuzz : public QObject {
    Q_OBJECT
private:
    static std::vector<uint8_t> mutate(std::vector<uint8_t> bytes, std::mt19937_64& random) {
        const int edits = 1 + int(random() % 4);
        for (int e = 0; e < edits; ++e) {
            switch (random() % 6) {
            case 0:  // flip a bit
                if (!bytes.empty()) bytes[random() % bytes.size()] ^= uint8_t(1u << (random() % 8));
                break;
            case 1:  // truncate
                bytes.resize(bytes.empty() ? 0 : random() % bytes.size());
                break;
            case 2:  // insert bytes
                bytes.insert(bytes.begin() + long(bytes.empty() ? 0 : random() % bytes.size()), size_t(1 + random() % 8),
                             uint8_t(random()));
                break;
            case 3:  // overwrite a header dimension with an extreme value
                if (bytes.size() >= 8) {
                    const size_t at = 4 + 4 * (random() % ((bytes.size() - 4) / 4 > 3 ? 3 : (bytes.size() - 4) / 4));
                    const uint32_t value = (random() % 2) ? 0xFFFFFFFFu : uint32_t(random() % 64);
                    for (int k = 0; k < 4 && at + k < bytes.size(); ++k) bytes[at + k] = uint8_t(value >> (24 - 8 * k));
                }
                break;
            case 4:  // append garbage
                for (int k = 0; k < int(random() % 3100); ++k) bytes.push_back(uint8_t(random()));
                break;
            default:  // change the magic's type or rank byte
                if (bytes.size() >= 4) bytes[2 + random() % 2] = uint8_t(random());
                break;
            }
        }
        return bytes;
    }

private Q_SLOTS:
    void mutatedInputsFailCleanly() {
        std::mt19937_64 random(20261126);
        auto corpus = sw::test::parserSeedCorpus();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        int64_t runs = 0;
        while (std::chrono::steady_clock::now() < deadline || runs < 2000) {
            const auto input = mutate(corpus[random() % corpus.size()], random);
            try {
                sw::test::parseUntrustedBytes(input.data(), input.size());
            } catch (const std::exception& error) {
                QFAIL((std::string("parser misbehaved on a mutated input: ") + error.what()).c_str());
            }
            if (random() % 16 == 0 && input.size() < 20000) corpus.push_back(input);
            ++runs;
        }
        QVERIFY(runs >= 2000);
        qInfo("fuzzed %lld inputs", static_cast<long long>(runs));
    }
    void damagedGzipStreamsFailCleanly() {
        QTemporaryDir folder;
        std::mt19937_64 random(7);
        const auto path = std::filesystem::path(folder.path().toStdString()) / "x.gz";
        const auto seed = sw::test::parserSeedCorpus()[0];
        sw::test::writeGzip(path, seed);
        std::ifstream in(path, std::ios::binary);
        const std::vector<uint8_t> compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (int run = 0; run < 300; ++run) {
            auto damaged = mutate(compressed, random);
            sw::test::writeBytes(path, damaged);
            try {
                const auto bytes = sw::readPossiblyGzippedFile(path);
                sw::test::parseUntrustedBytes(bytes.data(), bytes.size());
            } catch (const sw::InputError& error) {
                QVERIFY(std::string(error.what()).find("x.gz") != std::string::npos);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestParserFuzz)
#include "TestParserFuzz.moc"
