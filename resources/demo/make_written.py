"""Write the demo's e-mail thread as a mail program would: a complaint in Windows-1251 (base64), the clinic's
late answer in UTF-8 with a signature and the quoted complaint, the patient's HTML-only reply in KOI8-R.

The WhatsApp chat beside it (written/*.txt) is written by hand, as a phone exports it. Run from this folder:
python make_written.py — the output is the same every time.
"""

import base64
from pathlib import Path

SUBJECT = "Жалоба: ожидание приёма 40 минут"
COMPLAINT = ("Здравствуйте.\n\nСегодня я ждал приёма у терапевта 40 минут, хотя был записан на 17:00. Администратор\n"
             "сказала, что врач задерживается, но никто не предупредил заранее. Прошу объяснить,\n"
             "почему так вышло, и вернуть деньги за приём, на который я так и не попал.\n\nСергей Николаев\n")
REPLY = ("Сергей, добрый день.\n\nПриносим извинения за ожидание и за то, что мы не предупредили вас заранее. В пятницу\n"
         "терапевт задержался на экстренном вызове. Деньги за приём вернём на карту в течение\n"
         "трёх рабочих дней. Если удобно, запишем вас к терапевту без очереди — ответьте, какой\nдень подходит.\n\n"
         "-- \nИгорь Петров\nадминистратор клиники «Семейный доктор»\n+7 495 000-00-00\n\n"
         "6 нояб. 2026 г., в 18:40, Сергей Николаев <s.nikolaev@mail.example>:\n"
         + "".join("> " + line + "\n" for line in COMPLAINT.strip().split("\n")))
THANKS_HTML = ("<html><body><p>Спасибо за ответ. Запишите, пожалуйста, на четверг после 18:00.</p>"
               "<p>С уважением,<br>Сергей</p></body></html>")


def _word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def _body(text: str, charset: str) -> str:
    return base64.encodebytes(text.encode(charset)).decode()


def mailbox() -> str:
    complaint = (
        "From s.nikolaev@mail.example Fri Nov  6 15:40:00 2026\n"
        f"From: {_word('Сергей Николаев', 'windows-1251')} <s.nikolaev@mail.example>\n"
        f"To: info@semeyny-doktor.example\nSubject: {_word(SUBJECT, 'windows-1251')}\n"
        "Date: Fri, 6 Nov 2026 18:40:00 +0300\nMessage-ID: <20261106184000.1@mail.example>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: base64\n\n"
        + _body(COMPLAINT, "cp1251") + "\n")
    answer = (
        "From info@semeyny-doktor.example Mon Nov  9 09:30:00 2026\n"
        f"From: {_word('Игорь Петров', 'utf-8')} <info@semeyny-doktor.example>\nTo: s.nikolaev@mail.example\n"
        f"Subject: Re: {_word(SUBJECT, 'utf-8')}\nDate: Mon, 9 Nov 2026 12:30:00 +0300\n"
        "Message-ID: <reply-1109@semeyny-doktor.example>\nIn-Reply-To: <20261106184000.1@mail.example>\n"
        "References: <20261106184000.1@mail.example>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + _body(REPLY, "utf-8") + "\n")
    thanks = (
        "From s.nikolaev@mail.example Mon Nov  9 11:02:00 2026\n"
        f"From: s.nikolaev@mail.example\nTo: info@semeyny-doktor.example\nSubject: Re: Re: {_word(SUBJECT, 'koi8-r')}\n"
        "Date: Mon, 9 Nov 2026 14:02:00 +0300\nMessage-ID: <20261109140200.7@mail.example>\n"
        "In-Reply-To: <reply-1109@semeyny-doktor.example>\n"
        "References: <20261106184000.1@mail.example> <reply-1109@semeyny-doktor.example>\nMIME-Version: 1.0\n"
        "Content-Type: text/html; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n" + _body(THANKS_HTML, "koi8-r")
        + "\n")
    return complaint + "\n" + answer + "\n" + thanks


if __name__ == "__main__":
    Path(__file__).with_name("written").joinpath("complaint_waiting.mbox").write_text(mailbox(), encoding="ascii")
