"""The review screen's talk tab and waveform: a call transcribed before analytics is measured on opening, its
stretches drawn and listed, a click on one plays it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.review_workspace.review_window import ReviewWindow
from review.accounts.local_admin import ensure_local_admin
from review.analytics.stored import set_analytics_thresholds
from review.models import CallAnalytics
from review.workspace import Workspace
from tests.app.review_support import reviewable_demo_call
from transcription.conversation import Thresholds


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def test_a_call_is_measured_on_opening_and_its_stretches_jump(qtbot, sqlite_db):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        set_analytics_thresholds(session, actor, Thresholds(hold_min_s=5.0, overtalk_min_s=0.5))
    call_id = reviewable_demo_call(sqlite_db, actor, "ru02_callback_checkup")
    window = ReviewWindow(Workspace(sqlite_db, actor), call_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.talk.values["operator"].text() == "—"  # not measured when it was transcribed
    qtbot.waitUntil(lambda: window.data is not None and window.data.analytics is not None, timeout=15000)
    with sqlite_db.sessions() as session:
        assert session.get(CallAnalytics, call_id) is not None  # stored for the library too
    [hold] = [s for s in window.waveform.stretches if s.kind == "hold"]
    assert hold.music and hold.start == pytest.approx(30.9, abs=0.2)
    texts = [window.talk.stretches.item(i).text() for i in range(window.talk.stretches.count())]
    assert any(t.startswith("Hold with music 0:31–0:39 · 8.1 s") for t in texts), texts
    assert "%" in window.talk.values["operator"].text()
    row = next(i for i, t in enumerate(texts) if t.startswith("Hold"))
    window.talk.stretches.itemClicked.emit(window.talk.stretches.item(row))
    assert window.player.position() == pytest.approx(hold.start, abs=0.05)
    window.tabs.setCurrentWidget(window.talk)
    window.grab()  # paints the stretches


def test_talk_seconds_are_written_with_the_languages_decimal_sign(qtbot, russian):
    from app.review_workspace.talk_panel import _seconds

    assert _seconds(0.6).startswith("0,6") and _seconds(12.0).startswith("12 ")


def test_the_talk_tab_keeps_its_words_off_the_tabs_edge_as_the_details_tab_does(qtbot, russian):
    """"Первое слово оператора:", the longest label, began on the tab's very edge."""
    from app.review_workspace.metadata_panel import MetadataPanel
    from app.review_workspace.talk_panel import TalkPanel

    talk, details = TalkPanel(), MetadataPanel()
    for panel in (talk, details):
        qtbot.addWidget(panel)
        panel.resize(700, 500)
        panel.show()
        qtbot.waitExposed(panel)
    left = min(talk.form.itemAt(row, talk.form.ItemRole.LabelRole).widget().x() for row in range(talk.form.rowCount()))
    assert left == details.form.itemAt(0, details.form.ItemRole.LabelRole).widget().x() > 0


def test_a_calls_date_and_time_field_looks_like_the_fields_around_it(qtbot):
    """The details' date and time (a QDateTimeEdit, which the style sheet's QDateEdit rules miss) was a flat,
    shorter box among the rounded fields."""
    from app.review_workspace.metadata_panel import MetadataPanel
    from tests.app.app_look import app_wide_look

    with app_wide_look():
        panel = MetadataPanel()
        qtbot.addWidget(panel)
        panel.resize(700, 500)
        panel.show()
        qtbot.waitExposed(panel)
        assert panel.started.height() >= panel.direction.height()  # was 20 px among 30 px fields


def test_a_calls_date_and_time_field_writes_the_date_as_the_interface_does(qtbot, english):
    """The English details showed "26.10.2026 09:14" beside "26 Oct 2026" everywhere else."""
    from PySide6.QtCore import QDateTime

    from app.review_workspace.metadata_panel import MetadataPanel

    panel = MetadataPanel()
    qtbot.addWidget(panel)
    panel.started.setDateTime(QDateTime.fromString("2026-10-26T09:14:00", "yyyy-MM-ddTHH:mm:ss"))
    assert panel.started.text() == "26 Oct 2026 09:14"
