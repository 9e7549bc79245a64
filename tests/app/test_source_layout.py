"""From a call's row in the library: set the channel layout for every call from its import source."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.library_page import CallDetailsPane
from app.main_window import MainWindow
from app.source_layout_dialog import SourceLayoutDialog
from review.desktop.user_settings import SavedMapping, UserSettings
from review.library.importing import import_recordings
from review.library.source_layouts import source_choices
from review.models import Call
from review.transcripts.jobs import claim_next, complete
from review.workspace import Workspace
from tests.conftest import write_tone_call
from transcription.transcript import Segment, Transcript, Word


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def recorder(sqlite_db, tmp_path):
    """Two calls from a recorder's folder (a subfolder per day), one from elsewhere, all heard as stereo."""
    from review.workspace import open_workspace

    db, actor = open_workspace(str(sqlite_db.engine.url))
    source = tmp_path / "pbx"
    report = import_recordings(db, actor, [write_tone_call(source / "2026-11-17" / "a.wav", 2.0),
                                           write_tone_call(source / "2026-11-18" / "b.wav", 2.5),
                                           write_tone_call(tmp_path / "other" / "c.wav", 3.0)])
    segment = Segment("operator", 0.1, 0.5, "алло", -0.2, 0.01, [Word(0.1, 0.5, "алло", 0.9)])
    with db.sessions() as session:
        while (job := claim_next(session, "w1")) is not None:
            complete(session, job, Transcript("ru", 2.0, [segment], channel_layout="stereo"), model="test",
                     processing_s=1.0)
    return db, actor, source, report.call_ids


def _answer(act) -> list[str]:
    seen = []

    def attempt():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SourceLayoutDialog):
            seen.append(dialog.windowTitle())
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)
    return seen


def test_the_dialog_offers_the_calls_folders_and_counts_their_calls(qtbot, recorder):
    db, actor, source, (a, _b, _c) = recorder
    with db.sessions() as session:  # what the window reads off the GUI thread before it shows the dialog
        choices = source_choices(session, actor, a)
    dialog = SourceLayoutDialog(choices, remembered=[str(source)])
    qtbot.addWidget(dialog)
    folders = [dialog.folder.itemData(i) for i in range(dialog.folder.count())]
    assert folders[:2] == [str(source / "2026-11-17"), str(source)]
    assert dialog.folder.currentData() == str(source)  # the folder imported with a mapping
    assert dialog.summary.text() == "2 call(s) in the library come from pbx; now: detected for each call."
    dialog.folder.setCurrentIndex(0)
    assert dialog.summary.text().startswith("1 call(s) in the library come from 2026-11-17")
    assert dialog.layout_choice.currentData() is None
    assert [dialog.layout_choice.itemText(i) for i in range(dialog.layout_choice.count())] == [
        "Detect for each call", "One party per channel", "Same audio on both channels", "One channel silent", "Mono"]


def test_the_row_menu_sets_the_layout_for_the_source_and_the_details_say_so(qtbot, recorder):
    db, actor, source, (a, b, c) = recorder
    settings = UserSettings()
    settings.remember_mapping(source, SavedMapping(preset="asterisk"))
    window = MainWindow(Workspace(db, actor, settings))
    qtbot.addWidget(window)
    window.refresh_library()
    menu = window.library.call_menu(b)
    texts = [action.text() for action in menu.actions()]
    assert texts == ["Open for review", "Transcribe again", "Set layout for all calls from this source…", "",
                     "Start calibration on 1 call…"]
    assert all(action.isEnabled() for action in menu.actions())

    def choose_dual_mono(dialog):
        dialog.layout_choice.setCurrentIndex(dialog.layout_choice.findData("dual_mono"))
        dialog.accept()

    seen = _answer(choose_dual_mono)
    window.transcription.start = lambda: None  # the queue is looked at below, not worked
    menu.actions()[2].trigger()  # the dialog shows once the call's folders are read
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=10000)
    assert seen == ["Channel layout for an import source"]
    assert window.statusBar().currentMessage() == (
        f"Channel layout set for 2 call(s) from {source}; 2 to be transcribed again.")
    with db.sessions() as session:
        heard = {call.id: (call.channel_layout, call.channel_layout_forced, call.transcription_status)
                 for call in session.query(Call)}
    assert heard == {a: ("dual_mono", True, "pending"), b: ("dual_mono", True, "pending"),
                     c: ("stereo", False, "done")}
    pane = CallDetailsPane(Workspace(db, actor))
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.shown):
        pane.show_call(a)
    assert pane.fields["layout"].text() == "Same audio on both channels (set for the calls from pbx)"
