"""An empty list says what it would show and how to fill it: the sessions board, disputes, the growth report and
search results; the hint goes once there are rows."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from app.reports_page import ReportsPage
from app.search_page import SearchPage
from app.sessions import SessionsPage
from review.accounts.local_admin import ensure_local_admin
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.review_sessions import create_sessions
from review.sessions.sampling import SamplingRule
from review.workspace import Workspace
from tests.app.test_review_workspace import type_text
from tests.review.session_fixtures import add_call, add_operator, add_supervisor

SHOTS = Path("/tmp/shots")


@pytest.fixture
def workspace(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        anna, _ = add_operator(session, "Анна Смирнова")
        add_call(session, anna.id, datetime(2026, 11, 3, 10))
        return sqlite_db, supervisor, anna.id


def _painted_hint(view) -> bool:
    """Whether something other than the background is painted in the viewport (the hint's letters)."""
    image = view.viewport().grab().toImage()
    background = QColor(image.pixel(2, image.height() - 3))
    return any(QColor(image.pixel(x, y)) != background for y in range(10, 60, 2) for x in range(0, image.width(), 3))


def test_the_board_and_the_disputes_say_why_they_are_empty(qtbot, workspace, english):
    db, supervisor, anna = workspace
    page = SessionsPage(Workspace(db, supervisor))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitSignal(page.board_shown).wait()
    hint = page.board.empty_hint
    assert hint.showing() and "New sessions" in hint.text()
    assert _painted_hint(page.board.columns["to_score_supervisor"])
    assert page.disputes.empty_hint.showing() and "side-by-side" in page.disputes.empty_hint.text()
    calls = page.detail.calls_hint  # no session chosen yet: its calls' list says where they come from
    assert calls.showing() and "choose a session on the board" in calls.text()
    if SHOTS.exists():
        page.grab().save(str(SHOTS / "sessions_empty_en.png"))
    with db.unit_of_work() as session:
        rule = SamplingRule(operator_ids=(anna,), period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                            per_operator=1, seed=1)
        create_sessions(session, supervisor, rule, rubric_slug="inbound_call")
    assert not any(h.showing() for h in page.board.column_hints.values())  # one hint for an empty board
    with qtbot.waitSignal(page.board_shown):
        page.refresh()
    assert not hint.showing()
    # With a session on the board, each empty column says what comes there.
    self_score = page.board.column_hints["to_self_score"]
    assert self_score.showing() and "self-score" in self_score.text()
    assert _painted_hint(page.board.columns["closed"])


def test_search_says_what_to_type_and_when_nothing_was_found(qtbot, workspace, english):
    db, supervisor, _anna = workspace
    page = SearchPage(Workspace(db, supervisor))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.empty_hint.showing() and "Type a word" in page.empty_hint.text()
    page.query.setFocus()
    type_text(page.query, "перезвоните")
    seen = []
    page.searched.connect(lambda: seen.append(1))
    QTest.keyClick(page.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen))  # searched off the GUI thread
    assert page.empty_hint.showing() and "Nothing found for “перезвоните”" in page.empty_hint.text()
    assert _painted_hint(page.results)


def test_the_growth_report_says_where_growth_areas_come_from(qtbot, workspace, english):
    db, supervisor, _anna = workspace
    page = ReportsPage(Workspace(db, supervisor))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.refresh()
    assert page.growth_hint.showing() and "Discussion tab" in page.growth_hint.text()
    assert page.questions_tab.hint.showing() and "pass rate" in page.questions_tab.hint.text()
    assert page.agreement_hint.showing() and "suggestions" in page.agreement_hint.text()
    page.tabs.setCurrentWidget(page.agreement_view)
    assert _painted_hint(page.agreement_view)
    if SHOTS.exists():
        page.grab().save(str(SHOTS / "reports_empty_en.png"))


def test_the_talk_list_says_a_call_had_no_silences_holds_or_overtalk(qtbot, english):
    from app.review_workspace.talk_panel import TalkPanel
    from transcription.conversation import analyse
    from transcription.transcript import Segment, Transcript, Word

    panel = TalkPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 500)
    panel.show()
    assert panel.stretches_hint.showing() and "once it is transcribed" in panel.stretches_hint.text()
    words = [Word(0.2 + i * 0.4, 0.5 + i * 0.4, "да", 0.9) for i in range(10)]  # talk with no pause to speak of
    found = analyse(Transcript(language="ru", duration_s=4.5, segments=[
        Segment("operator", 0.2, 4.1, "да " * 10, -0.2, 0.01, words)]))
    panel.show_analytics(found)
    assert panel.stretches.count() == 0
    assert panel.stretches_hint.showing() and "No silences, holds or overtalk" in panel.stretches_hint.text()
    assert _painted_hint(panel.stretches)


@pytest.mark.parametrize(("language", "width"), [("russian", 1366 - 190), ("english", 1920 - 190)])
def test_the_empty_growth_table_shares_its_width_with_its_hint_readable(qtbot, workspace, request, language, width):
    """The empty table gave the section column all the spare width, the question a sliver, and stopped short of
    the table's right edge."""
    from PySide6.QtWidgets import QApplication

    from tests.app.app_look import app_wide_look

    request.getfixturevalue(language)
    db, supervisor, _anna = workspace
    with app_wide_look():
        page = ReportsPage(Workspace(db, supervisor))
        qtbot.addWidget(page)
        page.resize(width, 700)
        page.show()
        with qtbot.waitSignal(page.refreshed, timeout=20000):
            page.refresh()
        QApplication.processEvents()
        view, header = page.growth_view, page.growth_view.horizontalHeader()
        shown = [c for c in range(header.count()) if not view.isColumnHidden(c)]
        widths = {c: header.sectionSize(c) for c in shown}
        assert abs(sum(widths.values()) - view.viewport().width()) <= 4  # the header reaches the edge
        section, question = widths[1], widths[2]
        assert 0.75 < question / section < 1.34  # the two text columns alike, neither a sliver
        numbers = sorted(w for c, w in widths.items() if c > 2)
        assert min(section, question) >= numbers[len(numbers) // 2]  # words get more room than most figures
        assert page.growth_hint.showing()
        metrics = view.fontMetrics()
        hint_lines = metrics.boundingRect(0, 0, view.viewport().width() - 32, 1000, Qt.TextFlag.TextWordWrap,
                                          page.growth_hint.text()).height() // metrics.height()
        assert hint_lines <= 3  # read at a glance, not a narrow column of words
