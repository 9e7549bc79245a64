"""Calibration from the sessions page, as a supervisor does it: start a round on two calls with two supervisors
(keyboard and mouse), each finds the calls waiting for their blind score and scores them, then the Calibration
tab shows the agreement worked out by hand, and the report is exported."""

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.review_workspace.review_data import screen_data
from app.sessions import SessionsPage
from review.accounts.local_admin import ensure_local_admin
from review.call_review.screen import read_review
from review.scoring.evaluations import start_evaluation
from review.scoring.rubric_store import install_builtin_rubrics, latest_published, rubric_of
from review.sessions.calibration_rounds import plan_calibration_evaluation
from review.workspace import Workspace
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully

SHOTS = Path("/tmp/shots")


@pytest.fixture
def clinic(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        nadia, boris = add_supervisor(session, "nadia", "Nadia"), add_supervisor(session, "boris", "Boris")
        operator, _ = add_operator(session, "Anna Smirnova")
        calls = [add_call(session, operator.id, datetime(2026, 10, 5 + i, 10)) for i in range(2)]
        session.flush()
        rubric = rubric_of(latest_published(session, "inbound_call"))
        texts = {q: rubric.question(q).text.get("en") for q in ("alternative_offered", "needs_situation")}
        return sqlite_db, nadia, boris, [c.id for c in calls], texts


def _score_opened(qtbot, page, db, reviewer, answers) -> None:
    """Open each waiting call from the Calibration tab (Enter), check the review window would score it for the
    round, and give the answers as the review window stores them."""
    view = page.calibration
    opened = []
    page.open_call.connect(lambda call_id, queue: opened.append(call_id))
    for alternative, needs in answers:
        view.waiting.setFocus()
        view.waiting.setCurrentRow(0)
        QTest.keyClick(view.waiting, Qt.Key.Key_Return)
        call_id = opened[-1]
        data = screen_data(read_review(Workspace(db, reviewer), call_id, "en"))  # what the window reads
        assert data.evaluation_kind == "calibration" and data.evaluation_id is None  # opening stores nothing
        with db.unit_of_work() as session:
            evaluation = start_evaluation(session, reviewer, plan_calibration_evaluation(session, reviewer, call_id))
            score_fully(session, reviewer, evaluation.id, {"alternative_offered": alternative,
                                                           "needs_situation": needs})
        with qtbot.waitSignal(view.shown):
            page.refresh()


def test_two_supervisors_calibrate_on_two_calls(qtbot, clinic, tmp_path, english):
    db, nadia, boris, calls, texts = clinic
    page = SessionsPage(Workspace(db, nadia))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    page.resize(1366, 768)
    page.show()
    qtbot.mouseClick(page.calibrate_button, Qt.MouseButton.LeftButton)
    dialog = next(child for child in page.children() if type(child).__name__ == "StartCalibrationDialog")
    qtbot.waitUntil(lambda: dialog.calls.count() == 2)
    assert dialog.chosen_supervisors() == [nadia.id] and not dialog.start_button.isEnabled()
    for row in range(2):  # both calls, by keyboard: Space ticks the current one
        dialog.calls.setFocus()
        dialog.calls.setCurrentRow(row)
        QTest.keyClick(dialog.calls, Qt.Key.Key_Space)
    boris_row = next(r for r in range(dialog.supervisors.count()) if dialog.supervisors.item(r).text() == "Boris")
    dialog.supervisors.setFocus()
    dialog.supervisors.setCurrentRow(boris_row)
    QTest.keyClick(dialog.supervisors, Qt.Key.Key_Space)
    dialog.rubric.setCurrentIndex(dialog.rubric.findData("inbound_call"))
    QTest.keyClicks(dialog.title, "October booking calls")
    assert sorted(dialog.chosen_calls()) == sorted(calls) and "2 calls chosen · 2 supervisors chosen" == \
        dialog.count.text()
    if SHOTS.exists():
        dialog.grab().save(str(SHOTS / "calibration_start_en.png"))
    with qtbot.waitSignal(page.calibration.shown):
        pass  # the tab is built when first shown or asked for, and loads then: loaded before the round starts
    with qtbot.waitSignal(page.calibration.shown, timeout=10000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentWidget() is page.calibration
    view = page.calibration
    qtbot.waitUntil(lambda: view.waiting.count() == 2)

    # Nadia scores both: call 1 alternative yes, needs 3; call 2 yes, 3. Then she may read (only her scores).
    _score_opened(qtbot, page, db, nadia, [(True, 3), (True, 3)])
    assert view.waiting.count() == 0 and view.table.rowCount() > 0

    # Boris has not scored yet: his tab lists the two calls and keeps Nadia's answers hidden.
    boris_page = SessionsPage(Workspace(db, boris))
    qtbot.addWidget(boris_page)
    boris_page.resize(1366, 768)
    boris_page.tabs.setCurrentWidget(boris_page.calibration)
    qtbot.waitUntil(lambda: boris_page.calibration.waiting.count() == 2)
    boris_view = boris_page.calibration
    assert boris_view.table.rowCount() == 0 and "blind" in boris_view.empty_hint.text()
    # Boris: call 1 alternative no, needs 2; call 2 yes, 3 (the calls come oldest first).
    _score_opened(qtbot, boris_page, db, boris, [(False, 2), (True, 3)])

    # By hand: alternative differs on call 1 only -> 1 of 2 pairs agree, 50 %; spread (100 + 0) / 2 = 50;
    # deviations on call 1 are ±50 from the mean, 0 on call 2 -> Nadia +25, Boris −25: both differ (≥ 20).
    # needs (0..3): call 1 shares 1 and 2/3 -> 50 % agreement, spread (33.3 + 0) / 2 ≈ 17, deviations ±8.
    alternative = boris_view.row_of(texts["alternative_offered"])
    headers = [boris_view.table.horizontalHeaderItem(c).text() for c in range(boris_view.table.columnCount())]
    assert headers == ["Question", "Agreement", "Spread", "Nadia", "Boris", "Differ"]
    assert [boris_view.cell(alternative, c) for c in range(6)][1:] == ["50 %", "50", "+25", "-25", "Nadia, Boris"]
    needs = boris_view.row_of(texts["needs_situation"])
    assert [boris_view.cell(needs, c) for c in range(6)][1:] == ["50 %", "17", "+8", "-8", ""]
    greeting = next(r for r in range(boris_view.table.rowCount()) if boris_view.cell(r, 1) == "100 %")
    assert boris_view.cell(greeting, 2) == "0"
    if SHOTS.exists():
        boris_page.grab().save(str(SHOTS / "calibration_report_en.png"))

    target = tmp_path / "calibration.xlsx"
    with qtbot.waitSignal(boris_view.exported):
        boris_view.export_to(str(target))
    sheet = load_workbook(target).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    found = next(row for row in rows if row and row[0] == texts["alternative_offered"])
    assert found[1:6] == (50, 50, 25, -25, "Nadia, Boris")


def test_calibration_starts_from_the_calls_selected_in_the_library(qtbot, clinic, english):
    from PySide6.QtCore import QItemSelectionModel

    from app.main_window import MainWindow
    from app.operations import pending_operations
    from review.desktop.user_settings import UserSettings

    db, nadia, _boris, calls, _texts = clinic
    window = MainWindow(Workspace(db, nadia, UserSettings()))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    library = window.library
    qtbot.waitUntil(lambda: library.model.rowCount() == 2 and pending_operations() == 0, timeout=10000)
    selection = library.table.selectionModel()
    for row in range(2):  # both rows, as Ctrl+click does
        selection.select(library.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    assert sorted(library.selected_call_ids()) == sorted(calls)
    menu = library.call_menu(library.model.call_id_at(0))
    [start] = [action for action in menu.actions() if action.text() == "Start calibration on 2 calls…"]
    start.trigger()
    sessions = window.sessions.page
    assert sessions is not None and window.pages.currentWidget() is window.sessions
    dialog = next(child for child in sessions.children() if type(child).__name__ == "StartCalibrationDialog")
    qtbot.waitUntil(lambda: dialog.calls.count() == 2)
    assert sorted(dialog.chosen_calls()) == sorted(calls) and dialog.chosen_supervisors() == [nadia.id]
    # A row outside the selection calibrates on that call alone.
    selection.clearSelection()
    selection.select(library.model.index(1, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    only = library.model.call_id_at(0)
    assert [a.text() for a in library.call_menu(only).actions()][-1] == "Start calibration on 1 call…"
    dialog.reject()
    window.close()


def test_my_queue_page_names_the_round_a_calibration_call_waits_for(qtbot, clinic, english):
    from app.review_host import ReviewHost
    from review.sessions.calibration_rounds import start_calibration

    db, nadia, boris, calls, _texts = clinic
    with db.unit_of_work() as session:
        round_id = start_calibration(session, nadia, calls, "inbound_call", [nadia.id, boris.id])
    host = ReviewHost(Workspace(db, boris))
    qtbot.addWidget(host)
    host.refresh_queue()
    qtbot.waitUntil(lambda: host.queue.count() == 2, timeout=15000)
    texts = [host.queue.item(i).text() for i in range(2)]
    assert all(f"calibration round #{round_id}" in text and "None" not in text for text in texts), texts


def test_the_report_fits_the_tab_at_1366_with_every_supervisor_and_who_differs(qtbot, clinic, russian):
    """The questions' whole Russian texts pushed the supervisors' columns and "Расходятся" out of a 1366 px
    window (with the demo's longer names), behind a sideways scroll bar."""
    from PySide6.QtWidgets import QApplication

    from review.models import User
    from review.sessions.calibration_rounds import start_calibration
    from tests.app.app_look import app_wide_look

    db, nadia, boris, calls, _texts = clinic
    with db.unit_of_work() as session:
        for who, name in ((nadia, "Надежда Орлова-Кузнецова"), (boris, "Борис Александрович Петров")):
            session.get(User, who.id).display_name = name  # names as long as a clinic's
        start_calibration(session, nadia, calls, "inbound_call", [nadia.id, boris.id])
    for reviewer, alternative in ((nadia, True), (boris, False)):
        for call_id in calls:
            with db.unit_of_work() as session:
                evaluation = start_evaluation(session, reviewer,
                                              plan_calibration_evaluation(session, reviewer, call_id))
                score_fully(session, reviewer, evaluation.id, {"alternative_offered": alternative})
    with app_wide_look():
        page = SessionsPage(Workspace(db, nadia))
        qtbot.addWidget(page)
        page.resize(1366 - 190, 700)
        page.show()
        page.tabs.setCurrentWidget(page.calibration)
        view = page.calibration
        qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=10000)
        QApplication.processEvents()
        table = view.table
        assert table.horizontalScrollBar().maximum() == 0
        last = table.columnCount() - 1
        title = table.horizontalHeaderItem(last).text()
        assert table.horizontalHeader().sectionSize(last) >= table.fontMetrics().horizontalAdvance(title)
        question = table.item(0, 0)
        assert question.toolTip() == question.text()  # a cut question is whole in its tooltip
        header = table.horizontalHeader()
        figures = [header.sectionSize(c) for c in range(1, last)]
        assert header.sectionSize(0) > max(figures)  # the question's words get the most room, names wrap
        for row in range(table.rowCount()):  # every figure whole ("100 %", "+25")
            for column in range(1, last):
                text = table.item(row, column).text()
                assert table.fontMetrics().horizontalAdvance(text) + 8 <= header.sectionSize(column), text
