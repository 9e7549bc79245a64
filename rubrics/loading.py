"""Reading and writing rubrics as YAML, with errors that point at the line at fault.

The YAML text is composed into a node tree first; every node keeps its line, so the location of
a pydantic error (a path of keys and indexes) can be followed through the tree to a line number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rubrics.errors import Phrase, RubricError, RubricProblem, rubric_problem
from rubrics.schema import Rubric, RubricRuleError

Location = tuple[str | int, ...]

# libyaml's loader keeps the same node marks and is several times faster; fall back where it is not built.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Labels for list items, so a message reads "section 'greeting', question 'q2'" instead of an index path:
# the list's key -> (the label by the item's name, the label by its number, the key that names an item).
_ITEM_NAMES = {
    "sections": (Phrase("section '{name}'"), Phrase("section #{number}"), "id"),
    "questions": (Phrase("question '{name}'"), Phrase("question #{number}"), "id"),
    "levels": (Phrase("level '{name}'"), Phrase("level #{number}"), "value"),
    "options": (Phrase("option '{name}'"), Phrase("option #{number}"), "key"),
}
_ANY_ITEM = (Phrase("item '{name}'"), Phrase("item #{number}"), "")

# Pydantic's own errors reworded as templates (the English the same as pydantic's). Params come from the
# error's ctx, plus `field` (the key at fault). Where the filled template is not pydantic's message (another
# pydantic version, a plural), the message stays pydantic's English.
_PYDANTIC_MESSAGES = {
    "greater_than": Phrase("{field}: Input should be greater than {gt}"),
    "greater_than_equal": Phrase("{field}: Input should be greater than or equal to {ge}"),
    "less_than": Phrase("{field}: Input should be less than {lt}"),
    "less_than_equal": Phrase("{field}: Input should be less than or equal to {le}"),
    "string_too_short": Phrase("{field}: String should have at least {min_length} character"),
    "string_too_long": Phrase("{field}: String should have at most {max_length} characters"),
    "too_short": Phrase("{field}: List should have at least {min_length} item after validation, "
                        "not {actual_length}"),
    "int_parsing": Phrase("{field}: Input should be a valid integer, unable to parse string as an integer"),
    "int_type": Phrase("{field}: Input should be a valid integer"),
    "int_from_float": Phrase("{field}: Input should be a valid integer, got a number with a fractional part"),
    "float_parsing": Phrase("{field}: Input should be a valid number, unable to parse string as a number"),
    "float_type": Phrase("{field}: Input should be a valid number"),
    "bool_parsing": Phrase("{field}: Input should be a valid boolean, unable to interpret input"),
    "bool_type": Phrase("{field}: Input should be a valid boolean"),
    "string_type": Phrase("{field}: Input should be a valid string"),
    "list_type": Phrase("{field}: Input should be a valid list"),
    "dict_type": Phrase("{field}: Input should be a valid dictionary"),
    "model_type": Phrase("{field}: Input should be a valid dictionary or instance of {class_name}"),
}


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric YAML file; RubricError names the file, line and problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RubricError(str(path), [rubric_problem(None, "the file is not UTF-8 text ({reason})", reason=exc.reason)]) from exc
    except OSError as exc:
        raise RubricError(str(path), [rubric_problem(None, "cannot read the file: {reason}",
                                                              reason=exc.strerror)]) from exc
    return loads_rubric(text, source=str(path))


def loads_rubric(text: str, source: str = "<rubric>") -> Rubric:
    """Parse and validate rubric YAML text. Either a whole valid Rubric or RubricError."""
    root, data = _parse(text, source)
    if not isinstance(data, dict):
        line = root.start_mark.line + 1 if root is not None else 1
        raise RubricError(source, [rubric_problem(
            line, "a rubric file must be a mapping with id, title and sections")])
    return _validate(data, source, root)


def rubric_from_data(data: Any, source: str = "<editor>") -> Rubric:
    """Validate plain data (as from `Rubric.model_dump()`, edited) into a Rubric.

    The same rules and RubricError as for files, with item names instead of line numbers.
    """
    if not isinstance(data, dict):
        raise RubricError(source, [rubric_problem(None, "a rubric must be a mapping with id, title and sections")])
    return _validate(data, source, None)


def _validate(data: dict[str, Any], source: str, root: yaml.Node | None) -> Rubric:
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        problems = [_problem_from_error(error, root, data) for error in exc.errors()]
        raise RubricError(source, problems) from None


def dump_rubric(rubric: Rubric) -> str:
    """The rubric as YAML text that `loads_rubric` reads back to an equal Rubric."""
    data = rubric.model_dump(mode="json", exclude_defaults=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(_tidy_numbers(data), Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def _parse(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise RubricError(source, [rubric_problem(1, "the file is empty")])
        _refuse_duplicate_keys(root, source)
        return root, loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "unreadable YAML"
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            problem = f"{exc.context} (line {exc.context_mark.line + 1}): {problem}"
        elif exc.context:
            problem = f"{exc.context}: {problem}"
        raise RubricError(source, [rubric_problem(line, "YAML syntax error: {problem}", problem=problem)]) from None
    except yaml.YAMLError as exc:
        raise RubricError(source, [rubric_problem(None, "YAML error: {problem}", problem=str(exc))]) from None
    finally:
        loader.dispose()


def _refuse_duplicate_keys(node: yaml.Node, source: str) -> None:
    # PyYAML keeps the last of two equal keys silently; a rubric author almost always meant something else.
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise RubricError(source, [rubric_problem(
                            key.start_mark.line + 1, "key '{key}' appears twice in the same mapping", key=key.value)])
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _problem_from_error(error: dict[str, Any], root: yaml.Node | None, data: Any) -> RubricProblem:
    location: Location = tuple(error["loc"])
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, RubricRuleError):
        location += cause.path
        phrase = Phrase(cause.template, cause.params)
    else:
        phrase = _plain_message(error, location)
    line = _line_of(root, location) if root is not None else None
    where = _describe_location(data, location)
    located = ", ".join(str(part) for part in where)
    return RubricProblem(line, f"{located}: {phrase}" if located else str(phrase), phrase, where)


def _plain_message(error: dict[str, Any], location: Location) -> Phrase:
    kind = error["type"]
    field = location[-1] if location else ""
    if kind == "missing":
        return Phrase("required field '{field}' is missing", {"field": field})
    if kind == "extra_forbidden":
        return Phrase("unknown field '{field}'", {"field": field})
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return Phrase("'{input}' is not a valid {field}; expected {expected}",
                      {"input": error["input"], "field": field, "expected": expected})
    if kind == "string_pattern_mismatch":
        return Phrase("'{input}' is not a valid {field}: use lower-case latin letters, digits, "
                      "'_' and '-', starting with a letter or digit", {"input": error["input"], "field": field})
    if not (isinstance(field, str) and field):
        return Phrase(_AS_IS, {"message": error["msg"]})
    known = _PYDANTIC_MESSAGES.get(kind)
    if known is not None:
        ctx = {key: f"{value:g}" if isinstance(value, float) else value  # 0.0 reads "0", as pydantic writes it
               for key, value in error.get("ctx", {}).items()}
        phrase = Phrase(known.template, {**ctx, "field": field})
        try:
            if str(phrase) == f"{field}: {error['msg']}":
                return phrase
        except (KeyError, IndexError, ValueError):
            pass
    return Phrase(_FIELD_AS_IS, {"field": field, "message": error["msg"]})


# pydantic's English message, untranslated (not string literals in a Phrase call, so not collected)
_AS_IS = "{message}"
_FIELD_AS_IS = "{field}: {message}"


def _line_of(root: yaml.Node, location: Location) -> int:
    """The line of the deepest node the location reaches (the parent mapping for a missing key)."""
    node = root
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _describe_location(data: Any, location: Location) -> tuple[Phrase, ...]:
    """(section 'needs', question 'q2') for a location inside the rubric data."""
    labels: list[Phrase] = []
    fields: list[str] = []  # keys below the last list item, e.g. "title" in "section 'care', title"
    current = data
    for previous, part in zip((None, *location), location, strict=False):
        if isinstance(part, int) and isinstance(current, list) and part < len(current):
            current = current[part]
            by_name, by_number, key = _ITEM_NAMES.get(previous, _ANY_ITEM)
            label = current.get(key) if isinstance(current, dict) else None
            labels.append(Phrase(by_name.template, {"name": label}) if label is not None
                          else Phrase(by_number.template, {"number": part + 1}))
            fields = []
        elif isinstance(part, str) and isinstance(current, dict) and part in current:
            current = current[part]
            if not isinstance(current, list):
                fields.append(part)
        else:
            break
    # The field the message is about is named by the message itself.
    if fields and location and fields[-1] == location[-1]:
        fields.pop()
    return (*labels, *([Phrase(_AS_IS, {"message": ".".join(fields)})] if fields else []))


def _tidy_numbers(value: Any) -> Any:
    # 10.0 -> 10, so exported files read as written by hand.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _tidy_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy_numbers(item) for item in value]
    return value
