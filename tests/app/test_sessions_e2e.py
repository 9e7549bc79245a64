"""End to end on the sessions page: create sessions for two operators, both sides score, side by side,
suggested growth areas, a goal whose progress later evaluations move, acknowledgement, a dispute resolved."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from app.sessions import SessionsPage
from review.models import Dispute
from review.scoring.evaluations import open_evaluation
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.review_sessions import active_call_ids, open_session_evaluation
from review.workspace import Workspace
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully

START = date(2026, 10, 5)
SHOTS = Path("/tmp/shots")


@pytest.fixture
def people(sqlite_db):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        anna, anna_user = add_operator(session, "Анна Смирнова", username="anna")
        olga, olga_user = add_operator(session, "Ольга Кузнецова", username="olga")
        for operator in (anna, olga):
            for day in range(21):
                add_call(session, operator.id, datetime.combine(START + timedelta(days=day), datetime.min.time())
                         + timedelta(hours=11), duration_s=180)
        return {"sup": supervisor, "anna": anna_user, "olga": olga_user}


def _shot(widget, name):
    SHOTS.mkdir(exist_ok=True)
    widget.resize(1366, 768)
    widget.show()
    from PySide6.QtWidgets import QApplication
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_sessions_end_to_end(qtbot, sqlite_db, people):
    db, sup, anna = sqlite_db, people["sup"], people["anna"]
    page = SessionsPage(Workspace(db, sup))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    page.resize(1366, 768)
    opened = []
    page.open_call.connect(lambda call_id, queue: opened.append((call_id, queue)))

    dialog = page.create_sessions()
    qtbot.waitUntil(dialog.create_button.isEnabled)  # the operators and rubrics are read off the GUI thread
    states = lambda: {dialog.operators.item(i).checkState() for i in range(dialog.operators.count())}  # noqa: E731
    dialog.check_all_operators(Qt.CheckState.Checked)
    assert states() == {Qt.CheckState.Checked}
    dialog.check_all_operators(Qt.CheckState.Unchecked)
    assert states() == {Qt.CheckState.Unchecked}
    dialog.check_operators(["Анна Смирнова", "Ольга Кузнецова"])
    dialog.period_start.setDate(QDate(START))
    dialog.period_end.setDate(QDate(START + timedelta(days=20)))
    dialog.count.setValue(3)
    dialog.seed.setText("2026")
    dialog.rubric.setCurrentIndex(dialog.rubric.findData("inbound_call"))
    _shot(dialog, "sessions_create")
    with qtbot.waitSignal(page.board_shown):
        dialog.accept()
    assert "2" in page.notice.text()
    to_score = page.board.card_ids("to_score_supervisor")
    assert len(to_score) == 2

    # Both sides score every call of both sessions; the supervisor is harsher on two questions.
    with db.unit_of_work() as session:
        for session_id in to_score:
            for call_id in active_call_ids(session, session_id):
                evaluation = open_session_evaluation(session, sup, session_id, call_id)
                score_fully(session, sup, evaluation.id, {"alternative_offered": False, "needs_situation": 1})
    with qtbot.waitSignal(page.board_shown):
        page.refresh()
    assert sorted(page.board.card_ids("to_self_score")) == sorted(to_score)
    with db.unit_of_work() as session:
        for user in (anna, people["olga"]):
            mine = next(s for s in to_score if _operator_of(session, s) == user.operator_id)
            for call_id in active_call_ids(session, mine):
                evaluation = open_session_evaluation(session, user, mine, call_id)
                score_fully(session, user, evaluation.id)
    with qtbot.waitSignal(page.board_shown):
        page.refresh()
    assert sorted(page.board.card_ids("ready_to_discuss")) == sorted(to_score)

    anna_session = next(s for s in to_score if _operator_of_db(db, s) == anna.operator_id)
    detail = page.detail
    with qtbot.waitSignal(detail.shown):
        page.board.session_selected.emit(anna_session)
    detail.calls.selectRow(0)
    detail.open_selected_call()
    assert opened and opened[0][0] in opened[0][1] and len(opened[0][1]) == 3

    # Side by side: exactly the two harsher questions differ, on each of the three calls.
    highlighted = detail.highlighted_rows()
    assert {question for _, question in highlighted} == {"alternative_offered", "needs_situation"}
    assert len(highlighted) == 6
    detail.tabs.setCurrentIndex(1)
    _shot(page, "sessions_side_by_side")

    # Discussion: growth areas suggested from the lowest questions; one is taken.
    suggestions = [detail.discussion.suggestions.item(i) for i in range(detail.discussion.suggestions.count())]
    growth = [item.data(Qt.ItemDataRole.UserRole)[0] for item in suggestions if item.text().startswith("Growth")]
    assert growth[:2] == ["alternative_offered", "needs_situation"]
    detail.discussion.suggestions.setCurrentRow(0)
    with qtbot.waitSignal(detail.discussion.shown):
        detail.discussion.add_growth.click()
    assert detail.discussion.notes.count() == 1
    detail.tabs.setCurrentIndex(2)
    _shot(page, "sessions_discussion")

    # A goal on 'offers an alternative', target 80 %.
    goals = detail.goals
    goals.measure.setCurrentIndex(next(i for i in range(goals.measure.count())
                                       if goals.measure.itemData(i) == ("alternative_offered", None)))
    goals.goal_name.setText("Offers an alternative every time")
    goals.target.setValue(80)
    measured = goals.measure.currentText().strip()
    with qtbot.waitSignal(goals.shown):
        goals.add_button.click()
    assert goals.table.rowCount() == 1 and goals.table.item(0, 5).text() == "—"
    assert goals.table.item(0, 1).text() == "Question: " + measured  # what the goal measures
    assert goals.sparkline(0).values == []

    # Later evaluations of Anna's calls move the goal's progress.
    with db.unit_of_work() as session:
        for day, alternative in ((25, True), (26, True)):
            call = add_call(session, anna.operator_id, datetime.combine(START + timedelta(days=day),
                                                                        datetime.min.time()))
            session.flush()
            evaluation = open_evaluation(session, sup, call.id, rubric_slug="inbound_call", kind="supervisor")
            score_fully(session, sup, evaluation.id, {"alternative_offered": alternative})
    with qtbot.waitSignal(detail.shown):
        page.board.session_selected.emit(anna_session)
    assert goals.sparkline(0).values == [100.0, 100.0]
    assert goals.table.item(0, 5).text() == "100 %"
    detail.tabs.setCurrentIndex(3)
    _shot(page, "sessions_goals")

    # The operator sees her session, acknowledges it, and disputes one answer.
    operator_page = SessionsPage(Workspace(db, anna))
    qtbot.addWidget(operator_page)
    qtbot.waitSignal(operator_page.board_shown).wait()
    assert operator_page.board.card_ids("ready_to_discuss") == [anna_session]
    operator_detail = operator_page.detail
    with qtbot.waitSignal(operator_detail.shown):
        operator_page.board.session_selected.emit(anna_session)
    assert operator_detail.ack_button.isVisible() or not operator_page.isVisible()
    with qtbot.waitSignal(operator_detail.shown):
        operator_detail.ack_button.click()
    assert "Acknowledged" in operator_detail.ack_label.text()
    call_id = highlighted[0][0]
    operator_detail.select_side_row(call_id, "alternative_offered")
    with qtbot.waitSignal(operator_page.disputes.shown):
        pass  # the tab is built when first shown or asked for, and loads then: loaded before the dispute
    with qtbot.waitSignal(operator_page.disputes.shown):
        operator_detail.dispute_selected("I offered another doctor at 02:10")
    with qtbot.waitSignal(operator_page.disputes.shown):
        operator_page.refresh()
    assert operator_page.disputes.table.rowCount() == 1

    # The supervisor accepts it with a reason: the answer changes, history kept.
    with qtbot.waitSignal(page.disputes.shown):
        page.tabs.setCurrentIndex(1)  # choosing a tab reloads it
    page.disputes.table.selectRow(0)
    page.disputes.reason.setText("Yes, the alternative was offered at 02:10")
    with qtbot.waitSignal(page.disputes.shown):
        page.disputes.accept_selected()
    assert page.disputes.table.item(0, 4).text() == "False" and page.disputes.table.item(0, 5).text() == "True"
    with db.sessions() as session:
        dispute = session.query(Dispute).one()
        assert dispute.status == "accepted" and dispute.resolution.startswith("Yes")
    _shot(page, "sessions_disputes")
    with qtbot.waitSignal(page.detail.shown):
        page.board.session_selected.emit(anna_session)
    assert len(page.detail.highlighted_rows()) == 5


def _operator_of(session, review_session_id):
    from review.models import ReviewSession

    return session.get(ReviewSession, review_session_id).operator_id


def _operator_of_db(db, review_session_id):
    with db.sessions() as session:
        return _operator_of(session, review_session_id)
