"""A chat goes the way a call goes: sampled into a review session by channel, scored with the written-reply rubric
with a comment on one message, compared side by side, and counted in the growth-area report under its channel."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from sqlalchemy import select

from app.reports_page import ReportsPage
from app.review_workspace import ReviewWindow
from app.sessions import SessionsPage
from review.library.importing import import_recordings
from review.models import Call, Comment
from review.reporting.report_data import ReportScope
from review.reporting.reports import growth_area_summary, operator_scorecards
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.review_sessions import active_call_ids, open_session_evaluation
from review.workspace import Workspace
from tests.app.test_review_keyboard import _no_question_left_open  # noqa: F401  (a failure never hangs)
from tests.app.test_review_workspace import key, type_text
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully
from tests.review.written_samples import IDENTITIES, write_booking_chat, write_iphone_zip

WEEK = (date(2025, 3, 10), date(2025, 3, 16))


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def clinic(sqlite_db, tmp_path):
    from datetime import timedelta

    from review.accounts.local_admin import ensure_local_admin
    from review.clock import FixedClock, use_clock

    use_clock(FixedClock(datetime(2025, 3, 14, 12), tick=timedelta(milliseconds=1)))  # sessions made that week

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        olga, olga_user = add_operator(session, "Ольга Кузнецова", username="olga")
        add_call(session, olga.id, datetime(2025, 3, 13, 11))  # a phone call the channel filter leaves out
    write_booking_chat(tmp_path)
    write_iphone_zip(tmp_path)
    assert import_recordings(sqlite_db, admin, [tmp_path], operator_identities=IDENTITIES).imported == 2
    return sqlite_db, supervisor, olga_user


def test_a_chat_through_a_review_session_into_the_report(qtbot, clinic):
    db, sup, olga = clinic
    page = SessionsPage(Workspace(db, sup))
    qtbot.addWidget(page)
    dialog = page.create_sessions()
    qtbot.waitUntil(dialog.create_button.isEnabled)  # the operators and rubrics are read off the GUI thread
    dialog.check_operators(["Ольга Кузнецова"])
    dialog.period_start.setDate(QDate(WEEK[0]))
    dialog.period_end.setDate(QDate(WEEK[1]))
    dialog.count.setValue(1)
    dialog.seed.setText("17")
    dialog.channel.setCurrentIndex(dialog.channel.findData("written"))
    dialog.rubric.setCurrentIndex(dialog.rubric.findData("written_reply"))
    with qtbot.waitSignal(page.board_shown):
        dialog.accept()
    [session_id] = page.board.card_ids("to_score_supervisor")
    with db.sessions() as session:
        [chat_id] = active_call_ids(session, session_id)
        assert session.get(Call, chat_id).channel_kind == "whatsapp"

    # The supervisor reads the chat, comments on the operator's first reply, and scores it.
    window = ReviewWindow(Workspace(db, sup), chat_id, review_session_id=session_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.data is not None, timeout=15000)  # the call is read off the GUI thread
    window.setFocus()
    assert window.data.rubric.id == "written_reply" and window.messages.isVisible()
    assert window.banner.text().startswith("This conversation is part of review session")  # a chat, not a call
    reply = next(i for i, item in enumerate(window.messages.items) if item.role == "operator")
    while window.messages.current < reply:
        key(window, Qt.Key.Key_L)
    key(window, Qt.Key.Key_C)
    type_text(window.comment_entry.text, "Нет приветствия по имени")
    key(window, Qt.Key.Key_Return)
    evaluation_id = window.data.evaluation_id
    assert evaluation_id is not None
    window.close()
    with db.unit_of_work() as session:
        comment = session.scalars(select(Comment)).one()
        assert comment.message_id == window.messages.items[reply].id and comment.evaluation_id == evaluation_id
        score_fully(session, sup, evaluation_id, {"grammar": 1, "tone_personal": 1})
        own = open_session_evaluation(session, olga, session_id, chat_id)
        score_fully(session, olga, own.id)

    # Side by side: exactly the two questions the supervisor was harsher on differ.
    with qtbot.waitSignal(page.board_shown):
        page.refresh()
    detail = page.detail
    with qtbot.waitSignal(detail.shown):
        page.board.session_selected.emit(session_id)
    assert {question for _call, question in detail.highlighted_rows()} == {"grammar", "tone_personal"}
    suggestions = [detail.discussion.suggestions.item(i) for i in range(detail.discussion.suggestions.count())]
    growth = [i for i, item in enumerate(suggestions) if item.data(Qt.ItemDataRole.UserRole)[0] == "grammar"]
    detail.discussion.suggestions.setCurrentRow(growth[0])
    with qtbot.waitSignal(detail.discussion.shown):
        detail.discussion.add_growth.click()

    # The growth-area report counts it under WhatsApp, and not under the phone.
    with db.sessions() as session:
        def grammar(channel):
            rows = growth_area_summary(session, sup, ReportScope(*WEEK, channel_kind=channel), lang="en").rows
            return next(((r.growth_sessions, r.answered) for r in rows if r.question_id == "grammar"), None)

        assert grammar("whatsapp") == (1, 1) and grammar("written") == (1, 1)
        assert grammar("phone") is None
        [card] = operator_scorecards(session, sup, ReportScope(*WEEK, channel_kind="whatsapp"))
        assert (card.median_first_response_s, card.longest_wait_s) == (780.0, 39_900.0)  # median of 360, 1200
    reports = ReportsPage(Workspace(db, sup))
    qtbot.addWidget(reports)
    reports.show()
    reports.channel.setCurrentIndex(reports.channel.findData("whatsapp"))
    with qtbot.waitSignal(reports.refreshed, timeout=20000):
        reports.set_period(*WEEK)
        reports.refresh()
    questions = [reports.growth_model.index(r, 2).data() for r in range(reports.growth_model.rowCount())]
    assert "The text has no spelling or punctuation mistakes" in questions, questions
    assert "Channel: WhatsApp" in reports.loaded.growth.caption
