"""A rubric problem reaches a Russian supervisor in Russian: its location and message are translated."""

import importlib.util
import re

import pytest
from PySide6.QtWidgets import QApplication

from app.i18n import error_text, install_language, rubric_error_text, rubric_problem_text
from review.errors import ValidationError
from rubrics import RubricError, builtin_rubric, loads_rubric, rubric_from_data
from tests.conftest import REPO


def _problems(data) -> RubricError:
    with pytest.raises(RubricError) as caught:
        rubric_from_data(data)
    return caught.value


def _broken_inbound_call() -> dict:
    data = builtin_rubric("inbound_call").model_dump(mode="json")
    section = data["sections"][0]
    section["weight"] = 0
    del section["questions"][1]["text"]
    return data


def test_rubric_problems_read_in_russian(russian):
    data = _broken_inbound_call()
    error = _problems(data)
    section, question = data["sections"][0]["id"], data["sections"][0]["questions"][1]["id"]
    texts = [rubric_problem_text(problem) for problem in error.problems]
    assert f"раздел «{section}»: weight: значение должно быть больше 0" in texts
    assert f"раздел «{section}», вопрос «{question}»: не заполнено обязательное поле «text»" in texts
    # English stays as it was: for logs, the CLI and str(error)
    assert f"section '{section}': weight: Input should be greater than 0" in [p.message for p in error.problems]
    assert f"section '{section}', question '{question}': required field 'text' is missing" in str(error)


def test_rule_errors_and_file_lines_read_in_russian(russian):
    text = ("id: demo\ntitle: Демо\nsections:\n  - id: s\n    title: Раздел\n    weight: 1\n"
            "    questions:\n      - id: q\n        type: scale\n        text: Вопрос\n")
    with pytest.raises(RubricError) as caught:
        loads_rubric(text, source="demo.yaml")
    assert str(caught.value) == "demo.yaml, line 8: section 's', question 'q': a scale question needs at least 2 levels"
    russian_text = "demo.yaml, строка 8: раздел «s», вопрос «q»: у вопроса со шкалой должно быть хотя бы 2 уровня"
    assert rubric_error_text(caught.value) == russian_text
    # The rubric store re-raises it as a domain error with the same text (YAML import in the rubrics page).
    wrapped = ValidationError(str(caught.value))
    wrapped.__cause__ = caught.value
    assert error_text(wrapped) == russian_text


def test_untranslated_and_english_text_pass_through(qtbot):
    install_language(QApplication.instance(), "en")
    error = _problems(_broken_inbound_call())
    assert [rubric_problem_text(problem) for problem in error.problems] == [p.message for p in error.problems]
    assert rubric_error_text(error) == str(error)


def test_rubric_templates_are_collected_and_keep_their_placeholders():
    import xml.etree.ElementTree as ET

    spec = importlib.util.spec_from_file_location("translations", REPO / "resources" / "i18n" / "translations.py")
    translations = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(translations)
    templates = translations.rubric_templates()
    assert {"section '{name}'", "question #{number}", "required field '{field}' is missing",
            "{field}: Input should be greater than {gt}", "scale level value {value} is repeated"} <= set(templates)
    contexts = [c for c in ET.parse(translations.TS).getroot().iter("context")
                if c.findtext("name") == "RubricErrors"]
    assert len(contexts) == 1
    shipped = {m.findtext("source"): m.findtext("translation") for m in contexts[0].iter("message")}
    assert set(shipped) == set(templates)
    for source, russian_text in shipped.items():
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", russian_text)), source
