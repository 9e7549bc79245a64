"""The main window as a user meets it: empty state, every page reachable, a call opens for review."""

import pytest

from app.main_window import MainWindow
from app.operations import pending_operations
from review.desktop.user_settings import UserSettings
from review.library.importing import import_recordings
from review.workspace import Workspace
from tests.conftest import write_tone_call


def _window(qtbot, sqlite_db):
    from review.workspace import open_workspace

    db, actor = open_workspace(str(sqlite_db.engine.url))
    window = MainWindow(Workspace(db, actor, UserSettings()))
    qtbot.addWidget(window)
    _settled(qtbot)
    return window, db, actor


def _settled(qtbot) -> None:
    """The window reads off the GUI thread: wait for every answer to be in."""
    qtbot.waitUntil(lambda: pending_operations() == 0, timeout=10000)


def test_empty_library_offers_import_and_demo(qtbot, sqlite_db, english):
    window, _db, _actor = _window(qtbot, sqlite_db)
    assert window.signed_in_label.text() == "Signed in: Administrator"  # the name is the role's: said once
    assert window.library_stack.currentWidget() is window.empty_banner
    assert window.empty_banner.demo_button.isEnabled()


def test_every_page_opens_and_a_call_opens_for_review(qtbot, sqlite_db, tmp_path):
    window, db, actor = _window(qtbot, sqlite_db)
    report = import_recordings(db, actor, [write_tone_call(tmp_path / "x.wav", seconds=3.0)])
    window.refresh_library()
    _settled(qtbot)
    assert window.library_stack.currentWidget() is window.library
    window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Call library", "Review", "Search", "Sessions and goals", "Rubrics", "Reports",
                      "Administration"]
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.wait(10)
        assert window.pages.currentIndex() == row
    assert window.rubrics.page is not None and window.reports.page is not None  # built on first visit
    window.open_call(report.call_ids[0])
    assert window.review_host.window is not None
    assert window.pages.currentWidget() is window.review_host
    window.open_call_at(report.call_ids[0], 1.5)  # a search hit opens the call at its moment
    player = window.review_host.window.player
    qtbot.waitUntil(lambda: window.review_host.window.data is not None, timeout=15000)  # read off the GUI thread
    qtbot.waitUntil(lambda: getattr(player, "_pending_seek", None) is None, timeout=5000)  # media opened
    assert abs(player.position() - 1.5) < 0.05
    window.close()


def _signed_in_as(window: MainWindow, db, admin, role: str) -> MainWindow:
    """The same workspace opened by a new user of `role` (an operator is one of the library's operators)."""
    from review.accounts import users
    from review.models import Operator

    window.close()
    with db.unit_of_work() as session:
        operator_id = None
        if role == "operator":
            operator = Operator(name="Ольга Кузнецова")
            session.add(operator)
            session.flush()
            operator_id = operator.id
        user = users.create_user(session, session.merge(admin), role, role.title(), role, password="A pass 12345",
                                 operator_id=operator_id)
    return MainWindow(Workspace(db, user, UserSettings()))


@pytest.mark.parametrize("role", ["admin", "supervisor", "operator"])
def test_pages_are_built_ahead_while_the_library_is_on_screen(qtbot, sqlite_db, role, stray_windows):
    """Built, read and rendered off screen one step per turn, so that a first visit only paints; and no widget
    flashes up as a window of its own meanwhile, whoever is signed in (a button made visible before it had a
    parent did, and took the keyboard from the review window)."""
    from app.lazy_page import LazyPage

    window, db, admin = _window(qtbot, sqlite_db)
    if role != "admin":
        window = _signed_in_as(window, db, admin, role)
        qtbot.addWidget(window)
        _settled(qtbot)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    slots = [window.pages.widget(i) for i in range(window.pages.count())]
    slots = [slot for slot in slots if isinstance(slot, LazyPage)]
    assert len(slots) >= 3  # search, sessions, rubrics, reports, administration: what the role may see
    qtbot.waitUntil(lambda: window.pages_built_ahead, timeout=30000)
    assert all(slot.page is not None for slot in slots)
    assert window.pages.currentIndex() == 0 and not window.rubrics.isVisible()  # the user stays where they are
    rubrics = window.rubrics.page
    assert rubrics.editor.model.rowCount() > 0  # what it read is in its tree (built-in rubrics)
    assert window.rubrics.size() == window.pages.size()  # laid out at the size it will show at
    assert stray_windows == []
    window.nav.setCurrentRow(window.pages.indexOf(window.rubrics))
    assert window.rubrics.page is rubrics and rubrics.isVisible()


def test_tabs_built_on_demand_flash_up_no_window_of_their_own(qtbot, sqlite_db, stray_windows):
    """The conversion tab's "Set target" and the calibration tab's "Export…" were made visible before they had
    a parent: each flashed up as a window the moment its tab was built."""
    from app.conversion_view import ConversionTab
    from app.sessions.calibration_view import CalibrationView

    window, db, admin = _window(qtbot, sqlite_db)
    for tab in (ConversionTab(True), CalibrationView(Workspace(db, admin, UserSettings()))):
        qtbot.addWidget(tab)
    _settled(qtbot)
    assert stray_windows == []
    window.close()


def test_review_page_lists_my_queue_and_opens_from_it(qtbot, sqlite_db):
    from datetime import date, datetime

    from review.models import ReviewSession, SessionCall
    from review.scoring.rubric_store import latest_published
    from tests.review.session_fixtures import add_call, add_operator

    window, db, actor = _window(qtbot, sqlite_db)
    with db.unit_of_work() as session:
        operator, _ = add_operator(session, "Анна")
        call = add_call(session, operator.id, datetime(2026, 11, 3, 10))
        session.flush()
        review_session = ReviewSession(operator_id=operator.id, supervisor_id=actor.id,
                                       rubric_version_id=latest_published(session, "inbound_call").id,
                                       sampling_rule={}, seed=1, period_start=date(2026, 11, 1),
                                       period_end=date(2026, 11, 30))
        session.add(review_session)
        session.flush()
        session.add(SessionCall(session_id=review_session.id, call_id=call.id))
        call_id = call.id
    window.show()
    window.nav.setCurrentRow(1)
    host = window.review_host
    qtbot.waitUntil(lambda: host.queue.count() == 1, timeout=15000)  # read off the GUI thread
    assert host.queue.count() == 1 and f"#{call_id}" in host.queue.item(0).text()
    host.queue.itemActivated.emit(host.queue.item(0))
    assert host.window is not None and host.currentWidget() is host.window
    qtbot.waitUntil(lambda: host.window.data is not None, timeout=15000)
    window.close()


def test_an_operator_is_offered_only_what_they_may_do(qtbot, sqlite_db):
    from review.models import Operator, User

    with sqlite_db.unit_of_work() as session:
        operator = Operator(name="Анна")
        session.add(operator)
        session.flush()
        user = User(username="anna", display_name="Анна", role="operator", operator_id=operator.id)
        session.add(user)
    window = MainWindow(Workspace(sqlite_db, user, UserSettings()))
    qtbot.addWidget(window)
    assert not window.import_action.isVisible() and not window.empty_banner.demo_button.isVisibleTo(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Administration" not in titles and "Reports" not in titles  # blind scoring: no score aggregates
    window.start_transcription_if_waiting()
    _settled(qtbot)
    assert not window.transcription.running


def test_a_deactivated_account_loses_its_window(qtbot, sqlite_db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from review.models import User

    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)
    with sqlite_db.unit_of_work() as session:
        user = User(username="olga", display_name="Ольга", role="supervisor")
        session.add(user)
    from review.workspace import open_workspace

    db, _admin = open_workspace(str(sqlite_db.engine.url))
    window = MainWindow(Workspace(db, user, UserSettings()))
    qtbot.addWidget(window)
    window.show()
    answers = []
    window.account_checked.connect(answers.append)
    window.check_account()
    qtbot.waitUntil(lambda: answers == [True])
    assert window.isVisible()
    with db.unit_of_work() as session:  # an administrator elsewhere deactivates her
        session.get(User, user.id).active = False
    window.check_account()
    qtbot.waitUntil(lambda: answers == [True, False])
    assert not window.isVisible() and not user.active


def test_a_call_failed_by_repeated_crashes_says_so_and_is_retried_from_the_library(qtbot, sqlite_db, tmp_path):
    from sqlalchemy import select

    from review.models import TranscriptionJob
    from review.transcripts.jobs import MAX_ATTEMPTS, claim_next

    window, db, actor = _window(qtbot, sqlite_db)
    [call_id] = import_recordings(db, actor, [write_tone_call(tmp_path / "crashy.wav")]).call_ids
    for attempt in range(MAX_ATTEMPTS + 1):  # three workers die on it; the fourth look fails it
        with db.sessions() as session:
            claim_next(session, f"gone:{attempt}", stale_after_s=0)
    window.refresh_library()
    with qtbot.waitSignal(window.library.details.shown):
        window.library.details.show_call(call_id)
    _settled(qtbot)  # the library's own refresh may select and read the same call once more
    status = window.library.details.fields["status"].text()
    assert "3 times" in status and "Transcribe again" in status
    assert window.library.details.retry_button.isEnabled()
    window.library.details.retry_button.click()
    _settled(qtbot)
    try:
        with db.sessions() as session:
            job = session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == call_id))
            assert job.status in ("queued", "running") and job.error is None and job.attempts <= 1
    finally:
        window.transcription.pause()


def test_a_failed_transcription_gives_its_reason_in_the_interface_language(qtbot, sqlite_db, tmp_path, russian,
                                                                         whisper_folder):
    import os

    from review.transcripts.worker import process_next
    from transcription.pipeline import TranscriptionOptions

    window, db, actor = _window(qtbot, sqlite_db)
    vanishing = write_tone_call(tmp_path / "vanishing.wav")
    [call_id] = import_recordings(db, actor, [vanishing]).call_ids
    os.remove(vanishing)  # moved away after import: the worker cannot read it
    [outcome] = process_next(db, TranscriptionOptions(language="ru", beam_size=1, model_folder=str(whisper_folder)))
    assert not outcome.ok and outcome.reason == "vanishing.wav: file not found (moved or deleted?)"  # the CLI's
    window.refresh_library()
    with qtbot.waitSignal(window.library.details.shown):
        window.library.details.show_call(call_id)
    _settled(qtbot)
    status = window.library.details.fields["status"].text()
    assert status == "Ошибка — файл не найден (перемещён или удалён?)", status
