"""WhatsApp exports and e-mails read into conversations: files written here as the phone and mail programs
write them (both WhatsApp date styles, 12/24-hour clocks, KOI8-R, Windows-1251, quoted-printable, base64)."""

from __future__ import annotations

import base64
import quopri
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from review.written.conversation import WrittenFormatError
from review.written.email_import import read_eml, read_mbox
from review.written.html_text import html_to_text
from review.written.reply_parts import split_reply
from review.written.whatsapp import read_chat_file, read_chat_zip

MSK = timezone(timedelta(hours=3))

# Android, Russian phone: dd.mm.yyyy and a 24-hour clock; the first line is WhatsApp's own notice.
ANDROID_RU = """\
12.03.2025, 09:58 - Сообщения и звонки защищены сквозным шифрованием. Никто вне этого чата не может их прочитать.
12.03.2025, 09:58 - Анна Петрова: Здравствуйте! Хочу записаться к терапевту
на четверг, если можно.

Лучше после обеда
12.03.2025, 10:04 - Клиника Здоровье: Добрый день, Анна! На четверг есть 14:30 и 16:00.
12.03.2025, 10:05 - Анна Петрова: <Медиафайл опущен>
12.03.2025, 10:06 - Анна Петрова: 14:30 подойдёт
"""

# iPhone, English (US) phone: [m/d/yy, h:mm:ss AM] with invisible marks before its notices and attachments.
IPHONE_EN = (
    "\u200e[3/12/25, 9:58:01\u202fAM] City Clinic: \u200eMessages and calls are end-to-end encrypted.\n"
    "[3/12/25, 9:58:30\u202fAM] Anna Smith: Hi, can I book a check-up?\n"
    "\u200e[3/12/25, 10:02:00\u202fPM] Anna Smith: \u200e<attached: 00000005-PHOTO-2025-03-12-22-02-00.jpg>\n"
    "[3/13/25, 9:01:15\u202fAM] City Clinic: Yes, of course.\n"
    "Thursday at 2:30 PM?\n"
)


def test_android_russian_chat(tmp_path):
    path = tmp_path / "WhatsApp Chat with Анна Петрова.txt"
    path.write_text(ANDROID_RU, encoding="utf-8")
    chat = read_chat_file(path)
    assert chat.channel == "whatsapp" and chat.title == "Анна Петрова"
    assert [(m.author, m.kind) for m in chat.messages] == [
        (None, "system"), ("Анна Петрова", "text"), ("Клиника Здоровье", "text"), ("Анна Петрова", "media"),
        ("Анна Петрова", "text")]
    first = chat.messages[1]
    assert first.sent_at == datetime(2025, 3, 12, 9, 58)
    assert first.text == "Здравствуйте! Хочу записаться к терапевту\nна четверг, если можно.\n\nЛучше после обеда"
    assert first.line == 2
    assert chat.messages[3].text == "<Медиафайл опущен>"
    assert chat.participants == [("анна петрова", "Анна Петрова"), ("клиника здоровье", "Клиника Здоровье")]


def test_iphone_english_chat_with_a_twelve_hour_clock(tmp_path):
    path = tmp_path / "WhatsApp Chat - Anna Smith.txt"
    path.write_text(IPHONE_EN, encoding="utf-8")
    chat = read_chat_file(path)
    assert chat.title == "Anna Smith"
    system, question, photo, answer = chat.messages
    assert (system.kind, system.author, system.text) == ("system", None, "Messages and calls are end-to-end encrypted.")
    assert question.sent_at == datetime(2025, 3, 12, 9, 58, 30)
    assert photo.sent_at == datetime(2025, 3, 12, 22, 2)  # 10:02 PM
    assert photo.kind == "media" and [a.name for a in photo.attachments] == ["00000005-PHOTO-2025-03-12-22-02-00.jpg"]
    assert answer.sent_at == datetime(2025, 3, 13, 9, 1, 15) and answer.text == "Yes, of course.\nThursday at 2:30 PM?"


def test_slashed_dates_are_read_day_first_or_month_first_as_the_file_shows(tmp_path):
    british = tmp_path / "uk.txt"
    british.write_text("05/03/2025, 21:40 - Ann: one\n13/03/2025, 09:00 - Bob: two\n", encoding="utf-8")
    assert [m.sent_at.date() for m in read_chat_file(british).messages] == [datetime(2025, 3, 5).date(),
                                                                             datetime(2025, 3, 13).date()]
    american = tmp_path / "us.txt"
    american.write_text("3/5/25, 9:40 PM - Ann: one\n3/13/25, 12:05 AM - Bob: two\n", encoding="utf-8")
    assert [m.sent_at for m in read_chat_file(american).messages] == [datetime(2025, 3, 5, 21, 40),
                                                                       datetime(2025, 3, 13, 0, 5)]


def test_chat_with_two_operators_lists_every_participant(tmp_path):
    path = tmp_path / "Чат WhatsApp с Игорь.txt"
    path.write_text("01.04.2025, 10:00 - Игорь: Добрый день, есть ли запись к ЛОРу?\n"
                    "01.04.2025, 10:03 - Ольга (регистратура): Здравствуйте, Игорь! Уточню и напишу.\n"
                    "01.04.2025, 10:20 - Марина (старший администратор): Игорь, есть окно в 12:00.\n"
                    "01.04.2025, 10:21 - Игорь: Беру!\n", encoding="utf-8")
    chat = read_chat_file(path)
    assert chat.title == "Игорь"
    assert [name for _handle, name in chat.participants] == ["Игорь", "Ольга (регистратура)",
                                                             "Марина (старший администратор)"]


def test_zip_export_lists_its_media_and_stores_none(tmp_path):
    path = tmp_path / "WhatsApp Chat - Anna Smith.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", IPHONE_EN)
        archive.writestr("00000005-PHOTO-2025-03-12-22-02-00.jpg", b"\xff\xd8" + b"\0" * 998)
        archive.writestr("__MACOSX/._chat.txt", b"junk")
    chat = read_chat_zip(path)
    assert chat.title == "Anna Smith"
    assert [(a.name, a.size_bytes) for a in chat.attachments] == [("00000005-PHOTO-2025-03-12-22-02-00.jpg", 1000)]
    assert chat.messages[2].attachments[0].size_bytes == 1000
    assert chat.content_key == read_chat_file(_write(tmp_path / "same.txt", IPHONE_EN)).content_key


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_chat_is_one_sentence_with_its_line(tmp_path):
    path = _write(tmp_path / "notes.txt", "Список покупок\nмолоко\n")
    with pytest.raises(WrittenFormatError) as caught:
        read_chat_file(path)
    assert str(caught.value) == "Line 1 does not start with a date and time: this is not a WhatsApp chat export."
    assert caught.value.line == 1
    bad_date = _write(tmp_path / "bad.txt", "12.03.2025, 10:00 - Анна: да\n31.02.2025, 10:01 - Анна: нет\n")
    with pytest.raises(WrittenFormatError, match="Line 2: the date or time is not a real one"):
        read_chat_file(bad_date)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(WrittenFormatError, match="not a readable .zip archive"):
        read_chat_zip(tmp_path / "broken.zip")


# -- e-mail ---------------------------------------------------------------------------------------------------
def _qp(text: str, charset: str) -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def _b64(text: str, charset: str) -> str:
    return base64.encodebytes(text.encode(charset)).decode("ascii")


def _header_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


QUESTION = "Здравствуйте!\nМожно ли перенести приём с пятницы на понедельник?\nАнна"
REPLY = ("Добрый день, Анна!\n\nПеренесли вас на понедельник, 10:00.\n\n-- \nОльга Кузнецова\nКлиника «Здоровье»\n\n"
         "12 марта 2025 г., в 9:15, Анна Петрова <anna@example.ru> написал(а):\n> Здравствуйте!\n"
         "> Можно ли перенести приём с пятницы на понедельник?\n> Анна")


def _mbox() -> bytes:
    question = (
        "From anna@example.ru Wed Mar 12 06:15:00 2025\n"
        "From: =?utf-8?B?0JDQvdC90LAg0J/QtdGC0YDQvtCy0LA=?= <anna@example.ru>\n"
        "To: info@zdorovie.ru\nSubject: =?utf-8?B?0J/QtdGA0LXQvdC+0YEg0L/RgNC40ZHQvNCw?=\n"
        "Date: Wed, 12 Mar 2025 09:15:00 +0300\nMessage-ID: <q1@example.ru>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        f"{_qp(QUESTION, 'utf-8')}\n\n")
    reply = (
        "From info@zdorovie.ru Wed Mar 12 08:40:00 2025\n"
        "From: =?utf-8?B?0J7Qu9GM0LPQsCDQmtGD0LfQvdC10YbQvtCy0LA=?= <Info@Zdorovie.ru>\nTo: anna@example.ru\n"
        "Subject: Re: =?utf-8?B?0J/QtdGA0LXQvdC+0YEg0L/RgNC40ZHQvNCw?=\n"
        "Date: Wed, 12 Mar 2025 08:40:00 +0000\nMessage-ID: <r1@zdorovie.ru>\nIn-Reply-To: <q1@example.ru>\n"
        "References: <q1@example.ru>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: base64\n\n{_b64(REPLY, 'utf-8')}\n")
    thanks = (
        "From anna@example.ru Wed Mar 12 09:02:00 2025\n"
        "From: anna@example.ru\nTo: info@zdorovie.ru\nSubject: Re: Re: Perenos\n"
        "Date: Wed, 12 Mar 2025 12:02:00 +0300\nMessage-ID: <q2@example.ru>\nIn-Reply-To: <r1@zdorovie.ru>\n"
        "References: <q1@example.ru> <r1@zdorovie.ru>\nContent-Type: text/plain; charset=utf-8\n\n"
        "Спасибо!\nFrom now on I will write earlier.\n\n> Перенесли вас на понедельник, 10:00.\n\n")
    other = (
        "From ivan@example.ru Thu Mar 13 07:00:00 2025\n"
        "From: ivan@example.ru\nSubject: Vopros\nDate: Thu, 13 Mar 2025 10:00:00 +0300\n"
        "Message-ID: <other@example.ru>\n\nСколько стоит приём?\n")
    # An mbox escapes a body line that starts with "From " as ">From ".
    return (question + reply + thanks.replace("\nFrom now", "\n>From now") + other).encode("utf-8")


def test_mbox_thread_with_quoted_replies(tmp_path):
    path = tmp_path / "inbox.mbox"
    path.write_bytes(_mbox())
    thread, other = read_mbox(path, zone=MSK)
    assert thread.channel == "email" and thread.title == "Перенос приёма"
    assert [m.key for m in thread.messages] == ["<q1@example.ru>", "<r1@zdorovie.ru>", "<q2@example.ru>"]
    question, reply, thanks = thread.messages
    assert (question.author, question.address) == ("Анна Петрова", "anna@example.ru")
    assert question.text == QUESTION and question.quoted == "" and question.line == 1
    assert reply.sent_at == datetime(2025, 3, 12, 11, 40)  # 08:40 UTC on the clinic's clock
    assert reply.address == "info@zdorovie.ru"
    assert reply.text == "Добрый день, Анна!\n\nПеренесли вас на понедельник, 10:00."
    assert reply.signature == "-- \nОльга Кузнецова\nКлиника «Здоровье»"
    assert reply.quoted.startswith("12 марта 2025 г., в 9:15, Анна Петрова <anna@example.ru> написал(а):\n> Здр")
    assert reply.full_text.replace("\n", "") == REPLY.replace("\n", "")  # split for display, all of it kept
    assert thanks.text == "Спасибо!\nFrom now on I will write earlier."  # ">From" of the mbox given back
    assert thanks.quoted == "> Перенесли вас на понедельник, 10:00."
    assert [m.text for m in other.messages] == ["Сколько стоит приём?"]


def test_koi8r_and_windows_1251_mails(tmp_path):
    koi8 = tmp_path / "koi8.eml"
    koi8.write_bytes((
        f"From: {_header_word('Пётр Иванов', 'koi8-r')} <petr@example.ru>\nTo: info@zdorovie.ru\n"
        f"Subject: {_header_word('Запись к окулисту', 'koi8-r')}\nDate: Mon, 17 Mar 2025 10:00:00 +0300\n"
        "Message-ID: <k@example.ru>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"koi8-r\"\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{_qp('Добрый день! Есть ли запись к окулисту?', 'koi8-r')}\n"
    ).encode("ascii"))
    [conversation] = read_eml(koi8, zone=MSK)
    [mail] = conversation.messages
    assert (mail.author, mail.subject, mail.text) == ("Пётр Иванов", "Запись к окулисту",
                                                     "Добрый день! Есть ли запись к окулисту?")
    cp1251 = tmp_path / "cp1251.eml"
    cp1251.write_bytes((
        "From: petr@example.ru\nSubject: Vopros\nDate: Mon, 17 Mar 2025 10:00:00 +0300\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: base64\n\n"
        f"{_b64('Сколько стоит приём у кардиолога?', 'cp1251')}\n").encode("ascii"))
    assert read_eml(cp1251, zone=MSK)[0].messages[0].text == "Сколько стоит приём у кардиолога?"
    undeclared = tmp_path / "undeclared.eml"  # 8-bit KOI8-R with no charset: read as Russian, not as mojibake
    undeclared.write_bytes(b"From: petr@example.ru\nDate: Mon, 17 Mar 2025 10:00:00 +0300\n\n" +
                           "Спасибо за ответ, до встречи в понедельник".encode("koi8-r"))
    assert read_eml(undeclared)[0].messages[0].text == "Спасибо за ответ, до встречи в понедельник"


def test_html_only_mail_with_an_attachment(tmp_path):
    html = ("<html><head><style>p {color: red}</style></head><body><p>Здравствуйте,&nbsp;Ольга!</p>"
            "<p>Результаты анализов<br>во вложении.</p><ul><li>кровь</li><li>моча</li></ul>"
            "<div>С уважением,<br>Анна</div></body></html>")
    path = tmp_path / "html.eml"
    path.write_bytes((
        "From: Anna <anna@example.ru>\nDate: Tue, 18 Mar 2025 10:00:00 +0300\nSubject: Analizy\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"XX\"\n\n--XX\n"
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        f"{_b64(html, 'utf-8')}\n--XX\nContent-Type: application/pdf; name=\"analizy.pdf\"\n"
        "Content-Disposition: attachment; filename=\"analizy.pdf\"\nContent-Transfer-Encoding: base64\n\n"
        f"{base64.encodebytes(b'%PDF-1.4 ' + bytes(91)).decode('ascii')}\n--XX--\n").encode("ascii"))
    [mail] = read_eml(path)[0].messages
    assert mail.text == "Здравствуйте, Ольга!\n\nРезультаты анализов\nво вложении.\n\n• кровь\n• моча"
    assert mail.signature == "С уважением,\nАнна"
    assert [(a.name, a.size_bytes, a.content_type) for a in mail.attachments] == [("analizy.pdf", 100,
                                                                                   "application/pdf")]


def test_broken_mail_files_are_one_sentence(tmp_path):
    not_mbox = tmp_path / "notes.mbox"
    not_mbox.write_text("\nЗаметки\nFrom here on\n", encoding="utf-8")
    with pytest.raises(WrittenFormatError) as caught:
        read_mbox(not_mbox)
    assert str(caught.value) == 'Line 2 is not the "From " line an mbox mailbox starts with.'
    undated = tmp_path / "undated.mbox"
    undated.write_text("From a@b.c Mon Mar 17 10:00:00 2025\nFrom: a@b.c\n\nhi\n\nFrom x\nSubject: no sender\n\nx\n",
                       encoding="utf-8")
    with pytest.raises(WrittenFormatError, match="Line 6: the mail has no sender"):
        read_mbox(undated)


def test_reply_parts_keep_every_line():
    text = "Спасибо, записала.\n\nС уважением,\nОльга\n\n-----Original Message-----\nFrom: Анна\nSent: вчера\n\nвопрос"
    new, signature, quoted = split_reply(text)
    assert (new, signature) == ("Спасибо, записала.", "С уважением,\nОльга")
    assert quoted.startswith("-----Original Message-----") and quoted.endswith("вопрос")
    assert split_reply("Только текст") == ("Только текст", "", "")
    assert html_to_text("<blockquote><p>старое</p></blockquote><p>новое</p>") == "> старое\n\nновое"
