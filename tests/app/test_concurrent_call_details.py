"""Two desktops edit the same call's details: the second save is told and chooses reload or keep mine."""

import pytest

from app.conflict_dialog import KEEP_MINE, RELOAD
from app.review_workspace import ReviewWindow
from review.storage.db import open_database
from review.models import Call
from tests.app.review_support import reviewable_demo_call


@pytest.mark.parametrize("answer", [RELOAD, KEEP_MINE])
def test_call_details_conflict(qtbot, db, db_url, admin, answer):
    call_id = reviewable_demo_call(db, admin)
    other = open_database(db_url)
    try:
        first = ReviewWindow(db, admin, call_id)
        second = ReviewWindow(other, admin, call_id)
        for window in (first, second):
            qtbot.addWidget(window)
        first.actions.save_metadata({"outcome": "info_only"})
        asked = []
        second.actions.ask_conflict = lambda: asked.append(True) or answer
        second.actions.save_metadata({"outcome": "not_booked"})
        assert asked == [True]
        with db.sessions() as session:
            stored = session.get(Call, call_id).outcome
        assert stored == ("info_only" if answer == RELOAD else "not_booked")
        first.close()
        second.close()
    finally:
        other.dispose()
