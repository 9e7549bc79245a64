"""Signal-driven sampling in the sessions screens: the dialog's "prefer calls with" choices reach the rule, and
the session lists why each call was picked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt

from app.sessions.create_dialog import CreateSessionsDialog
from app.sessions.session_detail import SessionDetail, pick_reason_text
from review.workspace import Workspace
from tests.review.test_signal_sampling import START, month  # noqa: F401  (the fixture)


def test_reason_texts():
    assert pick_reason_text(None) == "at random"
    assert pick_reason_text({"signals": {"long_silence": 7.0, "failed_check": 1.0}}) == \
        "long silence (7 s), a failed check"
    assert pick_reason_text({"signals": {"overtalk": 6.5}}) == "heavy overtalk (6.5 s)"
    assert pick_reason_text({"signals": {"unhappy_customer": 2.0}}) == "an unhappy customer (2 complaints)"
    assert pick_reason_text({"signals": {"unhappy_customer": 1.0}}) == "an unhappy customer (1 complaint)"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dialog_prefers_signals_and_the_session_shows_why(qtbot, db, admin, month):  # noqa: F811
    operator, calls = month
    dialog = CreateSessionsDialog(Workspace(db, admin))
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.loaded).wait()
    dialog.check_operators(["Анна"])
    dialog.period_start.setDate(QDate(START))
    dialog.period_end.setDate(QDate(START).addDays(27))
    dialog.count.setValue(4)
    dialog.min_duration.setValue(0)
    dialog.seed.setText("5")
    dialog.prefer["long_hold"].setChecked(True)
    dialog.prefer["overtalk"].setChecked(True)
    assert dialog.rule().prefer == ("long_hold", "overtalk")
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    session_id = dialog.created.session_ids[operator]
    detail = SessionDetail(Workspace(db, admin))
    qtbot.addWidget(detail)
    with qtbot.waitSignal(detail.shown):
        detail.show_session(session_id)
    reasons = {detail.calls.item(r, 0).text(): detail.calls.item(r, 2).text() for r in range(detail.calls.rowCount())}
    assert reasons[f"#{calls[1, 2]}"] == "long hold (130 s)" and reasons[f"#{calls[2, 0]}"] == "heavy overtalk (6 s)"
    assert sorted(reasons.values()).count("at random") == 2
    assert detail.calls.horizontalHeaderItem(2).text() == "Why picked"
    assert detail.calls.item(0, 3).data(Qt.ItemDataRole.DisplayRole) == "in the session"
