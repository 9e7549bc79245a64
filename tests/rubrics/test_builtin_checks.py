"""The built-in rubrics' checks on hand-written calls: each where its phrase is said and where it is not."""

from __future__ import annotations

import pytest

from rubrics import builtin_rubric
from rubrics.check_matching import CallWords, Measure, suggest
from tests.rubrics.test_checks import said

CLINIC = ["Первая кардиоклиника"]
BOOKING = ("customer", 20, "я хотела бы записаться к кардиологу")

CASES = [
    # rubric, question, what was said, suggested answer
    ("inbound_call", "greeting_clinic_and_name",
     [("operator", 0.5, "Первая кардиоклиника, добрый день, меня зовут Анна")], True),
    ("inbound_call", "greeting_clinic_and_name", [("operator", 0.5, "Алло, слушаю")], False),
    ("inbound_call", "greeting_clinic_and_name", [("operator", 0.5, "Клиника, здравствуйте, слушаю вас")], False),
    ("inbound_call", "greeting_offer_help", [("operator", 3, "чем я могу вам помочь?")], True),
    ("inbound_call", "greeting_offer_help", [("operator", 3, "говорите")], False),
    ("inbound_call", "doctor_recommendation", [("operator", 60, "ну у нас все врачи хорошие")], "all_good"),
    ("inbound_call", "doctor_recommendation",
     [("operator", 60, "Ирина Петровна пятнадцать лет ведёт пациентов с аритмией")], None),
    ("inbound_call", "alternative_offered",
     [("operator", 40, "к сожалению на пятницу нет мест"), ("operator", 44, "могу предложить другого врача")], True),
    ("inbound_call", "alternative_offered",
     [("operator", 40, "к сожалению на пятницу нет мест"), ("operator", 44, "звоните на следующей неделе")], False),
    ("inbound_call", "alternative_offered", [("operator", 40, "на пятницу есть время")], None),
    ("inbound_call", "alternative_offered",
     [("customer", 10, "я не могу приехать, у ребёнка температура"), ("operator", 14, "можем направить педиатра на дом")],
     True),
    ("inbound_call", "booking_confirmed",
     [BOOKING, ("operator", 60, "записала вас на среду к доктору Петровой"),
      ("operator", 66, "наш адрес улица Ленина пять")], 3),
    ("inbound_call", "booking_confirmed", [BOOKING, ("operator", 60, "записала вас на среду, на десять утра")], 1),
    ("inbound_call", "booking_confirmed", [BOOKING, ("operator", 60, "хорошо, до свидания")], None),
    ("inbound_call", "booking_confirmed", [("customer", 20, "сколько стоит приём")], None),
    ("inbound_call", "follow_up_agreed",
     [("customer", 50, "я пока подумаю"), ("operator", 55, "давайте я перезвоню вам в четверг")], True),
    ("inbound_call", "follow_up_agreed", [("customer", 50, "я пока подумаю"), ("operator", 55, "всего доброго")],
     False),
    # "Кого посоветуете?" is not "посоветуюсь с мужем": the patient asks for advice, nothing to follow up.
    ("inbound_call", "follow_up_agreed", [("customer", 5, "какого врача вы посоветуете?")], None),
    ("inbound_call", "no_pushy_selling", [("operator", 70, "берите пакет, только сегодня со скидкой")], False),
    ("inbound_call", "no_pushy_selling", [("operator", 70, "пакет можно взять когда вам удобно")], True),
    ("inbound_call", "closing", [("operator", 90, "спасибо за звонок, всего доброго")], True),
    ("inbound_call", "closing", [("operator", 90, "ага")], False),
    ("inbound_call", "not_rude", [("operator", 30, "это не мои проблемы")], False),
    ("inbound_call", "not_rude", [("operator", 30, "давайте разберёмся")], True),
    ("outbound_callback", "opening",
     [("operator", 1, "Здравствуйте, меня зовут Анна, Первая кардиоклиника, вам удобно говорить?")], True),
    ("outbound_callback", "opening", [("operator", 1, "Здравствуйте, меня зовут Анна, Первая кардиоклиника")],
     False),
    ("outbound_callback", "asks_wellbeing", [("operator", 12, "как вы себя сейчас чувствуете?")], True),
    ("outbound_callback", "asks_wellbeing", [("operator", 12, "у нас новая услуга")], False),
    ("outbound_callback", "care_not_advert", [("operator", 12, "у нас сейчас акция на УЗИ")], 1),
    ("outbound_callback", "care_not_advert", [("operator", 12, "доктор просил узнать, как давление")], None),
    ("outbound_callback", "respects_decision", [("operator", 80, "последняя возможность, потом вы пожалеете")],
     False),
    ("outbound_callback", "respects_decision", [("operator", 80, "конечно, решать вам")], True),
    ("outbound_callback", "checkup_reason", [("operator", 20, "по акции осмотр дешевле")], False),
    ("outbound_callback", "checkup_reason", [("operator", 20, "прошёл год с прошлого осмотра")], True),
    ("outbound_callback", "return_reason", [("operator", 20, "подскажите, что помешало продолжить лечение?")], None),
    ("outbound_callback", "return_reason", [("operator", 20, "приходите к нам снова")], 0),
    ("outbound_callback", "not_rude", [("operator", 30, "I already told you that")], False),
    ("outbound_callback", "not_rude", [("operator", 30, "let me explain once more")], True),
]


@pytest.mark.parametrize(("rubric_id", "question_id", "lines", "expected"), CASES,
                         ids=[f"{c[1]}-{n}" for n, c in enumerate(CASES)])
def test_builtin_check_suggests(rubric_id, question_id, lines, expected):
    question = builtin_rubric(rubric_id).question(question_id)
    result = suggest(question, CallWords(said(*lines), clinic_names=CLINIC), {})
    assert result.answer == expected
    assert type(result.answer) is type(expected)


def test_interruptions_measure_on_listening():
    question = builtin_rubric("inbound_call").question("needs_listening")
    assert suggest(question, CallWords([]), {"operator_interruptions": Measure(1)}).answer is True
    assert suggest(question, CallWords([]), {"operator_interruptions": Measure(4)}).answer is False


def test_every_builtin_check_is_tested_here():
    tested = {(c[0], c[1]) for c in CASES} | {("inbound_call", "needs_listening")}
    with_checks = {(r, q.id) for r in ("inbound_call", "outbound_callback")
                   for q in builtin_rubric(r).questions() if q.checks}
    assert with_checks == tested
