"""The review screen holds still: a message, the next call or Play/Pause never moves the player, the divider
between transcript and scorecard, or the buttons beside Play (issue 20: layout jumps)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from resources import stylesheet
from review.accounts.local_admin import ensure_local_admin
from tests.app.review_support import reviewable_demo_call
from tests.app.test_review_workspace import key, open_window


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
