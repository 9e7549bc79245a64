"""Chats and mails written as WhatsApp and mail programs write them, for the import, search and review tests.

The booking chat's times are chosen for hand-computed response times (clinic hours Mon–Fri 09:00–21:00,
Sat 10:00–18:00, Sunday closed; 12 March 2025 is a Wednesday):
  09:58 patient → 10:04 operator: 6 min; 10:05 and 10:06 patient → 09:10 next day: 10:05–21:00 + 09:00–09:10 =
  39,900 s and 39,840 s; 20:50 patient → 09:10: 10 + 10 min = 1,200 s. First response 360 s, longest 39,900 s.
"""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path

BOOKING_CHAT = """\
12.03.2025, 09:58 - Сообщения и звонки защищены сквозным шифрованием. Никто вне этого чата не может их прочитать.
12.03.2025, 09:58 - Анна Петрова: Здравствуйте! Хочу записаться к терапевту
на четверг, если можно. Мой телефон +7 916 123-45-67
12.03.2025, 10:04 - Клиника Здоровье: Добрый день, Анна! На четверг есть 14:30 и 16:00.
12.03.2025, 10:05 - Анна Петрова: <Медиафайл опущен>
12.03.2025, 10:06 - Анна Петрова: 14:30 подойдёт
12.03.2025, 20:50 - Анна Петрова: Вы меня записали?
13.03.2025, 09:10 - Клиника Здоровье: Да, Анна, вы записаны на четверг, 14:30, к терапевту Соколовой.
"""
BOOKING_WAITS = [None, 360.0, None, 39_900.0, 39_840.0, 1_200.0, None]  # per message, system first

TWO_OPERATORS_CHAT = """\
01.04.2025, 10:00 - Игорь: Добрый день, есть ли запись к ЛОРу?
01.04.2025, 10:03 - Ольга (регистратура): Здравствуйте, Игорь! Уточню и напишу.
01.04.2025, 10:20 - Марина (старший администратор): Игорь, есть окно в 12:00.
01.04.2025, 10:21 - Игорь: Беру!
01.04.2025, 10:25 - Марина (старший администратор): Записала, ждём вас.
"""

IPHONE_CHAT = (
    "\u200e[3/14/25, 8:30:00\u202fPM] City Clinic: \u200eMessages and calls are end-to-end encrypted.\n"
    "[3/14/25, 10:30:00\u202fPM] Anna Smith: Hi, can I book a check-up on Saturday?\n"
    "\u200e[3/14/25, 10:31:00\u202fPM] Anna Smith: \u200e<attached: 00000005-PHOTO-2025-03-14-22-31-00.jpg>\n"
    "[3/15/25, 10:20:00\u202fAM] City Clinic: Good morning! Saturday 12:00 is free.\n"
)


def write_booking_chat(folder: Path, text: str = BOOKING_CHAT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "WhatsApp Chat with Анна Петрова.txt"
    path.write_text(text, encoding="utf-8")
    return path


def write_two_operators_chat(folder: Path) -> Path:
    path = folder / "Чат WhatsApp с Игорь.txt"
    path.write_text(TWO_OPERATORS_CHAT, encoding="utf-8")
    return path


def write_iphone_zip(folder: Path) -> Path:
    path = folder / "WhatsApp Chat - Anna Smith.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", IPHONE_CHAT)
        archive.writestr("00000005-PHOTO-2025-03-14-22-31-00.jpg", b"\xff\xd8" + bytes(2046))
    return path


def _b64(text: str, charset: str = "utf-8") -> str:
    return base64.encodebytes(text.encode(charset)).decode("ascii")


ANSWER = "Павел, приносим извинения за ожидание. Деньги вернём в течение трёх дней.\n\n-- \nОльга Кузнецова\n\n" \
         "> Ждал приёма два часа"


def _word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


def complaint_mbox(folder: Path, *, with_answer: bool = True) -> Path:
    """A complaint by e-mail (KOI8-R, Friday evening) answered late on Monday, and a newsletter no operator
    is part of. Working time: Fri 19:30–21:00 + Sat 10:00–18:00 + Mon 09:00–11:15 = 5,400 + 28,800 + 8,100 s."""
    complaint = (
        "From pavel@example.ru Fri Mar 14 16:30:00 2025\n"
        f"From: {_word('Павел Сидоров', 'koi8-r')} <pavel@example.ru>\nTo: info@zdorovie.ru\n"
        f"Subject: {_word('Жалоба на ожидание', 'koi8-r')}\nDate: Fri, 14 Mar 2025 19:30:00 +0300\n"
        "Message-ID: <c1@example.ru>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=koi8-r\n"
        f"Content-Transfer-Encoding: base64\n\n{_b64('Ждал приёма два часа, врач так и не вышел. Верните деньги.', 'koi8-r')}\n")
    answer = (
        "From info@zdorovie.ru Mon Mar 17 08:15:00 2025\n"
        f"From: {_word('Ольга Кузнецова', 'utf-8')} <info@zdorovie.ru>\nTo: pavel@example.ru\n"
        f"Subject: Re: {_word('Жалоба на ожидание', 'utf-8')}\nDate: Mon, 17 Mar 2025 11:15:00 +0300\nMessage-ID: <a1@zdorovie.ru>\n"
        "In-Reply-To: <c1@example.ru>\nReferences: <c1@example.ru>\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{_b64(ANSWER)}\n")
    newsletter = (
        "From news@shop.example Sat Mar 15 07:00:00 2025\n"
        "From: news@shop.example\nTo: everyone@shop.example\nSubject: Sale\nDate: Sat, 15 Mar 2025 10:00:00 +0300\n"
        "Message-ID: <n1@shop.example>\nContent-Type: text/html; charset=utf-8\n\n<p>Скидки!</p>\n\n")
    path = folder / "inbox.mbox"
    path.write_bytes((complaint + "\n" + (answer + "\n" if with_answer else "") + newsletter).encode("utf-8"))
    return path


COMPLAINT_WAIT_S = 5_400.0 + 28_800.0 + 8_100.0
IDENTITIES = {"Клиника Здоровье": "Ольга Кузнецова", "info@zdorovie.ru": "Ольга Кузнецова",
              "City Clinic": "Ольга Кузнецова", "Ольга (регистратура)": "Ольга Кузнецова",
              "Марина (старший администратор)": "Марина Соколова"}
