#include "data/DatasetSpec.h"
#include "TestSupport.h"

using sw::DatasetSpec;

class TestDatasetSpec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesFashionMnistForms() {
        auto plain = DatasetSpec::parse("fmnist");
        QCOMPARE(int(plain.kind), int(DatasetSpec::Kind::FashionMnist));
        QVERIFY(plain.location.empty());
        QVERIFY(plain.split.empty());
        auto split = DatasetSpec::parse("fmnist:train");
        QCOMPARE(split.split, std::string("train"));
        QVERIFY(split.location.empty());
        auto folder = DatasetSpec::parse("fmnist:/data/fm:test");
        QCOMPARE(folder.location, std::string("/data/fm"));
        QCOMPARE(folder.split, std::string("test"));
        auto onlyFolder = DatasetSpec::parse("mnist:/data/m");
        QCOMPARE(onlyFolder.location, std::string("/data/m"));
        QVERIFY(onlyFolder.split.empty());
    }
    void parsesShapes() {
        auto spec = DatasetSpec::parse("shapes:500:9");
        QCOMPARE(int(spec.kind), int(DatasetSpec::Kind::Shapes));
        QCOMPARE(spec.count, int64_t(500));
        QCOMPARE(spec.seed, uint64_t(9));
        QCOMPARE(DatasetSpec::parse("shapes").count, int64_t(2000));
        QCOMPARE(DatasetSpec::parse("shapes:64:3:train").split, std::string("train"));
    }
    void roundTripsThroughText() {
        for (const char* text : {"fmnist:/a/b:test", "cifar10:/c:train", "imagefolder:/i", "shapes:10:2:test", "image:/x/y.png"}) {
            QCOMPARE(DatasetSpec::parse(DatasetSpec::parse(text).toString()).toString(), DatasetSpec::parse(text).toString());
        }
    }
    void rejectsBadSpecs() {
        sw::test::expectErrorMentioning([] { DatasetSpec::parse("pets"); }, {"pets", "unknown dataset"});
        sw::test::expectErrorMentioning([] { DatasetSpec::parse("cifar10"); }, {"cifar10", "needs a folder"});
        sw::test::expectErrorMentioning([] { DatasetSpec::parse("shapes:many"); }, {"expected a number", "many"});
        sw::test::expectErrorMentioning([] { DatasetSpec::parse(""); }, {"empty"});
        sw::test::expectErrorMentioning([] { DatasetSpec::parse("fmnist:/a:/b:/c"); }, {"fmnist:/a:/b:/c"});
    }
};

QTEST_APPLESS_MAIN(TestDatasetSpec)
#include "TestDatasetSpec.moc"
