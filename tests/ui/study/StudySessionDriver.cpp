// A participant at the keyboard, for the kill -9 test (check_kill_resume.py): answers a study's trials one by
// one with real key events and prints "committed N" after each, so the test can kill it mid-study.
//   study_session_driver --make-study DIR      makes a small study folder (StudyFixture.h)
//   study_session_driver DIR PARTICIPANT       takes part (or resumes), printing "resumed at N", "committed N", "done"
#include <QApplication>
#include <QtTest/QtTest>

#include <cstdio>

#include "StudyFixture.h"
#include "study/ParticipantView.h"
#include "study/ResponseStore.h"

using namespace sw;
using namespace sw::ui;

int main(int argc, char** argv) {
    QApplication application(argc, argv);
    const QStringList arguments = application.arguments();
    if (arguments.size() == 3 && arguments[1] == "--make-study") {
        sw::ui::test::makeStudyFolder(arguments[2], 2, 3, 3);
        return 0;
    }
    if (arguments.size() != 3) {
        std::fprintf(stderr, "usage: study_session_driver --make-study DIR | DIR PARTICIPANT\n");
        return 2;
    }
    const auto study = loadStudyFolder(arguments[1].toStdString());
    ResponseStore store(study);
    const QString participant = arguments[2];
    auto* view = new ParticipantView(study, store, participant, 0);
    view->present(nullptr);
    if (view->page() == "consent") QTest::keyClick(view, Qt::Key_Return);
    QTest::keyClick(view, Qt::Key_Return);  // the instructions, or the welcome back
    std::printf("resumed at %d\n", view->currentTrial());
    std::fflush(stdout);
    while (view->page() == "trial" || view->page() == "break") {
        if (view->page() == "break") {
            QTest::keyClick(view, Qt::Key_Return);
            continue;
        }
        const int trial = view->currentTrial();
        QTest::keyClick(view, Qt::Key(Qt::Key_1 + trial % 7));
        QTest::keyClick(view, Qt::Key(Qt::Key_1 + (trial + 3) % 7));
        // The participant reads before confirming. Not a wait for an event: it spreads the moments at which the
        // test's kill -9 can land (here, or mid-commit); check_kill_resume.py holds wherever it lands.
        QTest::qWait(120);
        QTest::keyClick(view, Qt::Key_Return);
        std::printf("committed %d\n", trial);
        std::fflush(stdout);
    }
    std::printf("%s\n", view->page() == "done" ? "done" : qPrintable("stopped on " + view->page()));
    return view->page() == "done" ? 0 : 1;
}
