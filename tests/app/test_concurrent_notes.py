"""Two supervisors' desktops on one database edit the same meeting notes: the second is told, and chooses."""

from datetime import date, datetime

import pytest

from app.conflict_dialog import KEEP_MINE, RELOAD
from app.sessions.discussion_tab import DiscussionTab
from review.models import ReviewSession
from review.scoring.rubric_store import install_builtin_rubrics, latest_published
from review.storage.db import open_database
from review.workspace import Workspace
from tests.review.session_fixtures import add_call, add_operator, add_supervisor


@pytest.fixture
def two_desktops(db, db_url, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        operator, _ = add_operator(session, "Анна")
        add_call(session, operator.id, datetime(2026, 11, 2, 10))
        supervisor = add_supervisor(session, "olga", "Ольга")
        review_session = ReviewSession(operator_id=operator.id, supervisor_id=supervisor.id,
                                       rubric_version_id=latest_published(session, "inbound_call").id,
                                       sampling_rule={}, seed=1, period_start=date(2026, 11, 1),
                                       period_end=date(2026, 11, 30))
        session.add(review_session)
        session.flush()
        session_id = review_session.id
    other = open_database(db_url)  # a second desktop: its own engine and connections
    yield db, other, admin, session_id
    other.dispose()


def _tab(qtbot, database, actor, session_id, answer):
    tab = DiscussionTab(Workspace(database, actor))
    qtbot.addWidget(tab)
    tab.ask_conflict = lambda: answer
    with qtbot.waitSignal(tab.shown):
        tab.show_session(session_id, None)
    return tab


@pytest.mark.parametrize("answer", [RELOAD, KEEP_MINE])
def test_second_save_gets_a_conflict_and_a_choice(qtbot, two_desktops, answer):
    db, other, admin, session_id = two_desktops
    first = _tab(qtbot, db, admin, session_id, answer)
    second = _tab(qtbot, other, admin, session_id, answer)
    first.meeting.setPlainText("Обсудили приветствие")
    with qtbot.waitSignal(first.shown):
        first._save_meeting()
    asked = []
    second.ask_conflict = lambda: asked.append(True) or answer
    second.meeting.setPlainText("Обсудили запись к врачу")
    with qtbot.waitSignal(second.shown):
        second._save_meeting()
    assert asked == [True]
    with db.sessions() as session:
        stored = session.get(ReviewSession, session_id).notes
    if answer == RELOAD:
        assert stored == "Обсудили приветствие"
        assert second.meeting.toPlainText() == "Обсудили приветствие"
    else:
        assert stored == "Обсудили запись к врачу"
