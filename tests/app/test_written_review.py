"""A chat under review: bubbles with author, time and the wait before each reply, personal data masked, the
written-reply rubric beside it, comments on a message by the same keys as on a call (J/L move, C comments)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from sqlalchemy import select

from app.review_workspace import ReviewWindow
from app.review_workspace.message_items import items_from_messages, mask_items, nearest_item
from review.library.importing import import_recordings
from review.models import Comment, Evaluation, Message, RubricVersion
from review.scoring.rubric_store import install_builtin_rubrics
from review.workspace import Workspace
from tests.app.test_review_keyboard import _no_question_left_open  # noqa: F401  (a failure never hangs)
from tests.app.test_review_workspace import key, type_text
from tests.review.written_samples import BOOKING_WAITS, IDENTITIES, write_booking_chat


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def chat(sqlite_db, tmp_path):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
    report = import_recordings(sqlite_db, actor, [write_booking_chat(tmp_path)], operator_identities=IDENTITIES)
    return sqlite_db, actor, report.call_ids[0]


def test_items_carry_the_wait_before_each_reply_and_hide_personal_data(chat):
    db, _actor, call_id = chat
    with db.sessions() as session:
        rows = list(session.scalars(select(Message).where(Message.call_id == call_id).order_by(Message.position)))
        items = items_from_messages(rows, rows[0].sent_at)
    assert [i.response_s for i in items] == BOOKING_WAITS
    # Each reply shows how long the earliest message it answers waited.
    assert [i.wait_s for i in items if i.role == "operator"] == [360.0, 39_900.0]
    masked = mask_items(items, {"phone": "[phone]"})
    assert "[phone]" in masked[1].text and "916" not in masked[1].text and masked[1].masked == 1
    assert nearest_item(items, items[4].offset_s) == 4


def test_review_a_chat_by_keyboard(qtbot, chat):
    db, actor, call_id = chat
    window = ReviewWindow(Workspace(db, actor), call_id, mask_personal_data=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.data is not None, timeout=15000)  # the call is read off the GUI thread
    window.setFocus()
    assert window.messages.isVisible() and not window.playback.isVisible() and not window.transcript.isVisible()
    bubbles = window.messages.bubbles
    assert len(bubbles) == 7
    assert "6 messages" in window.subtitle.text() and "(s)" not in window.subtitle.text()  # the count the import stored
    assert "▮▮▮" in bubbles[1].text.text() and "916" not in bubbles[1].text.text()
    with db.sessions() as session:
        assert window.data.rubric.id == "written_reply"
        assert session.get(RubricVersion, window.data.plan.rubric_version_id) is not None

    key(window, Qt.Key.Key_L)  # the patient's first message
    key(window, Qt.Key.Key_L)  # the operator's reply
    assert window.messages.current == 2
    key(window, Qt.Key.Key_J)
    assert window.messages.current == 1
    key(window, Qt.Key.Key_C)
    assert window.comment_entry.isVisible()
    assert window.comment_entry.when.text() == "Comment on Анна Петрова, 12 Mar 09:58"
    type_text(window.comment_entry.text, "Телефон в первом сообщении — перезвонить")
    key(window, Qt.Key.Key_Return)
    assert not window.comment_entry.isVisible()
    key(window, Qt.Key.Key_1)  # first question (how fast the first answer came): "within 10 minutes"
    with db.sessions() as session:
        comment = session.scalars(select(Comment)).one()
        first_message = session.scalars(select(Message).where(Message.call_id == call_id,
                                                              Message.position == 1)).one()
        assert (comment.message_id, comment.at_s) == (first_message.id, 0.0)
        evaluation = session.scalars(select(Evaluation)).one()
        assert comment.evaluation_id == evaluation.id and len(evaluation.answers) == 1
    assert bubbles[1].comments.text() == "1 comment" and not bubbles[1].comments.isHidden()
    assert window.comments.list.item(0).text().startswith("Анна Петрова, 12 Mar 09:58")

    window.messages.set_current(6)
    window.comments.comment_activated.emit(comment.id, comment.at_s)  # a click in the list: back to its message
    assert window.messages.current == 1
    window.go_to(43_000)  # a search hit 11 h 57 after the first message: the 20:50 one (39,120 s)
    assert window.messages.current == 5


def test_after_a_call_an_e_mail_thread_says_who_wrote_and_keeps_no_talk_figures(qtbot, sqlite_db, tmp_path, english):
    """The band above the messages names the people and the reply time (a message shown there takes its place
    without moving the thread); the talk tab, which measures a recording, is gone; counts read as words."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from app.labels import format_wait
    from review.accounts.local_admin import ensure_local_admin
    from tests.app.review_support import reviewable_demo_call
    from tests.review.written_samples import complaint_mbox

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(sqlite_db, actor)
    report = import_recordings(sqlite_db, actor, [complaint_mbox(tmp_path)], operator_identities=IDENTITIES)
    thread_id = next(i for i in report.call_ids if i != call_id)
    window = ReviewWindow(Workspace(sqlite_db, actor), call_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.data is not None and window.data.analytics is not None, timeout=15000)
    talk = window.tabs.indexOf(window.talk)
    assert window.tabs.isTabVisible(talk) and window.conversation_line.isHidden()
    assert window.metadata.form.labelForField(window.metadata.kind).text() == "Call kind"
    window.tabs.setCurrentIndex(talk)

    window.load_call(thread_id)
    qtbot.waitUntil(lambda: window.data is not None and window.data.call.id == thread_id, timeout=15000)
    assert not window.tabs.isTabVisible(talk) and window.tabs.currentWidget() is not window.talk
    line = window.conversation_line.text()
    assert window.conversation_line.isVisible() and window.banner.isHidden()
    assert "Patient: Павел Сидоров" in line and "the clinic: Ольга Кузнецова" in line
    assert all(item.author for item in window.messages.items if item.role != "system")  # never "—"
    assert window.tabs.tabText(window.tabs.indexOf(window.details_tab)) == "Conversation details"
    assert window.metadata.form.labelForField(window.metadata.kind).text() == "Request kind"  # not a call's
    assert f"first reply after {format_wait(window.data.call.first_response_s)}" in line, line
    top = window.messages.geometry()
    window.show_banner("Evaluation submitted.")
    assert window.banner.isVisible() and window.conversation_line.isHidden() and window.messages.geometry() == top
    window.hide_banner()
    assert window.conversation_line.isVisible() and window.messages.geometry() == top
    shown = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton) if w.isVisible()]
    assert any("line" in text for text in shown), shown  # the signature's and the quotation's folds
    assert not [text for text in shown if "(s)" in text]
    window.close()


def test_a_message_from_a_bare_address_is_named_not_dashed(sqlite_db, tmp_path):
    """The demo complaint's third mail comes from "s.nikolaev@mail.example" alone: it reads as the name that
    address gave in the first mail; a reply with no name reads as the operator or, with none, the clinic."""
    import shutil
    from dataclasses import replace

    from app.review_workspace.message_items import with_authors
    from review.accounts.local_admin import ensure_local_admin
    from review.demo import DEMO_IDENTITIES
    from tests.conftest import REPO

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    mbox = tmp_path / "complaint_waiting.mbox"
    shutil.copy(REPO / "resources" / "demo" / "written" / "complaint_waiting.mbox", mbox)
    [thread_id] = import_recordings(sqlite_db, actor, [mbox], operator_identities=DEMO_IDENTITIES).call_ids
    with sqlite_db.sessions() as session:
        rows = list(session.scalars(select(Message).where(Message.call_id == thread_id).order_by(Message.position)))
        items = items_from_messages(rows, rows[0].sent_at)
    assert items[2].role == "patient" and not items[2].author  # as stored: the mail gave no name
    named = with_authors(items, "Игорь Петров", "Clinic", "Patient")
    assert [item.author for item in named] == [items[0].author, items[1].author, items[0].author]
    anonymous_reply = [replace(item, author=None) if item.role == "operator" else item for item in items]
    assert with_authors(anonymous_reply, None, "Clinic", "Patient")[1].author == "Clinic"
    assert with_authors(anonymous_reply, "Игорь Петров", "Clinic", "Patient")[1].author == "Игорь Петров"


def test_an_e_mail_reads_in_paragraphs_a_chat_keeps_its_lines(qtbot, sqlite_db, tmp_path):
    """The demo complaint's reply was wrapped at 86 characters by its mail program: in a bubble it showed three
    ragged lines a paragraph; the bubble now wraps the paragraph at its own width, its signature's and the
    quotation's short lines kept."""
    import shutil

    from review.accounts.local_admin import ensure_local_admin
    from review.demo import DEMO_IDENTITIES
    from tests.conftest import REPO

    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
    mbox = tmp_path / "complaint_waiting.mbox"
    shutil.copy(REPO / "resources" / "demo" / "written" / "complaint_waiting.mbox", mbox)
    [thread_id] = import_recordings(sqlite_db, actor, [mbox], operator_identities=DEMO_IDENTITIES).call_ids
    chat_id = import_recordings(sqlite_db, actor, [write_booking_chat(tmp_path)], operator_identities=IDENTITIES).call_ids[0]
    with sqlite_db.sessions() as session:
        stored = session.scalars(select(Message).where(Message.call_id == thread_id).order_by(Message.position)).all()
        reply = stored[1]
        assert "заранее. В пятницу\nтерапевт" in reply.text  # as the mail program broke it
    window = ReviewWindow(Workspace(sqlite_db, actor), thread_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: len(window.messages.bubbles) == len(stored), timeout=15000)
    shown = window.messages.bubbles[1].text.text()
    assert shown.split("\n\n") == [paragraph.replace("\n", " ") for paragraph in reply.text.split("\n\n")]
    assert shown.split() == reply.text.split()  # every word, in order
    quoted = window.messages.items[1].quoted
    assert quoted.startswith(reply.quoted.split("\n")[0] + "\n> Здравствуйте.\n>\n> Сегодня я ждал")
    assert quoted.split("\n")[3].count("Администратор сказала") == 1  # the quoted paragraph on one line
    assert window.messages.items[1].signature == reply.signature  # "Игорь Петров" / his role / phone, as written

    window.load_call(chat_id)
    qtbot.waitUntil(lambda: window.data is not None and window.data.call.id == chat_id, timeout=15000)
    with sqlite_db.sessions() as session:
        first = session.scalars(select(Message).where(Message.call_id == chat_id, Message.role == "patient")
                                .order_by(Message.position)).first()
    assert "\n" in first.text and window.messages.bubbles[1].text.text() == first.text  # a chat's lines are its own
    window.close()
