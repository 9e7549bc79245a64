"""The audit log in words: an administrator reads what a reviewer changed as a person would write it, in the
interface's language, and a save that changed nothing leaves no line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.audit_log_view import AuditLogView
from review.accounts.local_admin import ensure_local_admin
from review.models import AuditEntry
from review.workspace import Workspace
from tests.app.review_support import reviewable_demo_call
from tests.app.test_plural_forms import russian_pairs, russian_with_pairs  # noqa: F401  (fixtures)
from tests.app.test_review_keyboard import go_to, press
from tests.app.test_review_workspace import key, open_window

SHOTS = Path("/tmp/shots")
CHANGE = 4  # the column that says what changed


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def scored(qtbot, sqlite_db):
    """A reviewer answers by keyboard: greeting yes, the same yes again, then no; the need scale 3, then 2."""
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(sqlite_db, actor)
    window = open_window(qtbot, sqlite_db, actor, call_id)
    press("1")
    key(window, Qt.Key.Key_Up)
    press("1")  # the same answer again: nothing changed, nothing to log
    key(window, Qt.Key.Key_Up)
    press("2")
    go_to(window, "needs_situation")
    press("3")
    key(window, Qt.Key.Key_Up)
    press("2")
    window.close()
    return sqlite_db, actor


def _opened(qtbot, db, actor) -> AuditLogView:
    view = AuditLogView(Workspace(db, actor))
    qtbot.addWidget(view)
    shown = []
    view.shown.connect(lambda: shown.append(1))
    qtbot.waitUntil(lambda: bool(shown))  # read off the GUI thread
    return view


def _changes(view: AuditLogView) -> list[str]:
    return [view.table.item(row, CHANGE).text() for row in range(view.table.rowCount())]


def _shot(view: AuditLogView, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    view.resize(1366, 768)
    view.show()
    QApplication.processEvents()
    view.grab().save(str(SHOTS / f"{name}.png"))


def test_answers_read_as_a_person_writes_them_and_repeats_are_not_logged(qtbot, scored, english):
    db, actor = scored
    with db.sessions() as session:
        answers = session.scalars(select(AuditEntry).where(AuditEntry.action == "answer")).all()
    assert len(answers) == 4  # yes, no, 3, 2: the repeated yes stored nothing
    view = _opened(qtbot, db, actor)
    changes = _changes(view)
    greeting = "Question 'Greeted the caller and gave the clinic's name and own name'"
    need = "Question 'Found out the patient's need and situation'"
    assert changes[:4] == [f"{need}: 'Found out the essentials' → 'Formally, one question'",
                           f"{need}: — → 'Found out the essentials'",
                           f"{greeting}: 'Yes' → 'No'",
                           f"{greeting}: — → 'Yes'"]
    assert not any("na:" in text or "value:" in text or "greeting_" in text for text in changes)
    row = 0
    assert view.table.item(row, 5).text() == ""  # the question id is not repeated as a note
    assert '"v"' not in view.table.item(row, CHANGE).toolTip() and '"value": 1' in view.table.item(row, CHANGE).toolTip()
    _shot(view, "audit_en")


def test_the_russian_interface_reads_the_russian_question_and_options(qtbot, scored, russian):
    db, actor = scored
    view = _opened(qtbot, db, actor)
    changes = _changes(view)
    assert changes[0] == ("Вопрос «Выяснил потребность и ситуацию пациента»: «Основное выяснил» → "
                          "«Формально, одним вопросом»")
    assert changes[2] == "Вопрос «Поздоровался, назвал клинику и своё имя»: «Да» → «Нет»"
    _shot(view, "audit_ru")


def test_rubrics_are_named_by_their_titles_not_their_ids(qtbot, sqlite_db, english):
    from review.scoring.rubric_store import install_builtin_rubrics

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
    call_id = reviewable_demo_call(sqlite_db, actor)
    window = open_window(qtbot, sqlite_db, actor, call_id)
    press("1")  # the first answer creates the evaluation, pinned to a rubric version
    window.close()
    view = _opened(qtbot, sqlite_db, actor)
    rows = range(view.table.rowCount())
    created = [view.table.item(r, CHANGE).text() for r in rows if "rubric version" in view.table.item(r, CHANGE).text()]
    assert created == ["call: #1; kind: supervisor; rubric version: 'Inbound call to the clinic v1'"]
    records = [view.table.item(r, 3).text() for r in rows if view.table.item(r, 3).text().startswith("Rubric")]
    assert "Rubric version 'Inbound call to the clinic v1'" in records
    assert not any("№" in text for text in records), records


def test_a_calibration_round_reads_in_russian_without_stored_names(qtbot, sqlite_db, russian_pairs):  # noqa: F811
    from datetime import datetime

    from review.scoring.rubric_store import install_builtin_rubrics
    from review.sessions.calibration_rounds import start_calibration
    from tests.review.session_fixtures import add_call, add_operator, add_supervisor

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
        nadia = add_supervisor(session, "nadia", "Надежда")
        operator, _ = add_operator(session, "Анна")
        call = add_call(session, operator.id, datetime(2026, 10, 5, 10))
        session.flush()
        start_calibration(session, actor, [call.id], "inbound_call", [actor.id, nadia.id], title="Ноябрь")
    view = _opened(qtbot, sqlite_db, actor)
    row = next(r for r in range(view.table.rowCount()) if "Ноябрь" in view.table.item(r, CHANGE).text())
    assert view.table.item(row, 3).text().startswith("Раунд калибровки")
    change = view.table.item(row, CHANGE).text()
    assert "участники" in change and "название: «Ноябрь»" in change, change
    assert "members" not in change and "title" not in change
    assert "inbound_call" not in change and "Входящий звонок" in change, change  # the rubric by its title


def test_the_log_fits_its_page_at_1366_without_a_sideways_scroll(qtbot, scored, russian):
    db, actor = scored
    view = _opened(qtbot, db, actor)
    view.resize(1366 - 200, 700)  # the page beside the sidebar on a 1366 px screen
    view.show()
    qtbot.waitExposed(view)
    assert view.table.horizontalScrollBar().maximum() == 0
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, CHANGE).text())
    assert view.table.item(row, CHANGE).text() in view.table.item(row, CHANGE).toolTip()  # a long one whole


def test_english_records_read_call_hash_and_the_moment_is_whole(qtbot, scored, english):
    """"Call #14", not the Russian "Call № 14"; "18 Nov 2026 10:00:00" whole in its column, in the app's font."""
    from app.labels import widest_datetimes
    from tests.app.app_look import app_wide_look

    db, actor = scored
    with app_wide_look():
        view = _opened(qtbot, db, actor)
        view.resize(1366 - 200, 700)
        view.show()
        qtbot.waitExposed(view)
        records = [view.table.item(r, 3).text() for r in range(view.table.rowCount())]
        assert records and not any("№" in text for text in records), records
        assert any(text.startswith("Evaluation #") for text in records), records
        widest = max(view.table.fontMetrics().horizontalAdvance(text) for text in widest_datetimes(seconds=True))
        assert widest + 8 <= view.table.columnWidth(0)
        assert view.table.horizontalScrollBar().maximum() == 0


def test_settings_are_named_in_words_not_by_their_stored_keys(qtbot, sqlite_db, english):
    """The written channels' operators, their working hours, the dispute window and the retention: each entry
    names its setting as the Administration tab does, and no stored key ("written_operator_identities") shows."""
    from review.library.retention import set_retention_days
    from review.scoring.disputes import set_dispute_window
    from review.written.written_settings import remember_identities, set_working_hours, working_hours

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        remember_identities(session, actor, {"anna@clinic.example": "Anna Smirnova"})
        set_working_hours(session, actor, working_hours(session))
        set_dispute_window(session, actor, 10)
        set_retention_days(session, actor, 400)
    view = _opened(qtbot, sqlite_db, actor)
    rows = [[view.table.item(r, c).text() for c in range(6)] for r in range(view.table.rowCount())]
    records = {row[3] for row in rows if row[3].startswith("Setting")}
    assert {"Setting 'operators' addresses and names'", "Setting 'working hours of written channels'",
            "Setting 'dispute window'", "Setting 'data retention'"} <= records, records
    for row in rows:
        assert not any("_" in cell for cell in row[2:]), row


def test_a_setting_that_had_nothing_before_reads_as_a_dash(sqlite_db, english):
    """The first operators' addresses: "— → …", not an empty space before the arrow."""
    from review.reporting.audit_log import AuditFilter, audit_page
    from review.reporting.audit_text import describe_changes
    from review.written.written_settings import remember_identities

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        remember_identities(session, actor, {"anna@clinic.example": "Anna Smirnova"})
    with sqlite_db.sessions() as session:
        rows = [row for row in audit_page(session, actor, AuditFilter()) if row.action == "setting"]
        change = describe_changes(session, rows, "en")[0]
    assert change == "operators' addresses and names: — → anna@clinic.example: 'Anna Smirnova'", change


def test_working_hours_read_as_a_week_not_a_list_of_times(sqlite_db, russian):
    from datetime import time

    from review.reporting.audit_log import AuditFilter, audit_page
    from review.reporting.audit_text import describe_changes
    from review.written.working_hours import WorkingHours
    from review.written.written_settings import set_working_hours, working_hours

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        hours = working_hours(session)
        set_working_hours(session, actor, hours)  # the defaults stored first
        days = list(hours.days)
        days[5] = None  # Saturday closed too
        days[0] = (time(8), time(20))
        set_working_hours(session, actor, WorkingHours(tuple(days), "Europe/Moscow"))
    with sqlite_db.sessions() as session:
        rows = [row for row in audit_page(session, actor, AuditFilter()) if row.action == "setting"]
        change = describe_changes(session, rows, "ru")[0]
    assert "часы: пн 09:00–21:00" in change and "→ пн 08:00–20:00" in change, change
    assert "сб выходной, вс выходной" in change and "«09:00»" not in change, change


def test_on_a_wide_screen_the_action_and_the_record_are_whole(qtbot, sqlite_db, russian):
    """At 1920 "Настройка «адреса и имена операторов»" and "Изменена настройка" were cut, the change column
    taking the whole rest of the page."""
    from review.written.written_settings import remember_identities
    from tests.app.app_look import app_wide_look

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        remember_identities(session, actor, {"anna@clinic.example": "Анна Смирнова"})
    with app_wide_look():
        view = _opened(qtbot, sqlite_db, actor)
        view.resize(1920 - 200, 900)
        view.show()
        qtbot.waitExposed(view)
        metrics = view.table.fontMetrics()
        for column in (2, 3):
            for row in range(view.table.rowCount()):
                text = view.table.item(row, column).text()
                assert metrics.horizontalAdvance(text) + 8 <= view.table.columnWidth(column), text
        assert view.table.horizontalScrollBar().maximum() == 0
        view.resize(1366 - 200, 700)
        qtbot.wait(20)
        assert view.table.horizontalScrollBar().maximum() == 0  # and still no sideways scroll at 1366
