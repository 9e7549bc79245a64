"""Two desktops edit the same call's details: the second save is told and chooses reload or keep mine."""

import pytest

from app.conflict_dialog import KEEP_MINE, RELOAD
from app.review_workspace import ReviewWindow
from review.models import Call
from review.storage.db import open_database
from review.workspace import Workspace
from tests.app.review_support import reviewable_demo_call


@pytest.mark.parametrize("answer", [RELOAD, KEEP_MINE])
def test_call_details_conflict(qtbot, db, db_url, admin, answer):
    call_id = reviewable_demo_call(db, admin)
    other = open_database(db_url)
    try:
        first = ReviewWindow(Workspace(db, admin), call_id)
        second = ReviewWindow(Workspace(other, admin), call_id)
        for window in (first, second):
            qtbot.addWidget(window)
            qtbot.waitUntil(lambda window=window: window.data is not None, timeout=15000)  # read off the GUI thread
        first.actions.save_metadata({"outcome": "info_only"})
        qtbot.waitUntil(lambda: not first.actions.ops.busy(), timeout=15000)
        asked = []
        second.actions.ask_conflict = lambda: asked.append(True) or answer
        second.actions.save_metadata({"outcome": "not_booked"})
        qtbot.waitUntil(lambda: not second.actions.ops.busy(), timeout=15000)
        assert asked == [True]
        with db.sessions() as session:
            stored = session.get(Call, call_id).outcome
        assert stored == ("info_only" if answer == RELOAD else "not_booked")
        first.close()
        second.close()
    finally:
        other.dispose()
