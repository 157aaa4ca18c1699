#include <QButtonGroup>
#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest/QtTest>
#include "ui/UiTestSupport.h"

#include "StudyFixture.h"
#include "study/ParticipantView.h"
#include "study/ResponseStore.h"
#include "shell/Workspace.h"
#include "study/NewStudyDialog.h"
#include "study/StudyPanel.h"

using namespace sw;
using namespace sw::ui;

/// The study flow under the offscreen platform: a participant answers with the keyboard alone or the mouse
/// alone, breaks come when the study says, every confirmed trial is in the database at once, the window
/// cannot be closed except by the experimenter's key, and a returning participant resumes where they stopped.
class TestParticipantView : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static void press(QWidget* view, Qt::Key key) { QTest::keyClick(view, key); }
    /// Through the window, as a real key press arrives: shortcuts are matched there.
    static void pressExitKey(QWidget* view) { QTest::keyClick(view->windowHandle(), Qt::Key_Q, Qt::ControlModifier | Qt::ShiftModifier); }

private Q_SLOTS:
    void newStudyDialogGathersTheRequest() {
        QVector<ModelEntry> models(2);
        models[0].path = "/models/natural.swm";
        models[1].path = "/models/adversarial.swm";
        NewStudyDialog dialog(models, "fmnist:test");
        dialog.setOutputFolder("/studies/one");
        auto request = dialog.request();
        QCOMPARE(request.modelPaths, (std::vector<std::string>{"/models/natural.swm", "/models/adversarial.swm"}));
        QCOMPARE(request.methods, std::vector<std::string>{"vg"});
        QCOMPARE(request.datasetSpec, std::string("fmnist:test"));
        QCOMPARE(request.outputDir, std::string("/studies/one"));
        QVERIFY(request.stratified && request.indices.empty() && request.sharedScale);
        QCOMPARE(request.study.questions.size(), size_t(2));  // the default study's two items
        dialog.findChild<QLineEdit*>("studyIndices")->setText("0-3,9");
        auto* models_ = dialog.findChild<QListWidget*>("studyModels");
        models_->item(1)->setCheckState(Qt::Unchecked);
        request = dialog.request();
        QCOMPARE(request.indices, std::string("0-3,9"));
        QCOMPARE(request.modelPaths, std::vector<std::string>{"/models/natural.swm"});
    }

    void keyboardAloneRunsAStudyWithBreaksAndResumes() {
        const QString path = m_dir.filePath("keyboard");
        sw::ui::test::makeStudyFolder(path, 2, 2, 3, 3);  // a break after every 3 trials
        const auto study = loadStudyFolder(path.toStdString());
        ResponseStore store(study);
        const int total = int(study.orders[1].size());
        {
            auto* view = new ParticipantView(study, store, "K1", 1);
            view->present(nullptr);
            QCOMPARE(view->page(), QString("consent"));
            QVERIFY(!store.participant("K1"));  // nothing stored before consent
            press(view, Qt::Key_Return);
            QCOMPARE(view->page(), QString("instructions"));
            QVERIFY(store.participant("K1"));
            press(view, Qt::Key_Return);
            QCOMPARE(view->page(), QString("trial"));
            press(view, Qt::Key_Return);  // nothing answered yet: Enter does nothing
            QCOMPARE(view->currentTrial(), 0);
            press(view, Qt::Key_5);
            press(view, Qt::Key_2);
            press(view, Qt::Key_Backspace);  // back to the second statement's… first: correct the first answer
            press(view, Qt::Key_Backspace);
            press(view, Qt::Key_6);
            press(view, Qt::Key_Return);
            QCOMPARE(view->currentTrial(), 1);
            auto rows = store.responses();
            QCOMPARE(rows.size(), size_t(2));
            QCOMPARE(rows[0].answer, std::string("6"));
            QCOMPARE(rows[1].answer, std::string("2"));
            QVERIFY(rows[0].responseMs > 0.0);
            for (int trial = 1; trial < 3; ++trial) {
                press(view, Qt::Key_1);
                press(view, Qt::Key_7);
                press(view, Qt::Key_Return);
            }
            QCOMPARE(view->page(), QString("break"));
            press(view, Qt::Key_3);  // ignored on the break screen
            press(view, Qt::Key_Return);
            QCOMPARE(view->page(), QString("trial"));
            press(view, Qt::Key_4);
            press(view, Qt::Key_4);
            press(view, Qt::Key_Return);
            QCOMPARE(store.participant("K1")->trialsAnswered, 4);

            QVERIFY(!view->close());  // Alt+F4 and friends: refused
            QVERIFY(view->isVisible());
            QSignalSpy closed(view, &ParticipantView::closed);
            pressExitKey(view);
            QCOMPARE(closed.count(), 1);
        }
        // The participant returns: straight to a welcome back, then their fifth trial.
        auto* view = new ParticipantView(study, store, "K1", 1);
        view->present(nullptr);
        QCOMPARE(view->page(), QString("resume"));
        press(view, Qt::Key_Return);
        QCOMPARE(view->page(), QString("trial"));
        QCOMPARE(view->currentTrial(), 4);
        while (view->page() != "done") {
            if (view->page() == "break") {
                press(view, Qt::Key_Return);
                continue;
            }
            press(view, Qt::Key_1);
            press(view, Qt::Key_1);
            press(view, Qt::Key_Return);
        }
        QCOMPARE(store.participant("K1")->trialsAnswered, total);
        QVERIFY(store.participant("K1")->finished());
        pressExitKey(view);
    }

    void mouseAloneAnswersAndDecliningStoresNothing() {
        const QString path = m_dir.filePath("mouse");
        sw::ui::test::makeStudyFolder(path);
        const auto study = loadStudyFolder(path.toStdString());
        ResponseStore store(study);
        auto* declined = new ParticipantView(study, store, "M0", 0);
        declined->present(nullptr);
        QPushButton* decline = nullptr;
        for (auto* button : declined->findChildren<QPushButton*>()) {
            if (button->text().contains("not agree")) decline = button;
        }
        QVERIFY(decline);
        QTest::mouseClick(decline, Qt::LeftButton);
        QCOMPARE(declined->page(), QString("declined"));
        QVERIFY(!store.participant("M0"));
        pressExitKey(declined);

        auto* view = new ParticipantView(study, store, "M1", 0);
        view->present(nullptr);
        auto clickText = [&](const QString& text) {
            for (auto* button : view->findChildren<QPushButton*>()) {
                if (button->text() == text && button->isVisible()) {
                    QTest::mouseClick(button, Qt::LeftButton);
                    return true;
                }
            }
            return false;
        };
        QVERIFY(clickText("I agree"));
        press(view, Qt::Key_Return);
        const auto groups = view->findChildren<QButtonGroup*>();
        QCOMPARE(groups.size(), 2);
        QTest::mouseClick(groups[1]->button(3), Qt::LeftButton);
        QTest::mouseClick(groups[0]->button(7), Qt::LeftButton);
        QVERIFY(clickText("Next (Enter)"));
        const auto rows = store.responses();
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows[0].question + "=" + rows[0].answer, std::string("sufficient=7"));
        QCOMPARE(rows[1].question + "=" + rows[1].answer, std::string("trust=3"));
        // The stimulus is shown larger but sharp: only the stimulus' own colours, no blend of neighbours.
        const auto* picture = view->findChild<QLabel*>("stimulus");
        QVERIFY(!picture->pixmap().isNull());
        QVERIFY(picture->pixmap().width() > 56 && picture->pixmap().width() <= view->width());
        const QImage shown = picture->pixmap().toImage().convertToFormat(QImage::Format_RGB32);
        const QImage original =
            QImage(QString::fromStdString(study.stimulusPath(study.orders[0][1].file))).convertToFormat(QImage::Format_RGB32);
        QSet<QRgb> colours;
        for (int y = 0; y < original.height(); ++y)
            for (int x = 0; x < original.width(); ++x) colours.insert(original.pixel(x, y));
        for (int y = 0; y < shown.height(); y += 7)
            for (int x = 0; x < shown.width(); x += 7) QVERIFY(colours.contains(shown.pixel(x, y)));
        pressExitKey(view);
    }

    void thePanelRunsParticipantsImportsAndReports() {
        const QString path = m_dir.filePath("panel");
        sw::ui::test::makeStudyFolder(path, 4);
        StudyPanel panel(nullptr, nullptr);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY2(panel.openStudy(path).isEmpty(), "the fixture study did not open");
        QCOMPARE(panel.suggestedParticipantId(), QString("P001"));
        for (const QString id : {"P001", "P002", "P003"}) {
            QVERIFY(panel.runParticipant(id).isEmpty());
            auto* view = panel.participantView();
            QVERIFY(view);
            QVERIFY(!panel.runParticipant("P999").isEmpty());  // one session at a time
            press(view, Qt::Key_Return);
            press(view, Qt::Key_Return);
            int trial = 0;
            while (view->page() != "done") {
                const bool attention = panel.study()->orders[size_t(panel.store()->participant(id)->order)][size_t(trial)].attentionCheck;
                const int base = id == "P003" ? 5 : id == "P002" ? 4 : 2;
                const Qt::Key key = attention ? Qt::Key_1 : Qt::Key(Qt::Key_0 + base + trial % 2);
                press(view, key);
                press(view, key);
                press(view, Qt::Key_Return);
                ++trial;
            }
            pressExitKey(view);
            QTRY_VERIFY_WITH_TIMEOUT(!panel.participantView(), sw::ui::test::kEventTimeoutMs);
        }
        QCOMPARE(panel.suggestedParticipantId(), QString("P004"));
        // Orders are handed out in turn, and a finished participant cannot start again.
        QCOMPARE(panel.store()->participant("P002")->order, 1);
        QVERIFY(panel.runParticipant("P001").contains("already answered"));
        QVERIFY(panel.writeReport().isEmpty());
        const auto* report = panel.findChild<QTextBrowser*>("studyReport");
        QVERIFY(report->toPlainText().contains("Friedman"));
        QVERIFY(QFileInfo(path + "/report/ratings.png").size() > 1000);
        const auto* table = panel.findChild<QTableWidget*>("participantsTable");
        QCOMPARE(table->rowCount(), 3);
        // A damaged study.json is named, and the open study stays as it was.
        const QString damaged = m_dir.filePath("damaged");
        sw::ui::test::makeStudyFolder(damaged);
        QFile settings(damaged + "/study.json");
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write("{\"format\": ");
        settings.close();
        const QString problem = panel.openStudy(damaged);
        QVERIFY2(problem.contains("study.json") && problem.contains("not valid JSON"), qPrintable(problem));
        QCOMPARE(QString::fromStdString(panel.study()->path), path);
    }

    void anUnfinishedParticipantIsOfferedFirstAndTheStudyReopens() {
        const QString path = m_dir.filePath("recovery");
        sw::ui::test::makeStudyFolder(path, 2);
        {
            StudyPanel panel(nullptr, nullptr);
            panel.show();
            QVERIFY(panel.openStudy(path).isEmpty());
            for (const QString id : {"P001", "P002"}) {
                QVERIFY(panel.runParticipant(id).isEmpty());
                auto* view = panel.participantView();
                press(view, Qt::Key_Return);  // consent
                press(view, Qt::Key_Return);  // instructions
                const int answered = id == "P001" ? 2 : int(panel.study()->orders[0].size());
                for (int trial = 0; trial < answered && view->page() == "trial"; ++trial) {
                    const bool attention =
                        panel.study()->orders[size_t(panel.store()->participant(id)->order)][size_t(trial)].attentionCheck;
                    press(view, attention ? Qt::Key_1 : Qt::Key_5);
                    press(view, attention ? Qt::Key_1 : Qt::Key_5);
                    press(view, Qt::Key_Return);
                }
                pressExitKey(view);  // P001 leaves after two pictures, as after a crash
                QTRY_VERIFY_WITH_TIMEOUT(!panel.participantView(), sw::ui::test::kEventTimeoutMs);
            }
            QCOMPARE(panel.unfinishedParticipants(), QStringList({"P001"}));
            // The offer names them, the table lists them first.
            const auto* offer = panel.findChild<QWidget*>("resumeOffer");
            QVERIFY(offer->isVisible());
            QVERIFY(panel.findChild<QPushButton*>("resumeParticipant")->text().contains("P001"));
            const auto* table = panel.findChild<QTableWidget*>("participantsTable");
            QCOMPARE(table->item(0, 0)->text(), QString("P001"));
        }
        // The next panel (the next start) reopens the study by itself.
        StudyPanel next(nullptr, nullptr);
        next.show();
        QVERIFY(next.reopenLastStudy());
        QCOMPARE(QString::fromStdString(next.study()->path), QFileInfo(path).absoluteFilePath());
        QCOMPARE(next.unfinishedParticipants(), QStringList({"P001"}));
    }
};

QTEST_MAIN(TestParticipantView)
#include "TestParticipantView.moc"
