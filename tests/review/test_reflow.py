"""E-mail paragraphs joined back for display: a mail program's line breaks go, the writer's stay."""

from __future__ import annotations

from review.written.reflow import reflow

WRAPPED = """\
Здравствуйте.

Сегодня я ждал приёма у терапевта 40 минут, хотя был записан на 17:00.
Администратор сказала, что врач задерживается, но никто не предупредил
заранее. Прошу объяснить, почему так вышло.

Сергей Николаев"""


def test_a_wrapped_paragraph_is_one_line_and_the_short_lines_stay():
    assert reflow(WRAPPED) == (
        "Здравствуйте.\n\n"
        "Сегодня я ждал приёма у терапевта 40 минут, хотя был записан на 17:00. Администратор сказала, что врач "
        "задерживается, но никто не предупредил заранее. Прошу объяснить, почему так вышло.\n\n"
        "Сергей Николаев")


def test_a_line_the_next_word_would_have_fitted_on_is_the_writers_break():
    first = "Добрый день! Подскажите, пожалуйста, какие документы нужны для записи к"
    assert len(first) == 71  # where the mail program wrapped (at 72)
    text = first + "\nкардиологу и нужно ли направление.\nСпасибо.\nС уважением,\nАнна"
    assert reflow(text).split("\n") == [first + " кардиологу и нужно ли направление.", "Спасибо.", "С уважением,",
                                        "Анна"]


def test_list_items_start_their_own_lines_and_take_their_wrapped_words():
    text = ("Для приёма возьмите, пожалуйста, следующие документы, без них запись\n"
            "не подтвердят:\n"
            "- паспорт;\n"
            "- полис ОМС или ДМС, если приём по страховке, и направление от\n"
            "  терапевта;\n"
            "2) результаты анализов.")
    assert reflow(text).split("\n") == [
        "Для приёма возьмите, пожалуйста, следующие документы, без них запись не подтвердят:",
        "- паспорт;",
        "- полис ОМС или ДМС, если приём по страховке, и направление от терапевта;",
        "2) результаты анализов."]


def test_quoted_lines_are_joined_within_their_depth_and_keep_their_mark():
    text = ("Спасибо, жду ответа.\n"
            "\n"
            "9 нояб. 2026 г., в 12:30, Клиника <info@clinic.example>:\n"
            "> Сергей, добрый день. Приносим извинения за ожидание и за то, что мы\n"
            "> не предупредили вас заранее.\n"
            ">\n"
            ">> Сегодня я ждал приёма у терапевта 40 минут, хотя был записан на\n"
            ">> 17:00.")
    assert reflow(text).split("\n") == [
        "Спасибо, жду ответа.",
        "",
        "9 нояб. 2026 г., в 12:30, Клиника <info@clinic.example>:",
        "> Сергей, добрый день. Приносим извинения за ожидание и за то, что мы не предупредили вас заранее.",
        ">",
        "> > Сегодня я ждал приёма у терапевта 40 минут, хотя был записан на 17:00."]


def test_a_mail_of_short_lines_and_a_chat_like_text_are_left_as_they_are():
    short = "Да, подойдёт.\nДо встречи в четверг!\nАнна"
    assert reflow(short) == short
    assert reflow("") == ""


def test_every_word_is_kept_in_order_and_windows_line_ends_are_read():
    text = WRAPPED.replace("\n", "\r\n")
    assert reflow(text).split() == WRAPPED.split()


def test_a_quoted_signature_keeps_its_separator_and_lines():
    first = "Приносим извинения за ожидание и за то, что мы не предупредили вас заранее,"
    second = "администратор клиники позвонит вам сегодня до шести вечера, ждите звонка."
    assert len(second) >= len(first) - 2  # the paragraph's last line as long as the wrap width
    text = f"> {first}\n> {second}\n> -- \n> Игорь Петров\n> +7 495 000-00-00"
    assert reflow(text).split("\n") == [f"> {first} {second}", "> --", "> Игорь Петров", "> +7 495 000-00-00"]
