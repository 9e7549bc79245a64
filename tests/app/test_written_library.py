"""Chats and e-mails in the library beside calls: the channel filter, the response-time columns, the details."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.call_table_model import COLUMNS
from app.library_page import LibraryPage
from review.library.calls import CallFilter, call_page
from review.library.importing import import_recordings
from review.models import Call, Operator
from review.workspace import Workspace
from tests.app.test_library_page import settled
from tests.review.written_samples import IDENTITIES, write_booking_chat, write_two_operators_chat


@pytest.fixture
def mixed(sqlite_db, tmp_path):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.sessions() as session:
        actor = ensure_local_admin(session)
        session.add(Call(path="/calls/1.wav", sha256="1" * 64, size_bytes=1000, duration_s=95, sample_rate=8000,
                         channels=2, codec="PCM_16", started_at=datetime(2025, 3, 11, 9), direction="in",
                         operator=Operator(name="Игорь Смирнов"), transcription_status="done"))
        session.commit()
    write_booking_chat(tmp_path)
    write_two_operators_chat(tmp_path)
    assert import_recordings(sqlite_db, actor, [tmp_path], operator_identities=IDENTITIES).imported == 2
    return sqlite_db, actor


def test_filter_by_channel_and_sort_by_the_longest_wait(mixed):
    db, actor = mixed
    with db.sessions() as session:
        assert len(call_page(session, actor, CallFilter(channel_kind="written"))) == 2
        assert [r.channel_kind for r in call_page(session, actor, CallFilter(channel_kind="phone"))] == ["phone"]
        rows = call_page(session, actor, CallFilter(), sort="longest_wait_s", descending=True)
        assert [r.longest_wait_s for r in rows] == [39_900.0, 240.0, None]  # the call (no figure) last


def test_library_page_shows_channel_and_response_times(qtbot, mixed):
    db, actor = mixed
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    assert not page.table.isColumnHidden(COLUMNS.index("channel_kind"))
    page.channel.setCurrentIndex(page.channel.findData("written"))
    settled(qtbot, page)
    assert page.model.rowCount() == 2
    page.table.sortByColumn(COLUMNS.index("longest_wait_s"), Qt.SortOrder.DescendingOrder)
    settled(qtbot, page)
    model = page.model
    cell = lambda row, name: model.data(model.index(row, COLUMNS.index(name)))  # noqa: E731
    assert [cell(0, n) for n in ("channel_kind", "first_response_s", "longest_wait_s", "transcription_status")] == [
        "WhatsApp", "6 min", "11 h 05", "6 message(s)"]
    page.table.selectRow(0)  # the first row shows in the details (it may be selected already)
    details = page.details
    qtbot.waitUntil(lambda: details.title.text() == f"Chat #{model.call_id_at(0)}")
    assert (details.fields["messages"].text(), details.fields["longest_wait"].text()) == ("6", "11 h 05")
    assert not details.row_shown("audio") and not details.retry_button.isEnabled()


def test_import_dialog_asks_who_the_operators_are_and_remembers(qtbot, sqlite_db, tmp_path):
    from app.import_dialog import ImportDialog
    from review.accounts.local_admin import ensure_local_admin
    from review.written.written_settings import operator_identities

    with sqlite_db.sessions() as session:
        actor = ensure_local_admin(session)
        session.commit()
    write_two_operators_chat(tmp_path)
    dialog = ImportDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)  # its steps are read off the GUI thread
    dialog.set_paths([str(tmp_path)])
    step = dialog.identity_step
    assert [(p.name, p.messages) for p in step.participants] == [
        ("Игорь", 2), ("Марина (старший администратор)", 2), ("Ольга (регистратура)", 1)]
    assert dialog.identity_box.isVisibleTo(dialog)
    step.set_operator("ольга (регистратура)", "Ольга Кузнецова")
    step.set_operator("марина (старший администратор)", "Марина Соколова")
    with qtbot.waitSignal(dialog.imported, timeout=20000) as blocker:
        dialog.start()
    assert blocker.args[0].imported == 1 and blocker.args[0].problems == []
    with sqlite_db.sessions() as session:
        assert operator_identities(session) == {"ольга (регистратура)": "Ольга Кузнецова",
                                                "марина (старший администратор)": "Марина Соколова"}
    again = ImportDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.ready)  # its steps are read off the GUI thread
    again.set_paths([str(tmp_path)])
    assert again.identity_step.identities() == {"ольга (регистратура)": "Ольга Кузнецова",
                                                "марина (старший администратор)": "Марина Соколова"}


def test_working_hours_editor_saves_and_times_chats_again(qtbot, mixed):
    from datetime import time

    from PySide6.QtCore import QTime

    from app.working_hours_editor import WorkingHoursEditor
    from review.written.written_settings import working_hours

    db, actor = mixed
    editor = WorkingHoursEditor(Workspace(db, actor))
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.loaded, timeout=10000):
        pass
    assert [box.isChecked() for box in editor.open] == [True] * 6 + [False]  # the default: Sunday closed
    editor.resize(1920 - 200, 900)  # a wide page: the time zone stays under the hours, its edge on theirs
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.zone.x() == editor.starts[0].x() and editor.zone.width() <= 320
    editor.zone.setText("Mars/Olympus")
    with qtbot.waitSignal(editor.saved, timeout=10000) as refused:
        editor.save()
    assert refused.args == [False] and "Unknown time zone" in editor.message.text()
    editor.zone.setText("Europe/Moscow")
    editor.ends[2].setTime(QTime(12, 0))  # Wednesday 09:00–12:00 only
    with qtbot.waitSignal(editor.saved, timeout=10000) as stored:
        editor.save()
    assert stored.args == [True]
    with db.sessions() as session:
        hours = working_hours(session)
        assert hours.days[2] == (time(9), time(12)) and hours.zone == "Europe/Moscow"
        chat = session.scalars(select(Call).where(Call.started_at == datetime(2025, 3, 12, 9, 58))).one()
        # 10:05 (Wed) now waits to 12:00 and from 09:00 Thursday to 09:10: 1 h 55 + 10 min.
        assert chat.longest_wait_s == 115 * 60 + 10 * 60


@pytest.mark.parametrize("language", ["english", "russian"])
def test_a_written_conversation_shows_no_transcript_buttons_and_its_direction_agrees(qtbot, mixed, tmp_path,
                                                                                     language, request):
    """A chat or an e-mail showed "Swap operator and customer", "Transcribe again" and "Export transcript…"
    greyed out, though none can ever apply to it, and «Письмо № 14 … Направление: Входящий» in Russian."""
    from tests.review.written_samples import complaint_mbox

    request.getfixturevalue(language)
    db, actor = mixed
    mail = tmp_path / "mail"
    mail.mkdir()
    complaint_mbox(mail)
    assert import_recordings(db, actor, [mail], operator_identities=IDENTITIES).imported == 1
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.show()
    settled(qtbot, page)
    model, details = page.model, page.details
    buttons = (details.swap_button, details.retry_button, details.export_button)
    channels = {model.call_id_at(row): model.data(model.index(row, COLUMNS.index("channel_kind")))
                for row in range(model.rowCount())}
    inbound = {"english": "Inbound", "russian": "Входящее"}[language]
    for row in range(model.rowCount()):
        call_id = model.call_id_at(row)
        with qtbot.waitSignal(details.shown):
            page.table.selectRow(row)
        written = channels[call_id] != {"english": "Phone", "russian": "Телефон"}[language]
        assert [button.isVisible() for button in buttons] == [not written] * 3, channels[call_id]
        assert details.open_button.isVisible()
        if channels[call_id] in ("E-mail", "Эл. почта"):
            assert details.fields["direction"].text() == inbound
            assert model.data(model.index(row, COLUMNS.index("direction"))) == inbound
    assert len(channels) == 4
