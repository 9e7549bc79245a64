"""The call's details list the other calls with the same patient; one opens from there, phone masked."""

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.review_workspace import ReviewWindow
from review.accounts.local_admin import ensure_local_admin
from review.library.importing import import_recordings
from review.models import Call
from review.scoring.rubric_store import install_builtin_rubrics
from review.workspace import Workspace
from tests.conftest import write_tone_call


@pytest.fixture
def three_calls(sqlite_db, tmp_path):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
    folder = tmp_path / "rec"
    for index in range(3):
        write_tone_call(folder / f"{index}.wav", seconds=1.0 + index / 10)
    (folder / "metadata.csv").write_text(
        "file,operator,started_at,phone\n"
        "0.wav,Анна,2025-03-12 10:00,+7 (916) 123-45-67\n"
        "1.wav,Игорь,2025-03-11 09:00,89161234567\n"
        "2.wav,Анна,2025-03-13 11:00,79990000000\n", encoding="utf-8")
    import_recordings(sqlite_db, actor, [folder])
    with sqlite_db.sessions() as session:
        ids = {c.path.rsplit("/", 1)[1]: c.id for c in session.scalars(select(Call))}
    return sqlite_db, actor, ids


@pytest.mark.parametrize("masked", [True, False])
def test_the_thread_shows_and_opens_the_patient_s_other_call(qtbot, three_calls, masked):
    db, actor, ids = three_calls
    window = ReviewWindow(Workspace(db, actor), ids["0.wav"], mask_personal_data=masked)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.data is not None, timeout=15000)  # the call is read off the GUI thread
    panel = window.thread
    assert not panel.isHidden() and panel.calls.topLevelItemCount() == 2
    shown = "+• (•••) •••-••-67" if masked else "+7 (916) 123-45-67"
    assert shown in panel.title.text() and ("123-45" in panel.title.text()) is not masked
    earlier, current = panel.calls.topLevelItem(0), panel.calls.topLevelItem(1)
    assert (earlier.text(0), earlier.text(3)) == ("11 Mar 2025 09:00", "Игорь")
    assert current.font(0).bold() and current.data(0, Qt.ItemDataRole.UserRole) == ids["0.wav"]
    with qtbot.waitSignal(window.call_loaded, timeout=10000) as loaded:
        panel.calls.itemActivated.emit(earlier, 0)
    assert loaded.args == [ids["1.wav"]] and window.data.call.id == ids["1.wav"]
    assert panel.calls.topLevelItem(0).font(0).bold()  # now the earlier call is the one reviewed


def test_a_call_with_its_own_number_says_so(qtbot, three_calls, russian):
    db, actor, ids = three_calls
    window = ReviewWindow(Workspace(db, actor), ids["2.wav"], mask_personal_data=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.data is not None, timeout=15000)  # the call is read off the GUI thread
    assert window.thread.calls.isHidden() and not window.thread.empty.isHidden()
    assert window.thread.empty.text() == "Других звонков с этим номером нет."
