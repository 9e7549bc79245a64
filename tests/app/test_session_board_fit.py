"""The sessions board on a 1366x768 screen: each column shows at least three cards whole above the chosen
session's details, in the app's font and style, in English and Russian."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QApplication

from app.sessions import SessionsPage
from review.accounts.local_admin import ensure_local_admin
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.review_sessions import create_sessions
from review.sessions.sampling import SamplingRule
from review.workspace import Workspace
from tests.app.app_look import app_wide_look
from tests.review.session_fixtures import add_call, add_operator, add_supervisor


@pytest.fixture
def four_sessions(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        operators = []
        for number, name in enumerate(("Анна Смирнова", "Игорь Петров", "Ольга Кузнецова", "Мария Иванова")):
            operator, _ = add_operator(session, name, username=f"op{number}")
            add_call(session, operator.id, datetime(2026, 11, 3 + number, 10))
            operators.append(operator.id)
        session.flush()
        rule = SamplingRule(operator_ids=tuple(operators), period_start=date(2026, 11, 1),
                            period_end=date(2026, 11, 30), per_operator=1, seed=1)
        create_sessions(session, supervisor, rule, rubric_slug="inbound_call")
    return sqlite_db, supervisor


@pytest.mark.parametrize("language", ["english", "russian"])
def test_three_cards_show_whole_in_a_column_at_1366x768(qtbot, four_sessions, language, request):
    request.getfixturevalue(language)
    db, supervisor = four_sessions
    with app_wide_look():
        page = SessionsPage(Workspace(db, supervisor))
        qtbot.addWidget(page)
        page.resize(1366 - 190, 768 - 70)  # beside the sidebar, under the menu and above the status bar
        with qtbot.waitSignal(page.board_shown):
            page.show()
        QApplication.processEvents()
        column = page.board.columns["to_score_supervisor"]
        assert column.count() == 4
        third = column.visualItemRect(column.item(2))
        assert third.bottom() <= column.viewport().height(), (third, column.viewport().height())
        assert page.detail.height() >= 250  # the chosen session's calls keep their room


@pytest.mark.parametrize(("language", "mark"), [("english", "#"), ("russian", "№ ")])
def test_a_sessions_calls_are_numbered_as_on_every_other_screen_and_open(qtbot, four_sessions, language, mark,
                                                                          request):
    request.getfixturevalue(language)
    db, supervisor = four_sessions
    page = SessionsPage(Workspace(db, supervisor))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.board_shown):
        page.show()
    with qtbot.waitSignal(page.detail.shown):
        page.board.session_selected.emit(page.board.card_ids("to_score_supervisor")[0])
    cell = page.detail.calls.item(0, 0).text()
    assert cell.startswith(mark) and cell[len(mark):].isdigit(), cell
    opened = []
    page.detail.open_call.connect(lambda call_id, queue: opened.append(call_id))
    page.detail.calls.selectRow(0)
    page.detail.open_selected_call()
    assert opened == [int(cell[len(mark):])]
