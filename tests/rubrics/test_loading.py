"""Loading rubric YAML: each kind of bad file is refused whole, with the file, line and problem named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import rubrics.loading
from rubrics import Rubric, RubricError, dump_rubric, load_rubric, loads_rubric, rubric_from_data

VALID = """\
id: demo
title: {ru: Демо, en: Demo}
require_weights_sum: 100
sections:
  - id: greeting
    title: Приветствие
    weight: 40
    questions:
      - id: hello
        type: yes_no
        text: Поздоровался
      - id: polite
        type: yes_no
        fatal: true
        text: Без грубости
  - id: needs
    title: Потребность
    weight: 60
    questions:
      - id: needs_found
        type: scale
        text: Выяснил потребность
        levels:
          - {value: 0, label: Нет}
          - {value: 3, label: Полностью}
      - id: outcome
        type: choice
        text: Итог
        options:
          - {key: booked, label: Записал, points: 2}
          - {key: none, label: Нет, points: 0}
"""


@pytest.fixture(autouse=True, params=["libyaml", "pure"])
def yaml_loader(request, monkeypatch):
    """Run every case with libyaml's loader (when built) and with PyYAML's pure-Python one."""
    if request.param == "pure":
        monkeypatch.setattr(rubrics.loading, "_Loader", yaml.SafeLoader)
    else:
        assert yaml.__with_libyaml__, "PyYAML's wheel is built with libyaml; this one is not"


def _replace(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def _error(text: str, source: str = "demo.yaml") -> RubricError:
    with pytest.raises(RubricError) as caught:
        loads_rubric(text, source=source)
    return caught.value


def test_valid_text_loads():
    rubric = loads_rubric(VALID)
    assert isinstance(rubric, Rubric)
    assert [s.id for s in rubric.sections] == ["greeting", "needs"]
    assert rubric.question("needs_found").max_points == 3
    assert rubric.question("outcome").max_points == 2
    assert rubric.title.get("en") == "Demo"
    assert rubric.sections[0].title.get("en") == "Приветствие"  # no translation: falls back to Russian


def test_yaml_syntax_error_names_line():
    error = _error(_replace("        text: Поздоровался\n", "        text: [Поздоровался\n"))
    assert error.source == "demo.yaml"
    assert "YAML syntax error" in str(error)
    assert str(error).startswith("demo.yaml, line ")
    assert error.line in (11, 12)  # the scanner notices the unclosed bracket at the next key


def test_bad_indentation_names_line():
    error = _error(_replace("    weight: 40\n", "   weight: 40\n"))
    assert "YAML syntax error" in str(error)
    assert error.line == 7


def test_duplicate_question_id_names_the_second_one():
    error = _error(_replace("      - id: needs_found\n", "      - id: hello\n"))
    assert error.line == 20
    assert "question id 'hello' is used twice (first in section 'greeting')" in str(error)
    assert str(error).startswith("demo.yaml, line 20: section 'needs', question 'hello'")


def test_duplicate_section_id():
    error = _error(_replace("  - id: needs\n", "  - id: greeting\n"))
    assert error.line == 16
    assert "section id 'greeting' is used twice" in str(error)


def test_weights_that_do_not_add_up():
    error = _error(_replace("    weight: 60\n", "    weight: 50\n"))
    assert error.line == 3  # the require_weights_sum line
    assert "add up to 90 (greeting 40 + needs 50), but require_weights_sum is 100" in str(error)


def test_weights_may_be_anything_without_require_weights_sum():
    rubric = loads_rubric(_replace("require_weights_sum: 100\n", "").replace("weight: 60", "weight: 7"))
    assert sum(s.weight for s in rubric.sections) == 47


def test_fatal_flag_on_scale_question():
    text = _replace("        type: scale\n", "        type: scale\n        fatal: true\n")
    error = _error(text)
    assert error.line == 22
    assert "only yes/no questions can be fatal" in str(error)
    assert "question 'needs_found'" in str(error)


def test_scale_with_no_levels():
    text = _replace(
        "        levels:\n          - {value: 0, label: Нет}\n          - {value: 3, label: Полностью}\n", ""
    )
    error = _error(text)
    assert error.line == 20  # the question's own line: there is no levels key to point at
    assert "a scale question needs at least 2 levels" in str(error)


def test_scale_with_one_level_points_at_levels():
    error = _error(_replace("          - {value: 3, label: Полностью}\n", ""))
    assert error.line == 24
    assert "at least 2 levels" in str(error)


def test_repeated_scale_level():
    error = _error(_replace("{value: 3, label: Полностью}", "{value: 0, label: Полностью}"))
    assert error.line == 25
    assert "scale level value 0 is repeated" in str(error)


def test_choice_with_no_options():
    text = _replace(
        "        options:\n          - {key: booked, label: Записал, points: 2}\n"
        "          - {key: none, label: Нет, points: 0}\n",
        "        options: []\n",
    )
    error = _error(text)
    assert error.line == 29
    assert "a choice question needs at least 2 options" in str(error)


def test_unknown_question_type():
    error = _error(_replace("        type: choice\n", "        type: multiple\n"))
    assert error.line == 27
    assert "'multiple' is not a valid type; expected 'yes_no', 'scale', 'choice' or 'note'" in str(error)
    assert "question 'outcome'" in str(error)


def test_missing_field_points_at_the_mapping():
    error = _error(_replace("        text: Итог\n", ""))
    assert error.line == 26  # "- id: outcome"
    assert "required field 'text' is missing" in str(error)


def test_missing_weight():
    error = _error(_replace("    weight: 40\n", ""))
    assert error.line == 5
    assert "section 'greeting': required field 'weight' is missing" in str(error)


def test_unknown_field_is_a_typo_not_ignored():
    error = _error(_replace("    weight: 40\n", "    wieght: 40\n"))
    assert "unknown field 'wieght'" in str(error)
    assert any(p.line == 7 for p in error.problems)
    assert any("required field 'weight' is missing" in p.message for p in error.problems)


def test_unknown_field_in_nested_title_names_the_field_path():
    error = _error(_replace("    title: Потребность\n", "    title: {ru: Потребность, de: Bedarf}\n"))
    assert error.line == 17
    assert "section 'needs', title: unknown field 'de'" in str(error)


def test_duplicate_yaml_key():
    error = _error(_replace("        text: Поздоровался\n", "        text: Поздоровался\n        text: Привет\n"))
    assert error.line == 12
    assert "key 'text' appears twice" in str(error)


def test_bad_slug():
    error = _error(_replace("  - id: needs\n", "  - id: Needs Section\n"))
    assert error.line == 16
    assert "'Needs Section' is not a valid id" in str(error)


def test_several_problems_are_all_reported():
    text = _replace("        type: choice\n", "        type: multiple\n").replace("    weight: 40\n", "    weight: -1\n")
    error = _error(text)
    assert sorted(p.line for p in error.problems) == [7, 27]
    assert len(str(error).splitlines()) == 2


def test_not_a_mapping_and_empty_text():
    assert _error("- just\n- a list\n").line == 1
    assert "must be a mapping" in str(_error("- just\n- a list\n"))
    assert "the file is empty" in str(_error(""))


def test_load_rubric_names_the_file(tmp_path: Path):
    path = tmp_path / "clinic.yaml"
    path.write_text(_replace("    weight: 60\n", "    weight: 50\n"), encoding="utf-8")
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert str(caught.value).startswith(f"{path}, line 3: ")


def test_load_rubric_missing_and_non_utf8_files(tmp_path: Path):
    with pytest.raises(RubricError, match="cannot read the file"):
        load_rubric(tmp_path / "absent.yaml")
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Привет".encode("cp1251"))
    with pytest.raises(RubricError, match="not UTF-8"):
        load_rubric(path)


def test_load_rubric_from_file(tmp_path: Path):
    path = tmp_path / "ok.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert load_rubric(path) == loads_rubric(VALID)


def test_dump_and_load_round_trip():
    rubric = loads_rubric(VALID)
    text = dump_rubric(rubric)
    assert loads_rubric(text) == rubric
    assert "weight: 40\n" in text  # integral floats are written as integers
    assert "Приветствие" in text  # Russian is written as text, not escapes
    assert dump_rubric(loads_rubric(text)) == text


def test_rubric_from_data_names_items_without_lines():
    data = loads_rubric(VALID).model_dump()
    data["sections"][1]["questions"][0]["id"] = "hello"
    with pytest.raises(RubricError) as caught:
        rubric_from_data(data, source="editor")
    assert caught.value.line is None
    assert str(caught.value) == (
        "editor: section 'needs', question 'hello': question id 'hello' is used twice (first in section 'greeting')"
    )
    assert rubric_from_data(loads_rubric(VALID).model_dump()) == loads_rubric(VALID)
