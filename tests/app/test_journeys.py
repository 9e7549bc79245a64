"""Whole journeys of a clinic supervisor through the real main window: a real SQLite file, the real demo
recordings, the real speech model where a journey needs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.main_window import MainWindow
from review.models import AuditEntry, Call, Evaluation, Segment
from review.user_settings import UserSettings
from tests.conftest import DEMO_CALLS, write_tone_call

SHOTS = Path("/tmp/shots")


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _window(qtbot, url: str, settings: UserSettings | None = None, actor=None):
    from review.workspace import open_workspace

    db, local_admin = open_workspace(url)
    window = MainWindow(db, actor or local_admin, settings or UserSettings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, db, actor or local_admin


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"journey_{name}.png"))


def _key(widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QApplication.processEvents()  # as between a person's keystrokes
    QTest.keyClick(widget.focusWidget() or widget, key, modifier)


def _type(widget, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _load_demo(qtbot, window) -> None:
    with qtbot.waitSignal(window.library.model.modelReset, timeout=60_000):
        qtbot.mouseClick(window.empty_banner.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window._tasks, timeout=10_000)
    window.transcription.pause()  # the journeys below do not wait for twelve transcripts


def _filter(page, combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    assert combo.currentData() == data


# ------------------------------------------------------------------ 1. demo, filters, a keyboard review
def test_demo_workspace_filter_and_score_a_call_with_the_keyboard(qtbot, sqlite_db):
    window, db, _actor = _window(qtbot, str(sqlite_db.engine.url))
    assert window.library_stack.currentWidget() is window.empty_banner
    _load_demo(qtbot, window)
    library = window.library
    assert window.library_stack.currentWidget() is library
    assert library.model.rowCount() == 12 and "12" in library.count_label.text()
    _shot(window, "library_demo")

    anna = next(library.operator.itemData(i) for i in range(library.operator.count())
                if library.operator.itemText(i) == "Анна Смирнова")
    _filter(library, library.operator, anna)
    assert library.model.rowCount() == 3
    _filter(library, library.kind, "inbound_booking")
    assert library.model.rowCount() == 2  # ru01 and ru07
    ids = library.visible_call_ids()
    with db.sessions() as session:
        assert {session.get(Call, i).call_kind for i in ids} == {"inbound_booking"}
        assert {session.get(Call, i).operator_id for i in ids} == {anna}
    library.table.selectRow(0)
    assert library.details.open_button.isEnabled()
    qtbot.mouseClick(library.details.open_button, Qt.MouseButton.LeftButton)
    review = window.review_host.window
    assert review is not None and window.pages.currentWidget() is window.review_host
    assert review.data.call.id == ids[0]
    review.activateWindow()
    review.setFocus()
    _shot(window, "review_demo_call")

    form = review.form
    for number, card in enumerate(form.cards):
        question = card.question
        assert form.current == number, (question.id, review.banner.text())
        if question.type == "note":
            _key(review, Qt.Key.Key_1)
            _type(card.comment, "Записан")
            QTest.keyClick(card.comment, Qt.Key.Key_Return)
        else:
            best = {"yes_no": 1, "scale": len(question.levels), "choice": 1}[question.type]
            _key(review, getattr(Qt.Key, f"Key_{best}"))
    _key(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert review.data.submitted, review.banner.text()

    # The library is still the same twelve calls, the filters still hold, and the score is stored once.
    assert library.model.rowCount() == 2 and library.visible_call_ids() == ids
    library.reset_filters()
    assert library.model.rowCount() == 12
    with db.sessions() as session:
        evaluation = session.scalars(select(Evaluation)).one()
        assert evaluation.call_id == ids[0] and evaluation.status == "submitted"
        assert evaluation.score == pytest.approx(100.0)
        assert session.scalar(select(func.count(Call.id))) == 12

    # Reopening needs a reason.
    review.reopen_button.click()
    dialog = review.reopen_dialog
    assert not dialog.ok_button.isEnabled()
    _type(dialog.reason, "Пересмотр по просьбе оператора")
    dialog.ok_button.click()
    assert not review.data.submitted
    with db.sessions() as session:
        assert session.scalars(select(Evaluation)).one().status == "draft"
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one().note
    window.close()


# ------------------------------------------------------------------ 2. import, transcribe, search, open the moment
def _speech_clip(path: Path, seconds: float = 14.0) -> Path:
    """The first seconds of a demo call: the operator's greeting and the patient asking for a cardiologist."""
    import soundfile as sf

    data, rate = sf.read(DEMO_CALLS / "ru01_booking_cardiology.flac")
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, data[: int(seconds * rate)], rate)
    return path


@pytest.mark.model
def test_import_a_mixed_folder_transcribe_search_and_open_the_moment(qtbot, sqlite_db, tmp_path, whisper_folder):
    settings = UserSettings(model_folder=str(whisper_folder), beam_size=1, transcription_language="ru")
    window, db, _actor = _window(qtbot, str(sqlite_db.engine.url), settings)
    mixed = tmp_path / "mixed"
    clip = _speech_clip(mixed / "greeting.wav")
    (mixed / "copy").mkdir()
    (mixed / "copy" / "greeting-again.wav").write_bytes(clip.read_bytes())
    (mixed / "broken.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    (mixed / "empty.mp3").write_bytes(b"")
    (mixed / "readme.txt").write_text("not a recording")

    dialog = window.import_recordings()
    assert dialog.isVisible() and dialog.isModal()
    dialog.set_paths([str(mixed)])
    finished, failed = [], []
    window.transcription.call_finished.connect(finished.append)
    window.transcription.call_failed.connect(lambda call_id, reason: failed.append((call_id, reason)))
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report.imported == 1 and report.already_present == 1, report
    assert sorted(dialog.problems.topLevelItem(i).text(0) for i in range(dialog.problems.topLevelItemCount())) \
        == ["broken.wav", "empty.mp3"]
    assert all(dialog.problems.topLevelItem(i).text(1) for i in range(2))  # each problem says what is wrong
    assert dialog.cancel_button.text() == "Close"
    dialog.resize(640, 400)
    _shot(dialog, "import_problems")
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    assert window.library_stack.currentWidget() is window.library and window.library.model.rowCount() == 1
    call_id = report.call_ids[0]

    # The imported call is transcribed in the background without being asked.
    assert window.transcription.running
    qtbot.waitUntil(lambda: bool(finished or failed), timeout=120_000)
    assert finished == [call_id], failed
    qtbot.waitUntil(lambda: not window.transcription.running, timeout=15_000)
    assert window.library.model.data(window.library.model.index(0, 7)) == "Transcribed"
    assert window.library.details.export_button.isEnabled()

    # Search finds a spoken word; the hit opens the review screen at that moment.
    window.nav.setCurrentRow(2)
    search = window.search.page
    search.query.setText("записаться")
    search.run_search()
    with db.sessions() as session:
        heard = [s.text for s in session.scalars(select(Segment).where(Segment.call_id == call_id))]
    assert search.results.topLevelItemCount() >= 1, heard
    item = search.results.topLevelItem(0)
    hit_call, hit_at = item.data(0, Qt.ItemDataRole.UserRole)
    assert hit_call == call_id and 4.0 < hit_at < 12.0 and item.text(3) == "Customer"
    search.results.itemActivated.emit(item, 0)
    review = window.review_host.window
    assert window.pages.currentWidget() is window.review_host and review.data.call.id == call_id
    qtbot.waitUntil(lambda: getattr(review.player, "_pending_seek", None) is None, timeout=5000)
    assert review.player.position() == pytest.approx(hit_at, abs=0.05)
    assert review.model.current[0] >= 0  # the transcript lights the turn that was found
    assert "записаться" in review.model.turns[review.model.current[0]].text.lower()
    window.close()


def test_cancel_a_big_import_midway_keeps_what_was_imported(qtbot, sqlite_db, tmp_path):
    window, db, _actor = _window(qtbot, str(sqlite_db.engine.url))
    big = tmp_path / "big"
    for number in range(150):
        write_tone_call(big / f"call_{number:03}.wav", seconds=1.0 + number / 100)
    dialog = window.import_recordings()
    dialog.set_paths([str(big)])
    seen = []

    def cancel_after_a_few(done_count, total, _name):
        seen.append((done_count, total, dialog.progress.value(), dialog.progress.maximum()))
        if done_count == 5:
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        dialog.start_button.click()
        dialog._task.progressed.connect(cancel_after_a_few)
    window.transcription.pause()
    report = done.args[0]
    assert report.cancelled and 5 <= report.imported < 150, report
    assert seen[0][1] == 150 and dialog.progress.isVisible()
    assert dialog.status.text().startswith("Cancelled")
    with db.sessions() as session:
        assert session.scalar(select(func.count(Call.id))) == report.imported
    assert window.library.model.rowCount() == report.imported
    dialog.close()
    window.close()
