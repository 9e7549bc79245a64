"""The review screen holds still: a message, the next call or Play/Pause never moves the player, the divider
between transcript and scorecard, or the buttons beside Play (issue 20: layout jumps)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from resources import stylesheet
from review.accounts.local_admin import ensure_local_admin
from tests.app.review_support import reviewable_demo_call
from tests.app.test_review_workspace import key, open_window, settle, type_text


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def two_kinds(sqlite_db):
    """A booking and a check-up callback: different call kinds, so different sections of the form."""
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    first = reviewable_demo_call(sqlite_db, actor)
    second = reviewable_demo_call(sqlite_db, actor, "ru02_callback_checkup")
    return sqlite_db, actor, first, second


def places(window) -> dict[str, object]:
    QApplication.processEvents()
    return {"playback": window.playback.geometry(), "waveform": window.waveform.geometry(),
            "splitter": window.splitter.geometry(), "divider": window.splitter.sizes()}


def test_a_message_does_not_push_the_player_down(qtbot, two_kinds):
    db, actor, first, _second = two_kinds
    window = open_window(qtbot, db, actor, first)
    window.hide_banner()
    before = places(window)
    window.show_banner("Not submitted yet: " + "Questions that still need an answer: 15. " * 8, error=True)
    assert window.banner.isVisible() and places(window) == before
    window.show_banner("Evaluation submitted.")
    assert places(window) == before
    window.hide_banner()
    assert places(window) == before
    window.close()


def test_the_divider_stays_where_it_is_from_call_to_call(qtbot, two_kinds):
    db, actor, first, second = two_kinds
    window = open_window(qtbot, db, actor, first, queue=[first, second])
    before = places(window)
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.data.call.id == second and window.data.rubric_kind != "inbound_booking"
    assert places(window) == before
    window.tabs.setCurrentWidget(window.metadata.parentWidget())  # the details: the file's long path
    assert places(window) == before
    key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.data.call.id == first and places(window) == before
    window.close()


@pytest.mark.parametrize("language", ["english", "russian"])
def test_play_and_pause_take_the_same_width(qtbot, two_kinds, language, request):
    request.getfixturevalue(language)
    db, actor, first, _second = two_kinds
    window = open_window(qtbot, db, actor, first)
    # The application's style (a bold primary button) at a large font, as on a 1920×1080 screen with big text.
    window.setStyleSheet(stylesheet() + " QWidget { font-size: 14pt; }")
    bar = window.playback
    bar.show_playing(False)
    QApplication.processEvents()
    width, beside = window.play_button.width(), window.back_button.x()
    assert window.play_button.text() and not window.play_button.text().startswith("❚")
    bar.show_playing(True)
    QApplication.processEvents()
    assert window.play_button.text().startswith("❚")
    assert (window.play_button.width(), window.back_button.x()) == (width, beside)
    # Wide enough for either word: neither is cut.
    metrics = window.play_button.fontMetrics()
    assert metrics.horizontalAdvance(window.play_button.text()) < width
    window.close()


def test_a_call_loads_off_the_gui_thread_greyed_in_place_and_a_stale_answer_is_dropped(qtbot, two_kinds):
    db, actor, first, second = two_kinds
    window = open_window(qtbot, db, actor, first, queue=[first, second])
    before = places(window)
    shown: list[int] = []
    window.call_loaded.connect(shown.append)
    window.step_queue(1)  # Alt+→ ...
    assert window.loading() and window.data is None and not window.splitter.isEnabled()
    assert window.saved_label.text() == "Loading the call…" and places(window) == before
    window.step_queue(-1)  # ... and straight back, before the next call arrived
    qtbot.waitUntil(lambda: not window.loading(), timeout=15000)
    settle()
    assert shown == [first] and window.data.call.id == first  # the answer for the call left behind: dropped
    assert window.model.turns[0].text.startswith(window.data.turns[0].text[:10]) and window.splitter.isEnabled()
    assert places(window) == before
    window.close()


def test_the_screen_holds_plain_values_read_in_one_go(two_kinds):
    from dataclasses import FrozenInstanceError, fields

    from review.call_review.screen import ReviewCall, read_review
    from review.workspace import Workspace

    db, actor, first, _second = two_kinds
    read = read_review(Workspace(db, actor), first, "en")
    assert isinstance(read.call, ReviewCall) and read.plan is not None and read.evaluation_id is None
    assert read.rubric.id == "inbound_call" and read.segments and read.score.unanswered
    with pytest.raises(FrozenInstanceError):
        read.call.thanked = True
    from sqlalchemy.orm import DeclarativeBase

    def orm_inside(value) -> bool:
        if isinstance(value, DeclarativeBase):
            return True
        if isinstance(value, list | tuple):
            return any(orm_inside(v) for v in value)
        return False

    assert not any(orm_inside(getattr(read, f.name)) for f in fields(read))


def test_a_form_shown_before_is_used_again_emptied_and_filled_with_this_calls_answers(qtbot, two_kinds):
    db, actor, first, second = two_kinds
    window = open_window(qtbot, db, actor, first, queue=[first, second])
    form = window.form
    key(window, Qt.Key.Key_1)  # the greeting: yes
    key(window, Qt.Key.Key_Up)
    key(window, Qt.Key.Key_Return)
    type_text(form.card("greeting_clinic_and_name").comment, "Назвала клинику")
    built = list(form.cards)
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # another call kind: its own form
    assert form.cards != built and form.current == 0
    assert not any(button.isChecked() for card in form.cards for _, button in card.buttons)
    assert all(card.comment.text() == "" for card in form.cards)
    key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back: the first form again, not rebuilt
    assert form.cards == built and form.current == 0
    card = form.card("greeting_clinic_and_name")
    assert card.buttons[0][1].isChecked() and card.comment.text() == "Назвала клинику"
    assert [c.comment.text() for c in form.cards if c is not card] == [""] * (len(built) - 1)
    assert sum(c.property("current") is True for c in form.cards) == 1
    window.close()
