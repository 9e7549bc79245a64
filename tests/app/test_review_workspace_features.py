"""The review screen's privacy and workflow features on real demo calls and a real SQLite database: personal data
masked on screen, audio excerpts (muted) saved off the GUI thread, the "patient thanked" mark, and My queue."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from sqlalchemy import select

from app.review_workspace import ReviewWindow
from app.review_workspace.transcript_model import mask_personal_data, turns_from_segments
from review.accounts.local_admin import ensure_local_admin
from review.desktop.user_settings import UserSettings, save_settings
from review.models import AuditEntry, Call, Evaluation, ReviewSession, Segment, SessionCall, User
from review.scoring.rubric_store import latest_published
from review.workspace import Workspace
from tests.app.review_support import reviewable_demo_call
from tests.app.test_review_workspace import click_word, key, open_window, settle
from tests.review.session_fixtures import score_fully
from transcription.audio import decode

PHONE_TURN = ("Здравствуйте, запишите мой телефон восемь девятьсот шестнадцать сто двадцать три сорок пять "
              "шестьдесят семь, пожалуйста, к кардиологу.")
PHONE_WORDS = "восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь,".split()


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _spread(text: str, start: float, end: float) -> list[dict]:
    tokens = text.split()
    step = (end - start) / len(tokens)
    return [{"start": round(start + i * step, 3), "end": round(start + (i + 0.9) * step, 3), "word": f" {token}",
             "probability": 0.9} for i, token in enumerate(tokens)]


@pytest.fixture
def demo(sqlite_db):
    """ru01 with the customer's first turn (6.82–13.66 s) rewritten to dictate a phone number."""
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(sqlite_db, actor)
    with sqlite_db.unit_of_work() as session:
        segment = session.scalars(select(Segment).where(Segment.call_id == call_id, Segment.position == 1)).one()
        segment.text, segment.words = PHONE_TURN, _spread(PHONE_TURN, 6.82, 13.66)
    return sqlite_db, actor, call_id


def _shown(qtbot, window: ReviewWindow) -> ReviewWindow:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.data is not None, timeout=15000)  # read off the GUI thread
    settle()
    return window


def _phone_times() -> tuple[float, float]:
    words = _spread(PHONE_TURN, 6.82, 13.66)
    spoken = [w for w in words if w["word"].strip() in PHONE_WORDS]
    return spoken[0]["start"], spoken[-1]["end"]


# ------------------------------------------------------------------ masking: the plain function, then the screen
def test_masking_replaces_the_words_of_a_stretch_by_one_labelled_word():
    segments = [SimpleNamespace(speaker="customer", start_s=0.0, end_s=6.0, text=PHONE_TURN,
                                words=_spread(PHONE_TURN, 0.0, 6.0))]
    turns = turns_from_segments(segments)
    stretch = SimpleNamespace(kind="phone", speaker="customer", start_s=turns[0].words[4].start,
                              end_s=turns[0].words[13].end)
    masked = mask_personal_data(turns, [stretch], {"phone": "▮▮▮ phone"})[0]
    assert [w.text for w in masked.words][3:6] == ["телефон", "▮▮▮ phone", "пожалуйста,"]
    chip = masked.words[4]
    assert chip.masked == "phone" and (chip.start, chip.end) == (stretch.start_s, stretch.end_s)
    other_speaker = SimpleNamespace(kind="phone", speaker="operator", start_s=0.0, end_s=6.0)
    assert mask_personal_data(turns, [other_speaker], {}) == turns


def test_setting_on_masks_the_number_on_screen_and_marks_the_waveform(qtbot, demo):
    db, actor, call_id = demo
    save_settings(UserSettings(mask_personal_data=True))
    window = open_window(qtbot, db, actor, call_id)  # reads the user's setting
    assert window.mask_personal_data
    turn = window.model.turns[1]
    assert "восемь" not in turn.text and "шестнадцать" not in turn.text
    chips = [w for w in turn.words if w.masked]
    assert [c.masked for c in chips] == ["phone"] and chips[0].text == "▮▮▮ phone"
    start, end = _phone_times()
    assert chips[0].start == pytest.approx(start) and chips[0].end == pytest.approx(end)
    assert [(s, e) for s, e, _ in window.waveform.personal_data] == [(pytest.approx(start), pytest.approx(end))]
    # The chip is a word like the others: clicking it plays from where the number was said.
    click_word(qtbot, window, 1, turn.words.index(chips[0]))
    assert window.player.position() == pytest.approx(start, abs=0.01)
    window.close()

    unmasked = _shown(qtbot, ReviewWindow(Workspace(db, actor), call_id, mask_personal_data=False))
    assert "восемь девятьсот шестнадцать" in unmasked.model.turns[1].text
    assert unmasked.waveform.personal_data == []
    unmasked.close()


# ------------------------------------------------------------------ excerpts
def test_export_the_selected_words_with_the_number_muted(qtbot, demo, tmp_path):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    window.mask_personal_data = False
    click_word(qtbot, window, 1, 0)
    last = len(window.model.turns[1].words) - 1
    qtbot.mouseClick(window.transcript.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     window.transcript.word_rect(1, last).center().toPoint())
    key(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.actions.excerpt_dialog
    assert dialog.isVisible() and dialog.mute.isChecked()
    turn = window.model.turns[1]
    assert dialog.start_s == pytest.approx(turn.words[0].start, abs=0.001)
    assert dialog.end_s == pytest.approx(turn.words[-1].end, abs=0.001)
    dialog.path.setText(str(tmp_path / "excerpt.wav"))
    dialog.format.setCurrentIndex(dialog.format.findData(".flac"))
    assert dialog.file_path().endswith("excerpt.flac")
    dialog.ok_button.click()
    settle()
    task = window.actions.excerpt_task
    qtbot.waitUntil(lambda: not task.is_running() and window.excerpt_button.isEnabled(), timeout=10000)
    assert "excerpt.flac" in window.banner.text() and "phone" in window.banner.text(), window.banner.text()

    audio = decode(tmp_path / "excerpt.flac", 8000)
    first = dialog.start_s
    assert audio.shape[1] == pytest.approx((dialog.end_s - first) * 8000, abs=2)
    start, end = _phone_times()
    muted = audio[:, int((start - first) * 8000):int((end - first) * 8000)]
    heard = audio[:, int(0.2 * 8000):int((start - first - 0.2) * 8000)]
    assert np.max(np.abs(muted)) == 0.0
    assert np.sqrt(np.mean(np.square(heard))) > 0.005
    with db.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export_excerpt")).one()
        assert entry.new["muted"] == ["phone"] and entry.user_id == actor.id
    window.close()


def test_excerpt_defaults_to_the_chosen_comment_and_can_leave_the_audio_as_is(qtbot, demo, tmp_path):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    window.player.seek(20.0)
    key(window, Qt.Key.Key_C)
    window.comment_entry.text.setText("Удачная фраза")
    window.comment_entry.text.returnPressed.emit()
    settle()
    window.tabs.setCurrentWidget(window.comments)
    window.comments.list.setCurrentRow(0)
    window.player.seek(40.0)
    dialog = window.actions.open_excerpt_dialog()
    assert (dialog.start_s, dialog.end_s) == (pytest.approx(15.0), pytest.approx(30.0))  # around the comment
    dialog.mute.setChecked(False)
    dialog.path.setText(str(tmp_path / "plain.wav"))
    dialog.end.setTime(dialog.start.time())
    assert not dialog.ok_button.isEnabled()  # an empty stretch cannot be exported
    dialog.end.setTime(dialog.start.time().addSecs(3))
    dialog.ok_button.click()
    settle()
    qtbot.waitUntil(lambda: not window.actions.excerpt_task.is_running() and window.excerpt_button.isEnabled(),
                    timeout=10000)
    assert "not muted" in window.banner.text()
    assert decode(tmp_path / "plain.wav", 8000).shape == (2, 24000)
    window.close()


def test_excerpt_failure_is_told_in_plain_words(qtbot, demo, tmp_path):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    task = window.actions.export_excerpt(5.0, 8.0, str(tmp_path / "no-such-folder" / "x.wav"), True)
    qtbot.waitUntil(lambda: not task.is_running() and window.excerpt_button.isEnabled(), timeout=10000)
    assert window.banner.property("error") and "cannot be written" in window.banner.text()
    window.close()


# ------------------------------------------------------------------ recognition
def test_patient_thanked_toggle_is_stored_and_shown(qtbot, demo):
    db, actor, call_id = demo
    window = open_window(qtbot, db, actor, call_id)
    button = window.thanked_button
    assert button.isVisible() and button.isEnabled() and not button.isChecked()
    button.click()
    settle()
    assert button.isChecked() and button.text().startswith("♥")
    with db.sessions() as session:
        assert session.get(Call, call_id).thanked
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "thanked")).one()
        assert entry.new == {"thanked": True}
    window.close()
    with db.unit_of_work() as session:
        operator = User(username="anna", display_name="Анна", role="operator",
                        operator_id=session.get(Call, call_id).operator_id)
        session.add(operator)
    own = open_window(qtbot, db, operator, call_id)
    assert own.thanked_button.isVisible() and own.thanked_button.isChecked()  # the operator sees the praise
    assert not own.thanked_button.isEnabled() and not own.excerpt_button.isVisible()
    own.close()


# ------------------------------------------------------------------ my queue
@pytest.fixture
def anna_session(demo):
    """A review session on Анна's two later demo calls, run by the administrator."""
    db, actor, first = demo
    later = [reviewable_demo_call(db, actor, name) for name in ("ru04_continuation_of_treatment", "ru07_gratitude")]
    with db.unit_of_work() as session:
        operator_id = session.get(Call, first).operator_id
        review_session = ReviewSession(operator_id=operator_id, supervisor_id=actor.id,
                                       rubric_version_id=latest_published(session, "inbound_call").id,
                                       sampling_rule={}, seed=1, period_start=date(2026, 10, 1),
                                       period_end=date(2026, 11, 30))
        session.add(review_session)
        session.flush()
        session.add_all(SessionCall(session_id=review_session.id, call_id=call_id) for call_id in later)
        return db, actor, first, later, review_session.id


def test_my_queue_opens_and_steps_through_session_calls(qtbot, anna_session):
    db, actor, first, later, session_id = anna_session
    window = open_window(qtbot, db, actor, first, queue=[first])  # opened from a one-call library list
    picker = window.queue_picker
    assert picker.isVisible() and picker.itemText(0) == "My queue (2)"
    assert [picker.itemData(i) for i in range(1, picker.count())] == later
    assert not window.next_button.isVisible()
    picker.activated.emit(1)
    settle()
    assert window.data.call.id == later[0] and window.data.review_session_id == session_id
    assert window.queue_label.text() == "My queue: 1 of 2" and window.next_button.isEnabled()
    assert f"session #{session_id}" in window.banner.text()
    key(window, Qt.Key.Key_1)  # the first answer stores the draft, for the session
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.data.call.id == later[1] and window.queue_label.text() == "My queue: 2 of 2"
    key(window, Qt.Key.Key_1)
    with db.unit_of_work() as session:
        score_fully(session, actor, window.data.evaluation_id, submit_it=False)
    window.load_call(later[1])
    settle()
    key(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.data.submitted, window.banner.text()
    assert picker.itemText(0) == "My queue (1)" and picker.itemData(1) == later[0]
    key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # stepping keeps the queue as it was opened
    assert window.data.call.id == later[0]
    with db.sessions() as session:
        evaluations = session.scalars(select(Evaluation).where(Evaluation.call_id.in_(later))).all()
        assert {(e.call_id, e.session_id, e.kind) for e in evaluations} == {
            (later[0], session_id, "supervisor"), (later[1], session_id, "supervisor")}
    window.close()


def test_a_queued_call_opened_elsewhere_counts_for_its_session(qtbot, anna_session):
    db, actor, _first, later, session_id = anna_session
    window = open_window(qtbot, db, actor, later[1], queue=later)  # e.g. from the sessions page
    assert window.data.review_session_id == session_id
    key(window, Qt.Key.Key_1)  # the first answer stores the draft: for the session
    with db.sessions() as session:
        assert session.get(Evaluation, window.data.evaluation_id).session_id == session_id
    window.close()
    standalone = open_window(qtbot, db, actor, _first)
    assert standalone.data.review_session_id is None
    standalone.close()
    queued = _shown(qtbot, ReviewWindow(Workspace(db, actor), later[0], from_my_queue=True))  # e.g. from another page
    assert queued.queue == later and queued.queue_label.text() == "My queue: 1 of 2"
    queued.close()


def test_my_queue_lists_a_calibration_round_s_calls_marked_and_opens_them_for_the_round(qtbot, anna_session):
    from review.sessions.calibration_rounds import start_calibration
    from tests.review.session_fixtures import add_supervisor

    db, actor, first, later, session_id = anna_session
    with db.unit_of_work() as session:
        boris = add_supervisor(session, "boris", "Boris")
        session.flush()
        round_id = start_calibration(session, session.get(User, actor.id), [first], "inbound_call",
                                     [actor.id, boris.id])
    window = open_window(qtbot, db, actor, later[0])
    picker = window.queue_picker
    assert picker.itemText(0) == "My queue (3)"
    assert [picker.itemData(i) for i in range(1, picker.count())] == [*later, first]  # sessions first
    assert f"session #{session_id}" in picker.itemText(1)
    assert picker.itemText(3).endswith(f"calibration round #{round_id}") and "session" not in picker.itemText(3)
    picker.activated.emit(3)
    settle()
    qtbot.waitUntil(lambda: window.data.call.id == first, timeout=15000)
    assert window.data.evaluation_kind == "calibration" and window.data.review_session_id is None
    window.close()
