"""The review screen driven like a supervisor drives it: keys first, a real demo call, a real SQLite database."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.operations import pending_operations
from app.review_workspace import ReviewWindow
from app.review_workspace.player import Player
from app.review_workspace.transcript_model import TranscriptModel, TranscriptTimeline, turns_from_segments
from app.review_workspace.waveform_data import cache_path, cached_envelope, quiet_spans
from review.accounts.local_admin import ensure_local_admin
from review.desktop.user_settings import load_settings
from review.errors import AccessDenied, ValidationError
from review.library.call_edits import update_call_metadata
from review.models import AuditEntry, Call, Comment, Evaluation, Operator, User
from review.scoring.evaluations import score_of
from review.workspace import Workspace
from rubrics import Answer, ScoreContext, score
from tests.app.review_support import reviewable_demo_call
from transcription.audio import envelope


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def demo(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(sqlite_db, actor)
    return sqlite_db, actor, call_id


def settle(timeout_s: float = 15.0) -> None:
    """Let the screen's core calls, run off the GUI thread, come back (as by a person's next look at it)."""
    deadline = time.monotonic() + timeout_s
    while pending_operations() and time.monotonic() < deadline:
        QTest.qWait(5)
    assert not pending_operations(), "the screen's core calls did not come back"


def open_window(qtbot, db, actor, call_id, queue=None, **options) -> ReviewWindow:
    # as the desktop does: the workspace carries the user's settings as saved
    window = ReviewWindow(Workspace(db, actor, load_settings()), call_id, queue, **options)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.data is not None, timeout=15000)  # read off the GUI thread
    settle()
    window.setFocus()
    window.form.focus_current()
    return window


def key(window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QApplication.processEvents()  # as between a person's keystrokes: queued focus changes happen first
    QTest.keyClick(window.focusWidget() or window, key, modifier)
    settle()


def type_text(widget, text: str) -> None:
    """Type like a keyboard with a Russian layout does (QTest.keyClicks knows only ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def click_word(qtbot, window, row: int, word: int) -> None:
    view = window.transcript
    view.scrollTo(window.model.index(row))
    rect = view.word_rect(row, word)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


# ------------------------------------------------------------------ plain pieces, then the same through Qt
class _Seg:
    def __init__(self, speaker, start_s, end_s, text, words=None):
        self.speaker, self.start_s, self.end_s, self.text, self.words = speaker, start_s, end_s, text, words or []


def test_turns_merge_one_speakers_close_segments_and_locate_words():
    segments = [
        _Seg("operator", 0.5, 2.0, "Добрый день", [{"start": 0.5, "end": 1.0, "word": " Добрый", "probability": 0.9},
                                                  {"start": 1.1, "end": 2.0, "word": " день", "probability": 0.3}]),
        _Seg("operator", 2.4, 3.0, "клиника"),  # no word times: spread over the segment
        _Seg("customer", 3.5, 5.0, "Здравствуйте"),
    ]
    turns = turns_from_segments(segments)
    assert [t.speaker for t in turns] == ["operator", "customer"]
    assert turns[0].text == "Добрый день клиника"
    assert turns[0].words[1].unsure and not turns[0].words[0].unsure
    timeline = TranscriptTimeline(turns)
    assert timeline.locate(0.2) == (-1, -1)
    assert timeline.locate(1.5) == (0, 1)
    assert timeline.locate(2.5) == (0, 2)
    assert timeline.locate(3.2) == (0, -1)  # between turns: the turn stays, no word lit
    assert timeline.locate(4.0) == (1, 0)


def test_model_repaints_only_rows_whose_highlight_changed(qtbot):
    model = TranscriptModel()
    model.set_turns(turns_from_segments([_Seg("operator", 0, 1, "a b"), _Seg("customer", 2, 3, "c d")]))
    changed = []
    model.rows_restyled.connect(changed.extend)
    model.set_position(0.1)
    model.set_position(0.2)  # same word: nothing to repaint
    model.set_position(2.6)
    assert model.current == (1, 1)
    assert sorted(changed) == [0, 0, 1]


def test_envelope_is_cached_by_hash_and_quiet_stretches_found(tmp_path):
    rate = 8000
    t = np.arange(rate * 20) / rate
    speech = (0.4 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    speech[rate * 5: rate * 17] = 0  # 12 s of silence on both channels: a hold
    import soundfile as sf

    path = tmp_path / "hold.wav"
    sf.write(path, np.stack([speech, speech * 0.5], axis=1), rate)
    first = cached_envelope(path, "ab" * 32)
    assert cache_path("ab" * 32).exists()
    path.unlink()  # the second opening never reads the recording
    second = cached_envelope(path, "ab" * 32)
    assert np.array_equal(first.maxs, second.maxs)
    spans = quiet_spans(second)
    assert len(spans) == 1 and spans[0].is_hold
    assert spans[0].start_s == pytest.approx(5.0, abs=0.05) and spans[0].end_s == pytest.approx(17.0, abs=0.05)
    assert not quiet_spans(envelope(speech[: rate * 4], 50, rate))


def test_the_envelope_cache_keeps_the_most_recently_opened_within_its_limit(tmp_path, monkeypatch):
    import os

    import soundfile as sf

    from app.review_workspace import waveform_data

    paths = []
    for i in range(4):
        paths.append(tmp_path / f"{i}.wav")
        sf.write(paths[-1], np.full((8000 * 5, 2), 0.1 * (i + 1), np.float32), 8000)  # same size
    keys = [f"{i:064x}" for i in range(4)]
    for i, (path, key) in enumerate(zip(paths[:3], keys, strict=False)):
        cached_envelope(path, key)
        os.utime(cache_path(key), (1_000_000 + i, 1_000_000 + i))  # opened in order, a while ago
    cached_envelope(paths[0], keys[0])  # opened again: now the most recent
    # Room for the newest entry and one more: the least recently opened go first.
    monkeypatch.setattr(waveform_data, "CACHE_LIMIT_BYTES", 2 * cache_path(keys[0]).stat().st_size + 100)
    cached_envelope(paths[3], keys[3])
    assert [cache_path(k).exists() for k in keys] == [True, False, False, True]


def test_player_without_a_recording_keeps_time_silently(qtbot, tmp_path):
    player = Player()
    player.load(tmp_path / "gone.flac", 30.0)
    assert "missing" in player.status_text
    player.play()
    qtbot.waitUntil(lambda: player.position() > 0.2, timeout=10_000)
    player.pause()
    paused_at = player.position()
    qtbot.wait(100)
    assert player.position() == paused_at  # a paused silent clock stands still
    player.seek(12.0)
    assert player.position() == pytest.approx(12.0)
    player.step_rate(+1)
    assert player.rate == 1.25


# ------------------------------------------------------------------ the screen, driven by keys
def test_review_a_call_with_the_keyboard(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    assert window.data.rubric.id == "inbound_call"
    # Play and pause with Space; the playhead moves.
    key(window, Qt.Key.Key_Space)
    assert window.player.is_playing()
    qtbot.waitUntil(lambda: window.player.position() > 0.1, timeout=10_000)
    key(window, Qt.Key.Key_K)
    assert not window.player.is_playing() and window.player.position() > 0.1
    # Click a word: playback jumps to it and the word is lit.
    turn = window.model.turns[2]
    click_word(qtbot, window, 2, 1)
    assert window.player.position() == pytest.approx(turn.words[1].start, abs=0.01)
    assert window.model.current == (2, 1)
    key(window, Qt.Key.Key_L)
    assert window.player.position() == pytest.approx(turn.words[1].start + 5, abs=0.05)
    key(window, Qt.Key.Key_J)
    assert window.player.position() == pytest.approx(turn.words[1].start, abs=0.05)
    key(window, Qt.Key.Key_BracketRight)
    key(window, Qt.Key.Key_BracketRight)
    assert window.player.rate == 1.5
    key(window, Qt.Key.Key_BracketLeft)
    assert window.player.rate == 1.25

    # Answer every question of the built-in rubric from the keyboard.
    form = window.form
    key(window, Qt.Key.Key_Down)
    key(window, Qt.Key.Key_Up)
    assert form.current == 0
    intended: dict[str, Answer] = {}
    comments: dict[str, str] = {}
    for number, card in enumerate(form.cards):
        question = card.question
        assert form.current == number, (question.id, window.banner.text(), QApplication.focusWidget())
        if question.type == "note":
            QApplication.processEvents()
            assert card.comment.hasFocus()  # a note takes text: the cursor is already in its field
            type_text(card.comment, "Записан к кардиологу")
            QTest.keyClick(card.comment, Qt.Key.Key_Return)
            settle()
            intended[question.id] = Answer("Записан к кардиологу")
        elif question.id == "needs_situation":
            key(window, Qt.Key.Key_2)  # "formally, one question": below half marks, a comment is required
            assert not card.comment.hasFocus() and form.current == number  # stays; keys still answer
            key(window, Qt.Key.Key_Return)
            type_text(card.comment, "Спросила только про давление")
            QTest.keyClick(card.comment, Qt.Key.Key_Return)  # complete now: moves on
            settle()
            intended[question.id] = Answer(1)
            comments[question.id] = "Спросила только про давление"
        elif question.id == "needs_for_whom":
            key(window, Qt.Key.Key_N)
            intended[question.id] = Answer.not_applicable()
        else:
            best = {"yes_no": 1, "scale": len(question.levels), "choice": 1}[question.type]
            key(window, getattr(Qt.Key, f"Key_{best}"))
            value = {"yes_no": True, "scale": question.levels[-1].value if question.levels else None,
                     "choice": question.options[0].key if question.options else None}[question.type]
            intended[question.id] = Answer(value)
    applying = [q.id for s in window.data.rubric.sections_for("inbound_booking") for q in s.questions]
    assert list(intended) == applying

    # A comment at a moment: seek to 20 s, C, type, Enter; it shows on the waveform and in the transcript.
    window.player.seek(20.0)
    form.set_current(2)
    key(window, Qt.Key.Key_C)
    type_text(window.comment_entry.text, "Хороший уточняющий вопрос")
    QTest.keyClick(window.comment_entry.text, Qt.Key.Key_Return)
    settle()
    assert not window.comment_entry.isVisible()
    assert len(window.waveform._markers) == 1 and sum(window.model.comment_counts.values()) == 1

    key(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.data.submitted, window.banner.text()
    expected = score(window.data.rubric, intended, ScoreContext(call_kind="inbound_booking"), comments)
    assert expected.overall == pytest.approx(90.0)  # "needs" earns 2 of 4 points × weight 20: 10 points off
    with db.sessions() as session:
        evaluation = session.scalars(select(Evaluation).where(Evaluation.call_id == call_id)).one()
        assert evaluation.status == "submitted" and evaluation.kind == "supervisor"
        assert evaluation.score == pytest.approx(expected.overall)
        assert evaluation.critical_score == 100.0 and not evaluation.fatal
        stored = {a.question_id: a for a in evaluation.answers}
        assert stored["needs_situation"].comment == "Спросила только про давление"
        assert stored["needs_for_whom"].na and stored["call_outcome"].value == {"v": "Записан к кардиологу"}
        assert score_of(session, evaluation).overall == pytest.approx(90.0)
        comment = session.scalars(select(Comment).where(Comment.call_id == call_id)).one()
        assert comment.at_s == pytest.approx(20.0) and comment.question_id == form.cards[2].question.id
        assert comment.evaluation_id == evaluation.id
    assert form.header.score.text() in ("90 %",)
    # The calculation is folded away (the questions need the room) and one click from view.
    header = form.header
    assert header.explanation.isHidden() and "= 90 %" in header.score.toolTip()
    header.explain_button.click()
    assert not header.explanation.isHidden() and header.explanation.text() == header.score.toolTip()
    assert all(not b.isEnabled() for _, b in form.cards[0].buttons)  # submitted: read-only

    # Reopening asks for a reason; OK stays disabled until one is written.
    window.reopen_button.click()
    dialog = window.actions.reopen_dialog
    assert dialog.isVisible() and not dialog.ok_button.isEnabled()
    type_text(dialog.reason, "   ")
    assert not dialog.ok_button.isEnabled()
    type_text(dialog.reason, "Оператор оспорил вопрос 3")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    settle()
    assert not window.data.submitted and window.submit_button.isVisible()
    with db.sessions() as session:
        assert session.scalars(select(Evaluation)).one().status == "draft"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
        assert entry.note == "Оператор оспорил вопрос 3"
    window.close()


def test_submit_refused_while_questions_are_open(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    key(window, Qt.Key.Key_1)
    key(window, Qt.Key.Key_2)  # "No" to the second greeting question
    key(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not window.data.submitted
    assert window.banner.isVisible() and "15" in window.banner.text()
    assert window.form.current_question.id == "needs_situation"  # jumped to the first open question
    with db.sessions() as session:
        assert session.scalars(select(Evaluation)).one().status == "draft"
    window.close()


def test_comment_on_selected_words_and_jump_back(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    click_word(qtbot, window, 1, 2)
    view = window.transcript
    rect = view.word_rect(1, 5)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     rect.center().toPoint())
    turn = window.model.turns[1]
    key(window, Qt.Key.Key_C)
    assert window.comment_entry.isVisible()
    type_text(window.comment_entry.text, "Пациент описал жалобу")
    QTest.keyClick(window.comment_entry.text, Qt.Key.Key_Return)
    settle()
    with db.sessions() as session:
        comment = session.scalars(select(Comment)).one()
    assert comment.at_s == pytest.approx(turn.words[2].start) and comment.end_s == pytest.approx(turn.words[5].end)
    window.player.seek(45.0)
    window.tabs.setCurrentWidget(window.comments)
    item = window.comments.list.item(0)
    qtbot.mouseClick(window.comments.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.comments.list.visualItemRect(item).center())
    assert window.player.position() == pytest.approx(turn.words[2].start, abs=0.01)
    window.close()


def test_follow_the_playhead_pauses_when_the_reviewer_scrolls(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    window.resize(1366, 500)
    view = window.transcript
    assert view.following
    view.verticalScrollBar().triggerAction(view.verticalScrollBar().SliderAction.SliderToMaximum)
    assert not view.following and view.resume_button.isVisible()
    view.resume_button.click()
    assert view.following
    window.close()


def test_self_review_by_the_operator(qtbot, demo):
    db, admin, call_id = demo
    with db.unit_of_work() as session:
        call = session.get(Call, call_id)
        operator_user = User(username="anna", display_name="Анна Смирнова", role="operator",
                             operator_id=call.operator_id)
        session.add(operator_user)
    window = open_window(qtbot, db, operator_user, call_id)
    assert window.data.evaluation_kind == "self"
    assert window.banner.isVisible() and "Self-review" in window.banner.text()
    assert not window.metadata.save_button.isEnabled()
    key(window, Qt.Key.Key_1)
    with db.sessions() as session:
        evaluation = session.scalars(select(Evaluation)).one()
        assert evaluation.kind == "self" and evaluation.reviewer_id == operator_user.id
        assert len(evaluation.answers) == 1
    window.close()


def test_queue_next_and_previous_without_the_list(qtbot, demo):
    db, actor, first = demo
    second = reviewable_demo_call(db, actor, "ru06_poor_booking")
    window = open_window(qtbot, db, actor, first, queue=[first, second])
    assert window.queue_label.text() == "1 of 2" and not window.prev_button.isEnabled()
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.data.call.id == second and window.model.turns[0].text.startswith("Алло")
    key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.data.call.id == first
    window.close()


def test_call_details_corrected_with_an_audit_record(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    panel = window.metadata
    # The recording's file name, not its whole folder path (that is in the tooltip); counts without "(s)".
    path = window.data.call.path
    assert panel.facts.toolTip() == path and Path(path).name in panel.facts.text()
    assert str(Path(path).parent) not in panel.facts.text() and "(s)" not in panel.facts.text()
    panel.outcome.setCurrentIndex(panel.outcome.findData("not_booked"))
    panel.operator.setCurrentText("Игорь Петров")
    panel.tags.setText("кардиология, спорный")
    panel.save_button.click()
    qtbot.waitUntil(lambda: window.data is not None and window.data.operator_name == "Игорь Петров")
    with db.sessions() as session:
        call = session.get(Call, call_id)
        assert call.outcome == "not_booked" and call.tags == ["кардиология", "спорный"]
        assert session.get(Operator, call.operator_id).name == "Игорь Петров"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit_metadata")).one()
        assert entry.old["outcome"] == "booked" and entry.new["operator"] == "Игорь Петров"
        assert set(entry.new) == {"operator", "outcome", "tags"}
    window.close()


def test_metadata_service_checks_access_and_values(demo):
    db, _admin, call_id = demo
    with db.unit_of_work() as session:
        manager = User(username="boss", display_name="Boss", role="manager")
        session.add(manager)
        session.flush()
        with pytest.raises(AccessDenied):
            update_call_metadata(session, manager, call_id, outcome="booked")
        admin = ensure_local_admin(session)
        with pytest.raises(ValidationError, match="Direction 'sideways'"):
            update_call_metadata(session, admin, call_id, direction="sideways")
        with pytest.raises(ValidationError, match="cannot be edited"):
            update_call_metadata(session, admin, call_id, sha256="0" * 64)


def test_shortcut_sheet_and_remembered_splitter(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    key(window, Qt.Key.Key_Question)
    assert window.shortcut_sheet.isVisible()
    window.shortcut_sheet.accept()
    window.splitter.setSizes([500, 800])
    sizes = window.splitter.sizes()
    window.close()
    again = open_window(qtbot, db, actor, call_id)
    assert again.splitter.sizes() == sizes
    again.close()


def test_waveform_click_seeks_and_audio_state_is_told(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    qtbot.waitUntil(lambda: window.waveform._envelope is not None, timeout=5000)
    wave = window.waveform
    qtbot.mouseClick(wave, Qt.MouseButton.LeftButton, pos=QPoint(wave.width() // 2, wave.height() // 2))
    assert window.player.position() == pytest.approx(window.data.call.duration_s / 2, abs=0.2)
    if not window.player.has_sound:  # this machine has no audio output: the screen must say so
        assert window.audio_status.isVisible() and window.audio_status.text()
    window.close()
