"""Written interactions through the library import: stored as calls of channel whatsapp/email with their messages,
operators told by the identities given (and remembered), response times in working hours, found by search."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import func, select

from review.library.importing import import_recordings
from review.library.search import search_everything
from review.models import Call, Message, Operator
from review.written.response_times import response_times
from review.written.working_hours import DEFAULT_HOURS, WorkingHours, working_seconds
from review.written.written_settings import operator_identities, set_working_hours
from tests.review.written_samples import (
    BOOKING_CHAT,
    BOOKING_WAITS,
    COMPLAINT_WAIT_S,
    IDENTITIES,
    complaint_mbox,
    write_booking_chat,
    write_iphone_zip,
    write_two_operators_chat,
)

MOSCOW = WorkingHours(DEFAULT_HOURS.days, "Europe/Moscow")


def test_waits_count_only_working_hours():
    friday_night, saturday = datetime(2025, 3, 14, 22, 30), datetime(2025, 3, 15, 10, 20)
    assert working_seconds(friday_night, saturday, DEFAULT_HOURS) == 20 * 60
    # Saturday closes at 18:00, Sunday is closed: 17:55 → Monday 09:03 is 5 + 3 minutes.
    assert working_seconds(datetime(2025, 3, 15, 17, 55), datetime(2025, 3, 17, 9, 3), DEFAULT_HOURS) == 8 * 60
    assert working_seconds(datetime(2025, 3, 16, 12), datetime(2025, 3, 16, 15), DEFAULT_HOURS) == 0
    always = WorkingHours((None,) * 7)
    assert working_seconds(friday_night, saturday, always) == (saturday - friday_night).total_seconds()
    times = response_times([("patient", datetime(2025, 3, 12, 20, 50)), ("patient", datetime(2025, 3, 12, 20, 55)),
                            ("operator", datetime(2025, 3, 13, 9, 10)), ("patient", datetime(2025, 3, 13, 9, 11))],
                           DEFAULT_HOURS)
    assert times.per_message == (1200.0, 900.0, None, None)
    assert (times.first_response_s, times.longest_wait_s, times.unanswered) == (1200.0, 1200.0, 1)
    with pytest.raises(Exception, match="must end after it starts"):
        WorkingHours(((time(21), time(9)),) + (None,) * 6)


def _calls(session):
    return {c.channel_kind + ":" + (c.operator.name if c.operator else "-"): c
            for c in session.scalars(select(Call).order_by(Call.id))}


def test_import_chats_and_a_mailbox(db, admin, tmp_path):
    with db.sessions() as session, session.begin():
        set_working_hours(session, admin, MOSCOW)
    folder = tmp_path / "written"
    write_booking_chat(folder)
    write_iphone_zip(folder)
    complaint_mbox(folder)
    (folder / "notes.txt").write_text("Позвонить в понедельник\n", encoding="utf-8")  # not a chat: unmentioned
    report = import_recordings(db, admin, [folder], operator_identities=IDENTITIES)
    assert (report.imported, report.problems, report.skipped) == (3, [], [])
    assert [w.reason for w in report.warnings] == [
        "threads left out: 1 (no known operator wrote in them or was written to)"]
    with db.sessions() as session:
        calls = list(session.scalars(select(Call).order_by(Call.started_at)))
        booking, complaint, iphone = calls
        assert [c.channel_kind for c in calls] == ["whatsapp", "email", "whatsapp"]
        assert {c.operator.name for c in calls} == {"Ольга Кузнецова"}
        assert booking.started_at == datetime(2025, 3, 12, 9, 58) and booking.direction == "in"
        assert booking.duration_s == (datetime(2025, 3, 13, 9, 10) - datetime(2025, 3, 12, 9, 58)).total_seconds()
        assert (booking.message_count, booking.first_response_s, booking.longest_wait_s) == (6, 360.0, 39_900.0)
        assert booking.transcription_status == "done" and booking.language == "ru"
        rows = list(session.scalars(select(Message).where(Message.call_id == booking.id).order_by(Message.position)))
        assert [m.role for m in rows] == ["system", "patient", "operator", "patient", "patient", "patient", "operator"]
        assert [m.response_s for m in rows] == BOOKING_WAITS
        assert rows[3].kind == "media"
        # Friday 22:30 → Saturday 10:20: the night is not the operator's delay.
        assert (iphone.first_response_s, iphone.longest_wait_s, iphone.language) == (1200.0, 1200.0, "en")
        photo = session.scalars(select(Message).where(Message.call_id == iphone.id, Message.kind == "media")).one()
        assert photo.attachments == [{"name": "00000005-PHOTO-2025-03-14-22-31-00.jpg", "size_bytes": 2048,
                                      "content_type": None}]
        assert complaint.first_response_s == COMPLAINT_WAIT_S and complaint.message_count == 2
        answer = session.scalars(select(Message).where(Message.call_id == complaint.id, Message.role == "operator")).one()
        assert answer.text.startswith("Павел, приносим извинения") and answer.signature == "-- \nОльга Кузнецова"
        assert answer.quoted == "> Ждал приёма два часа"
        assert operator_identities(session)["info@zdorovie.ru"] == "Ольга Кузнецова"  # remembered
        hits = search_everything(session, admin, "верните деньги")
        assert [(h.call_id, h.speaker, h.message_id is not None) for h in hits] == [
            (complaint.id, "customer", True), (complaint.id, "operator", True)]
        assert hits[1].start_s == complaint.duration_s
        before = (session.scalar(select(func.count(Call.id))), session.scalar(select(func.count(Message.id))))

    again = import_recordings(db, admin, [folder])  # identities remembered; the same content changes nothing
    assert (again.imported, again.already_present, again.problems) == (0, 3, [])
    with db.sessions() as session:
        assert (session.scalar(select(func.count(Call.id))), session.scalar(select(func.count(Message.id)))) == before


def test_two_operators_and_a_longer_export(db, admin, tmp_path):
    chat = write_two_operators_chat(tmp_path)
    report = import_recordings(db, admin, [chat], operator_identities=IDENTITIES)
    assert report.imported == 1
    with db.sessions() as session:
        call = session.scalars(select(Call)).one()
        assert call.operator.name == "Марина Соколова"  # wrote twice, Ольга once
        roles = [m.role for m in session.scalars(select(Message).order_by(Message.position))]
        assert roles == ["patient", "operator", "operator", "patient", "operator"]
        assert call.first_response_s == 180.0 and call.longest_wait_s == 240.0
    longer = chat.read_text(encoding="utf-8") + "01.04.2025, 11:00 - Игорь: А паспорт брать?\n" \
                                                "01.04.2025, 11:30 - Ольга (регистратура): Да, и полис.\n"
    chat.write_text(longer, encoding="utf-8")
    report = import_recordings(db, admin, [chat])
    assert report.imported == 1 and [w.reason for w in report.warnings] == [f"new messages added to interaction #{call.id}"]
    with db.sessions() as session:
        call = session.scalars(select(Call)).one()
        assert (call.message_count, call.longest_wait_s) == (7, 1800.0)


def test_bad_files_are_one_sentence_each_and_the_rest_import(db, admin, tmp_path):
    good = write_booking_chat(tmp_path / "good")
    broken = tmp_path / "bad" / "WhatsApp Chat with Пётр.txt"
    broken.parent.mkdir()
    broken.write_text(BOOKING_CHAT.replace("12.03.2025, 10:06", "31.02.2025, 10:06"), encoding="utf-8")
    stranger = tmp_path / "bad" / "Чат WhatsApp с Марк.txt"
    stranger.write_text("01.04.2025, 10:00 - Марк: Здравствуйте\n01.04.2025, 10:01 - Ника: Добрый день\n",
                        encoding="utf-8")
    not_mail = tmp_path / "bad" / "letter.eml"
    not_mail.write_bytes(b"\x00\x01 binary junk")
    report = import_recordings(db, admin, [broken, stranger, not_mail, good], operator_identities=IDENTITIES)
    assert report.imported == 1
    assert [(p.path.rsplit("/", 1)[-1], p.reason) for p in report.problems] == [
        ("WhatsApp Chat with Пётр.txt", "Line 6: the date or time is not a real one."),
        ("Чат WhatsApp с Марк.txt", "No participant is one of the clinic's operators (Марк, Ника): say which "
                                    "address or chat name is an operator's, and import again."),
        ("letter.eml", "Line 1: no mail headers (From, Date…): this is not an e-mail."),
    ]
    with db.sessions() as session:
        assert session.scalar(select(func.count(Call.id))) == 1
        assert session.scalar(select(func.count(Message.id))) == 7
        assert session.scalar(select(func.count(Operator.id))) == 1


def test_unanswered_mail_to_the_clinic_is_imported(db, admin, tmp_path):
    mailbox = complaint_mbox(tmp_path, with_answer=False)
    report = import_recordings(db, admin, [mailbox], operator_identities={"info@zdorovie.ru": "Ольга Кузнецова"})
    assert report.imported == 1
    with db.sessions() as session:
        call = session.scalars(select(Call)).one()
        assert (call.operator.name, call.message_count, call.first_response_s) == ("Ольга Кузнецова", 1, None)


def test_demo_workspace_has_a_booking_chat_and_a_complaint_answered_late(sqlite_db):
    from review.accounts.local_admin import ensure_local_admin
    from review.demo import create_demo_workspace

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    report = create_demo_workspace(sqlite_db, admin)
    assert report.problems == [] and report.imported == 14
    with sqlite_db.sessions() as session:
        written = {c.channel_kind: c for c in session.scalars(select(Call).where(Call.channel_kind != "phone"))}
        chat, mail = written["whatsapp"], written["email"]
        assert (chat.operator.name, chat.call_kind, chat.outcome) == ("Игорь Петров", "inbound_booking", "booked")
        # 18:52 → 19:04 first; 19:06 waited to 21:00 closing and 12 minutes from 09:00 next morning.
        assert (chat.first_response_s, chat.longest_wait_s, chat.message_count) == (720.0, 7_560.0, 9)
        # Friday 18:40 → Monday 12:30: 2 h 20 + Saturday's 8 h + 3 h 30 of working time.
        assert (mail.call_kind, mail.first_response_s, mail.longest_wait_s, mail.message_count) == (
            "complaint", 49_800.0, 49_800.0, 3)
        thanks = session.scalars(select(Message).where(Message.call_id == mail.id).order_by(Message.position)).all()[-1]
        assert thanks.text == "Спасибо за ответ. Запишите, пожалуйста, на четверг после 18:00."  # HTML, KOI8-R


def test_new_working_hours_time_every_chat_again(sqlite_db, tmp_path):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    import_recordings(sqlite_db, admin, [write_booking_chat(tmp_path)], operator_identities=IDENTITIES)
    with sqlite_db.unit_of_work() as session:
        set_working_hours(session, admin, WorkingHours((None,) * 7, "Europe/Moscow"))  # no hours: every second
    with sqlite_db.sessions() as session:
        call = session.scalars(select(Call)).one()
        # 10:05 → 09:10 the next day on the wall clock, the night included now.
        assert (call.first_response_s, call.longest_wait_s) == (360.0, 23 * 3600 + 5 * 60)
