"""Whole journeys of a clinic supervisor through the real main window: a real SQLite file, the real demo
recordings, the real speech model where a journey needs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.main_window import MainWindow
from app.operations import pending_operations
from review.desktop.user_settings import UserSettings
from review.models import AuditEntry, Call, Evaluation, Segment
from review.workspace import Workspace
from tests.app.test_review_workspace import settle
from tests.conftest import DEMO_CALLS, use_database_for_workers, write_tone_call

SHOTS = Path("/tmp/shots")


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _window(qtbot, url: str, settings: UserSettings | None = None, actor=None):
    from review.workspace import open_workspace

    db, local_admin = open_workspace(url)
    use_database_for_workers(url, settings or UserSettings())
    window = MainWindow(Workspace(db, actor or local_admin, settings or UserSettings()))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: pending_operations() == 0, timeout=10_000)  # the window reads off the GUI thread
    return window, db, actor or local_admin


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"journey_{name}.png"))


def _key(widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QApplication.processEvents()  # as between a person's keystrokes
    QTest.keyClick(widget.focusWidget() or widget, key, modifier)
    settle()  # the screen's core calls, run off the GUI thread, come back


def _type(widget, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _load_demo(qtbot, window) -> None:
    with qtbot.waitSignal(window.library.model.modelReset, timeout=60_000):
        qtbot.mouseClick(window.empty_banner.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window._tasks, timeout=10_000)
    _settled(qtbot, window.library)
    qtbot.waitUntil(lambda: window.library.model.rowCount() > 0)
    window.transcription.pause()  # the journeys below do not wait for twelve transcripts


def _settled(qtbot, library) -> None:
    """The library (and the window around it) reads off the GUI thread: wait for the answers to its queries."""
    qtbot.waitUntil(lambda: not library.model.loading and pending_operations() == 0, timeout=10_000)


def _filter(qtbot, page, combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    assert combo.currentData() == data
    _settled(qtbot, page)


# ------------------------------------------------------------------ 1. demo, filters, a keyboard review
def test_demo_workspace_filter_and_score_a_call_with_the_keyboard(qtbot, sqlite_db):
    window, db, _actor = _window(qtbot, str(sqlite_db.engine.url))
    assert window.library_stack.currentWidget() is window.empty_banner
    _load_demo(qtbot, window)
    library = window.library
    assert window.library_stack.currentWidget() is library
    assert library.model.rowCount() == 14 and "14" in library.count_label.text()  # 12 calls, a chat, an e-mail
    _shot(window, "library_demo")

    qtbot.waitUntil(lambda: library.operator.count() > 1)
    anna = next(library.operator.itemData(i) for i in range(library.operator.count())
                if library.operator.itemText(i) == "Анна Смирнова")
    _filter(qtbot, library, library.operator, anna)
    assert library.model.rowCount() == 3
    _filter(qtbot, library, library.kind, "inbound_booking")
    assert library.model.rowCount() == 2  # ru01 and ru07
    ids = library.visible_call_ids()
    with db.sessions() as session:
        assert {session.get(Call, i).call_kind for i in ids} == {"inbound_booking"}
        assert {session.get(Call, i).operator_id for i in ids} == {anna}
    library.table.selectRow(0)
    qtbot.waitUntil(library.details.open_button.isEnabled)
    qtbot.mouseClick(library.details.open_button, Qt.MouseButton.LeftButton)
    review = window.review_host.window
    assert review is not None and window.pages.currentWidget() is window.review_host
    qtbot.waitUntil(lambda review=review: review.data is not None, timeout=15000)  # read off the GUI thread
    assert review.data.call.id == ids[0]
    review.activateWindow()
    review.setFocus()
    _shot(window, "review_demo_call")

    form = review.form
    for number, card in enumerate(form.cards):
        question = card.question
        assert form.current == number, (question.id, review.banner.text())
        if question.type == "note":
            _key(review, Qt.Key.Key_1)
            _type(card.comment, "Записан")
            QTest.keyClick(card.comment, Qt.Key.Key_Return)
        else:
            best = {"yes_no": 1, "scale": len(question.levels), "choice": 1}[question.type]
            _key(review, getattr(Qt.Key, f"Key_{best}"))
    _key(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert review.data.submitted, review.banner.text()

    # The library still holds the same fourteen, the filters still hold, and the score is stored once.
    _settled(qtbot, library)
    assert library.model.rowCount() == 2 and library.visible_call_ids() == ids
    library.reset_filters()
    _settled(qtbot, library)
    assert library.model.rowCount() == 14
    with db.sessions() as session:
        evaluation = session.scalars(select(Evaluation)).one()
        assert evaluation.call_id == ids[0] and evaluation.status == "submitted"
        assert evaluation.score == pytest.approx(100.0)
        assert session.scalar(select(func.count(Call.id))) == 14

    # Reopening needs a reason.
    review.reopen_button.click()
    dialog = review.actions.reopen_dialog
    assert not dialog.ok_button.isEnabled()
    _type(dialog.reason, "Пересмотр по просьбе оператора")
    dialog.ok_button.click()
    settle()
    assert not review.data.submitted
    with db.sessions() as session:
        assert session.scalars(select(Evaluation)).one().status == "draft"
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one().note
    window.close()


# ------------------------------------------------------------------ 2. import, transcribe, search, open the moment
def _speech_clip(path: Path, seconds: float = 14.0) -> Path:
    """The first seconds of a demo call: the operator's greeting and the patient asking for a cardiologist."""
    import soundfile as sf

    data, rate = sf.read(DEMO_CALLS / "ru01_booking_cardiology.flac")
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, data[: int(seconds * rate)], rate)
    return path


@pytest.mark.model
def test_import_a_mixed_folder_transcribe_search_and_open_the_moment(qtbot, sqlite_db, tmp_path, whisper_folder):
    settings = UserSettings(model_folder=str(whisper_folder), beam_size=1, transcription_language="ru")
    window, db, _actor = _window(qtbot, str(sqlite_db.engine.url), settings)
    mixed = tmp_path / "mixed"
    clip = _speech_clip(mixed / "greeting_recorded_at_the_front_desk_on_monday_morning_line_2.wav")
    (mixed / "copy").mkdir()
    (mixed / "copy" / "greeting-again.wav").write_bytes(clip.read_bytes())
    (mixed / "broken.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    (mixed / "empty.mp3").write_bytes(b"")
    (mixed / "readme.txt").write_text("not a recording")

    dialog = window.import_recordings()
    qtbot.waitUntil(lambda: dialog.ready)  # its steps are read off the GUI thread
    assert dialog.isVisible() and dialog.isModal()
    dialog.set_paths([str(tmp_path / "wrong folder")])  # browsed to the wrong folder, then corrected by typing
    dialog.source_edit.selectAll()
    QTest.keyClicks(dialog.source_edit, str(mixed))
    finished, failed = [], []
    window.transcription.call_finished.connect(finished.append)
    window.transcription.call_failed.connect(lambda call_id, reason: failed.append((call_id, reason)))
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report.imported == 1 and report.already_present == 1, report
    assert sorted(dialog.problems.topLevelItem(i).text(0) for i in range(dialog.problems.topLevelItemCount())) \
        == ["broken.wav", "empty.mp3", "greeting-again.wav"]  # every file met, the duplicate named too
    assert all(dialog.problems.topLevelItem(i).text(1) for i in range(3))  # each one says what happened
    assert dialog.cancel_button.text() == "Close"
    dialog.resize(640, 400)
    _shot(dialog, "import_problems")
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    _settled(qtbot, window.library)
    assert window.library_stack.currentWidget() is window.library and window.library.model.rowCount() == 1
    call_id = report.call_ids[0]

    # The imported call is transcribed in the background without being asked.
    assert window.transcription.running
    qtbot.waitUntil(lambda: bool(finished or failed), timeout=120_000)
    assert finished == [call_id], failed
    qtbot.waitUntil(lambda: not window.transcription.running, timeout=15_000)
    qtbot.waitUntil(lambda: window.library.model.data(window.library.model.index(0, 7)) == "Transcribed")
    qtbot.waitUntil(window.library.details.export_button.isEnabled)  # the details follow the change
    file_label = window.library.details.fields["file"]  # a long name is shortened to fit, whole in the tooltip
    assert file_label.fontMetrics().horizontalAdvance(file_label.shown_text()) <= file_label.width()
    assert "…" in file_label.shown_text() and file_label.toolTip() == str(clip)
    _shot(window, "library_long_file_name")

    # Search finds a spoken word; the hit opens the review screen at that moment.
    window.nav.setCurrentRow(2)
    search = window.search.page
    search.query.setText("записаться")
    searched = []
    search.searched.connect(lambda: searched.append(1))
    search.run_search()
    qtbot.waitUntil(lambda: bool(searched), timeout=10_000)  # the search runs off the GUI thread
    with db.sessions() as session:
        heard = [s.text for s in session.scalars(select(Segment).where(Segment.call_id == call_id))]
    assert search.results.topLevelItemCount() >= 1, heard
    item = search.results.topLevelItem(0)
    hit_call, hit_at = item.data(0, Qt.ItemDataRole.UserRole)
    assert hit_call == call_id and 4.0 < hit_at < 12.0 and item.text(3) == "Customer"
    search.results.itemActivated.emit(item, 0)
    review = window.review_host.window
    qtbot.waitUntil(lambda review=review: review.data is not None, timeout=15000)  # read off the GUI thread
    assert window.pages.currentWidget() is window.review_host and review.data.call.id == call_id
    qtbot.waitUntil(lambda: getattr(review.player, "_pending_seek", None) is None, timeout=5000)
    assert review.player.position() == pytest.approx(hit_at, abs=0.05)
    assert review.model.current[0] >= 0  # the transcript lights the turn that was found
    assert "записаться" in review.model.turns[review.model.current[0]].text.lower()
    window.close()


def test_cancel_a_big_import_midway_keeps_what_was_imported(qtbot, sqlite_db, tmp_path):
    window, db, _actor = _window(qtbot, str(sqlite_db.engine.url))
    big = tmp_path / "big"
    for number in range(150):
        write_tone_call(big / f"call_{number:03}.wav", seconds=1.0 + number / 100)
    dialog = window.import_recordings()
    qtbot.waitUntil(lambda: dialog.ready)  # its steps are read off the GUI thread
    dialog.set_paths([str(big)])
    seen = []

    def cancel_after_a_few(done_count, total, _name):
        seen.append((done_count, total, dialog.progress.value(), dialog.progress.maximum()))
        if done_count == 5:
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        dialog.start_button.click()
        dialog._task.progressed.connect(cancel_after_a_few)
    window.transcription.pause()
    report = done.args[0]
    assert report.cancelled and 5 <= report.imported < 150, report
    assert seen[0][1] == 150 and dialog.progress.isVisible()
    assert dialog.status.text().startswith("Cancelled")
    with db.sessions() as session:
        assert session.scalar(select(func.count(Call.id))) == report.imported
    _settled(qtbot, window.library)
    assert window.library.model.rowCount() == report.imported
    dialog.close()
    window.close()


# ------------------------------------------------------------------ 3. sessions: both sides score, discuss, report
def _score_with_keys(qtbot, review, *, no_to: set[str] = frozenset()) -> None:
    """Answer every question of the open call from the keyboard: the best answer, "No" where asked."""
    review.activateWindow()
    review.setFocus()
    form = review.form
    for number, card in enumerate(form.cards):
        question = card.question
        assert form.current == number, (question.id, review.banner.text())
        if question.type == "note":
            _key(review, Qt.Key.Key_1)
            _type(card.comment, "Записан")
            QTest.keyClick(card.comment, Qt.Key.Key_Return)
            continue
        if question.id in no_to:
            _key(review, Qt.Key.Key_2)
        else:
            _key(review, getattr(Qt.Key, f"Key_{ {'yes_no': 1, 'scale': len(question.levels), 'choice': 1}[question.type]}"))
        if card.comment.hasFocus():  # a low mark asks for a reason
            _type(card.comment, "Не назвала клинику")
            QTest.keyClick(card.comment, Qt.Key.Key_Return)
            _key(review, Qt.Key.Key_Down)
    _key(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert review.data.submitted, review.banner.text()


def test_sessions_both_sides_score_growth_area_goal_and_reports(qtbot, sqlite_db, tmp_path, clock):
    from datetime import date

    from openpyxl import load_workbook
    from PySide6.QtCore import QDate

    from review.accounts import users as auth
    from review.accounts.local_admin import ensure_local_admin
    from review.demo import create_demo_workspace
    from review.models import Operator, ReviewSession, User

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    create_demo_workspace(sqlite_db, admin)
    with sqlite_db.unit_of_work() as session:
        admin = session.get(User, admin.id)
        anna_id = session.scalar(select(Operator.id).where(Operator.name == "Анна Смирнова"))
        supervisor = auth.create_user(session, admin, "nadia", "Надежда Орлова", "supervisor", password="Nadia pass 1")
        anna = auth.create_user(session, admin, "anna", "Анна Смирнова", "operator", password="Anna pass 1",
                                operator_id=anna_id)
    window, db, _ = _window(qtbot, str(sqlite_db.engine.url), actor=supervisor)
    window.transcription.pause()
    window.nav.setCurrentRow(3)
    page = window.sessions.page
    dialog = page.create_sessions()
    qtbot.waitUntil(dialog.create_button.isEnabled)  # the operators and rubrics are read off the GUI thread
    dialog.check_operators(["Анна Смирнова", "Ольга Кузнецова"])
    dialog.period_start.setDate(QDate(2026, 10, 26))
    dialog.period_end.setDate(QDate(2026, 11, 12))
    dialog.count.setValue(2)
    dialog.minimum.setValue(2)
    dialog.seed.setText("7")
    dialog.rubric.setCurrentIndex(dialog.rubric.findData("inbound_call"))
    _shot(dialog, "sessions_create")
    asked: list[str] = []

    def create_anyway(box):
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Create anyway").click()

    from PySide6.QtWidgets import QMessageBox

    _answer_dialog(QMessageBox, create_anyway)
    dialog.accept()  # the question's own loop may deliver an earlier board first: wait for the new one
    qtbot.waitUntil(lambda: len(page.board.card_ids("to_score_supervisor")) == 2)
    assert asked and "would be scored with" in asked[0], asked  # a callback among the picks: said before
    assert "2 session" in page.notice.text(), page.notice.text()
    sessions = page.board.card_ids("to_score_supervisor")
    assert len(sessions) == 2
    with db.sessions() as session:
        anna_session = next(s for s in sessions if session.get(ReviewSession, s).operator_id == anna_id)

    # The supervisor opens each session's calls from the sessions page and scores them with the keyboard.
    first_question = None
    for review_session_id in sessions:
        detail = page.detail
        with qtbot.waitSignal(detail.shown):
            page.board.session_selected.emit(review_session_id)
        assert detail.calls.rowCount() == 2
        for row in range(2):
            detail.calls.selectRow(row)
            detail.open_selected_call()
            review = window.review_host.window
            assert window.pages.currentWidget() is window.review_host
            qtbot.waitUntil(lambda review=review: review.data is not None, timeout=15000)  # read off the GUI thread
            assert review.data.review_session_id == review_session_id
            first_question = review.form.cards[0].question.id
            _score_with_keys(qtbot, review, no_to={first_question})
        window.nav.setCurrentRow(3)
    # The board follows the scores given in the review window (one change signal), no refresh asked.
    qtbot.waitUntil(lambda: sorted(page.board.card_ids("to_self_score")) == sorted(sessions))

    # Anna signs in: her queue holds her two calls; she scores them herself, kinder on the first question.
    anna_window, _, _ = _window(qtbot, str(sqlite_db.engine.url), actor=anna)
    anna_window.nav.setCurrentRow(1)
    host = anna_window.review_host
    qtbot.waitUntil(lambda: host.queue.count() == 2, timeout=15000)  # read off the GUI thread
    assert host.queue.count() == 2 and all("self-review" in host.queue.item(i).text() for i in range(2))
    for _ in range(2):
        host.queue.itemActivated.emit(host.queue.item(0)) if host.window is None else None
        review = host.window
        qtbot.waitUntil(lambda review=review: review.data is not None, timeout=15000)
        assert review.data.evaluation_kind == "self"
        _score_with_keys(qtbot, review)
        if review.next_button.isEnabled():
            review.step_queue(1)
    host.refresh_queue()
    qtbot.waitUntil(lambda: host.queue.count() == 0, timeout=15000)
    anna_window.close()

    # Side by side, the first question differs on both of Anna's calls; it is suggested as a growth area.
    with qtbot.waitSignal(page.board_shown):
        page.refresh()
    assert anna_session in page.board.card_ids("ready_to_discuss")
    detail = page.detail
    with qtbot.waitSignal(detail.shown):
        page.board.session_selected.emit(anna_session)
    assert {question for _, question in detail.highlighted_rows()} == {first_question}
    assert len(detail.highlighted_rows()) == 2
    detail.tabs.setCurrentIndex(1)
    _shot(window, "sessions_side_by_side")
    suggestions = detail.discussion.suggestions
    growth = [suggestions.item(i) for i in range(suggestions.count())
              if suggestions.item(i).data(Qt.ItemDataRole.UserRole)[0] == first_question]
    assert growth and growth[0].text().startswith("Growth")
    suggestions.setCurrentItem(growth[0])
    with qtbot.waitSignal(detail.discussion.shown):
        detail.discussion.add_growth.click()
    assert detail.discussion.notes.count() == 1
    goals = detail.goals
    goals.measure.setCurrentIndex(next(i for i in range(goals.measure.count())
                                       if goals.measure.itemData(i) == (first_question, None)))
    goals.goal_name.setText("Greets with the clinic's name every time")
    goals.target.setValue(90)
    with qtbot.waitSignal(goals.shown):
        goals.add_button.click()
    assert goals.table.rowCount() == 1 and goals.table.item(0, 0).text() == "Greets with the clinic's name every time"

    # Reports: the growth area shows; XLSX and PDF files are written.
    window.nav.setCurrentRow(5)
    reports = window.reports.page
    with qtbot.waitSignal(reports.refreshed, timeout=20_000):
        reports.set_period(date(2026, 10, 1), date(2026, 11, 30))  # the clock stands at 18.11.2026
        reports.refresh()
    rows = [[reports.growth_model.index(r, c).data() for c in range(reports.growth_model.columnCount())]
            for r in range(reports.growth_model.rowCount())]
    named = [row for row in rows if row[3] != "0"]
    assert len(named) == 1 and named[0][3] == "1" and named is not rows and named[0] == rows[0], rows
    _shot(window, "reports_growth")
    for fmt in ("xlsx", "pdf"):
        target = tmp_path / f"growth.{fmt}"
        with qtbot.waitSignal(reports.exported, timeout=30_000):
            reports.export_to(str(target), fmt)
        assert target.stat().st_size > 1000
    sheet = load_workbook(tmp_path / "growth.xlsx").active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert rows[0][2] in cells  # the growth area's question
    assert (tmp_path / "growth.pdf").read_bytes().startswith(b"%PDF")
    reports.wait_for_tasks()
    window.close()


# ------------------------------------------------------------------ 4. administration and an operator's desktop
def _answer_dialog(kind, act) -> list:
    """Answer the next modal dialog of `kind` as a person would, once it has opened; returns what it saw.
    A message box that comes instead is noted and closed, so the journey fails rather than hangs."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    seen = []

    def attempt():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QMessageBox) and kind is not QMessageBox:
            seen.append(f"message: {dialog.text()}")
            dialog.reject()
        elif isinstance(dialog, kind):
            seen.append(dialog.windowTitle())
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)
    return seen


def _type_and_accept(text: str):
    def act(dialog):
        dialog.setTextValue(text)
        dialog.accept()
    return act


def test_administration_then_an_operator_signs_in_and_sees_only_her_calls(qtbot, sqlite_db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from app.sign_in_dialog import SignInDialog, choose_actor
    from app.users_page import UserDialog
    from review.accounts import users as auth
    from review.models import Team

    window, db, admin = _window(qtbot, str(sqlite_db.engine.url))
    _load_demo(qtbot, window)
    window.nav.setCurrentRow(6)
    page = window.pages.currentWidget().page
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)  # read off the GUI thread
    assert page.no_password_hint.isVisibleTo(page)

    # The administrator's own password: after it, this database asks everyone to sign in.
    from app.password_dialog import PasswordDialog

    def type_twice(dialog):
        dialog.password.setText("Admin pass 123")
        dialog.repeat.setText("Admin pass 123")
        dialog.accept()

    seen = _answer_dialog(PasswordDialog, type_twice)
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        page.own_button.click()
    assert seen == ["Set my password"] and not page.no_password_hint.isVisibleTo(page)
    assert auth.startup_mode(db) == auth.SIGN_IN

    # A team, a supervisor and an operator account for Anna, through the page's own buttons and dialogs.
    teams_tab = page.tabs.widget(1)
    new_team = next(b for b in teams_tab.findChildren(type(page.new_button)) if b.text() == "New team…")
    seen = _answer_dialog(QInputDialog, _type_and_accept("Регистратура"))
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        new_team.click()
    assert seen == ["New team"]
    with db.sessions() as session:
        assert session.scalars(select(Team.name)).all() == ["Регистратура"]
    for username, name, role, operator in (("nadia", "Надежда Орлова", "supervisor", None),
                                           ("anna", "Анна Смирнова", "operator", "Анна Смирнова")):
        page.new_button.click()
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, UserDialog) and dialog.windowTitle() == "New user"
        dialog.username.setText(username)
        dialog.display_name.setText(name)
        dialog.role.setCurrentIndex(dialog.role.findData(role))
        if operator:
            dialog.operator.setCurrentIndex(dialog.operator.findText(operator))
        dialog.password.setText(f"{username.title()} pass 1")
        with qtbot.waitSignal(page.refreshed, timeout=10000):
            dialog.accept()
    assert [row.username for row in page.user_rows] == ["admin", "anna", "nadia"]
    assert next(r for r in page.user_rows if r.username == "anna").operator == "Анна Смирнова"
    window.resize(1366, 768)
    qtbot.wait(20)
    _shot(window, "administration")

    # The audit log records all of it and exports to the file the administrator chooses.
    page.tabs.setCurrentWidget(page.audit)
    listed = []
    page.audit.shown.connect(lambda: listed.append(1))
    page.audit.refresh()
    qtbot.waitUntil(lambda: bool(listed))  # read off the GUI thread
    table = page.audit.table
    shown = {(table.item(r, 2).toolTip(), table.item(r, 2).text(), table.item(r, 3).text().split(" #")[0])
             for r in range(table.rowCount())}
    assert ("create", "Created", "Team") in shown  # people read actions and records, not codes and tables
    target = tmp_path / "audit.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV (*.csv)"))
    exported = []
    page.audit.exported.connect(exported.append)
    page.audit.export_button.click()
    qtbot.waitUntil(lambda: bool(exported))
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == page.audit.table.rowCount() + 1 and any("Регистратура" in line for line in lines)
    window.close()

    # Anna starts Kalibra: the sign-in dialog asks for her name and password.
    def sign_in_as_anna(dialog):
        dialog.username.setText("anna")
        dialog.password.setText("Anna pass 1")
        dialog.ok_button.click()

    seen = _answer_dialog(SignInDialog, sign_in_as_anna)
    anna = choose_actor(Workspace(db, None))
    assert seen and anna is not None and anna.username == "anna" and anna.role == "operator"
    operator_window = MainWindow(Workspace(db, anna, UserSettings()))
    qtbot.addWidget(operator_window)
    operator_window.show()
    assert operator_window.signed_in_label.text() == "Signed in: Анна Смирнова (Operator)"
    assert operator_window.sign_out_action.isVisible()  # she has a password: another person may take the desk
    titles = [operator_window.nav.item(i).text() for i in range(operator_window.nav.count())]
    assert "Administration" not in titles and "Reports" not in titles and len(titles) == 5
    library = operator_window.library
    _settled(qtbot, library)
    assert library.model.rowCount() == 3
    with db.sessions() as session:
        assert {session.get(Call, i).operator.name for i in library.visible_call_ids()} == {"Анна Смирнова"}
    qtbot.waitUntil(lambda: library.operator.count() > 1)
    assert library.operator.count() == 2  # "All operators" and herself
    assert not operator_window.import_action.isVisible() and not operator_window.transcription.running
    for row in range(operator_window.nav.count()):  # every page she has opens without an error
        operator_window.nav.setCurrentRow(row)
        qtbot.wait(30)
        assert operator_window.pages.currentIndex() == row
    assert operator_window.reports.page is None  # no Reports page for operators
    operator_window.open_call(library.visible_call_ids()[0])
    review = operator_window.review_host.window
    qtbot.waitUntil(lambda review=review: review.data is not None, timeout=15000)  # read off the GUI thread
    assert review.data.evaluation_kind == "self" and not review.metadata.save_button.isEnabled()
    operator_window.close()


# ------------------------------------------------------------------ 5. the interface language follows the setting
@pytest.fixture
def _language_restored():
    from PySide6.QtCore import QLocale

    from app.i18n import install_language

    previous = QLocale()
    yield
    install_language(QApplication.instance(), "en")  # the other tests read the English source strings
    QLocale.setDefault(previous)


def _open_as_configured(qtbot, url: str) -> MainWindow:
    """What starting Kalibra does: read the settings, install their language, build the window."""
    from app.i18n import install_language
    from review.desktop.user_settings import load_settings

    settings = load_settings()
    install_language(QApplication.instance(), settings.language)
    window, _db, _actor = _window(qtbot, url, settings)
    return window


def _titles(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_language_switch_to_english_and_back(qtbot, sqlite_db, _language_restored):
    from app.settings_dialog import SettingsDialog
    from review.desktop.user_settings import load_settings, save_settings

    url = str(sqlite_db.engine.url)
    save_settings(UserSettings(language="ru"))
    window = _open_as_configured(qtbot, url)
    russian = _titles(window)
    assert russian[0] == "Библиотека звонков" and window.empty_banner.demo_button.text() != "Load demo workspace"
    qtbot.wait(20)
    _shot(window, "russian_empty_library")

    for language, first_title in (("en", "Call library"), ("ru", "Библиотека звонков")):
        def choose(dialog, language=language):
            dialog.language.setCurrentIndex(dialog.language.findData(language))
            dialog.accept()

        seen = _answer_dialog(SettingsDialog, choose)
        window.open_settings()  # the dialog opens once the rubrics are read
        qtbot.waitUntil(lambda language=language: load_settings().language == language, timeout=10_000)
        assert seen and load_settings().language == language
        assert window.settings.language == language
        window.close()
        window = _open_as_configured(qtbot, url)
        assert _titles(window)[0] == first_title
        assert window.menuBar().actions()[0].text() == ("&File" if language == "en" else "&Файл")
    assert _titles(window) == russian
    # Every label of the Russian interface is Russian, the rubric editor's question types included.
    window.nav.setCurrentRow(4)
    qtbot.waitUntil(lambda: window.rubrics.page.version_id is not None)  # the rubric is read off the GUI thread
    model = window.rubrics.page.editor.model
    section = model.index(0, 0)
    types = {model.index(row, 1, section).data() for row in range(model.rowCount(section))}
    assert types and not types & {"Yes / no", "Choice", "Note"} and "Да / нет" in types, types
    window.close()
