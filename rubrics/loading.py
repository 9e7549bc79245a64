"""Reading and writing rubrics as YAML, with errors that point at the line at fault.

The YAML text is composed into a node tree first; every node keeps its line, so the location of
a pydantic error (a path of keys and indexes) can be followed through the tree to a line number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rubrics.errors import RubricError, RubricProblem
from rubrics.schema import Rubric, RubricRuleError

Location = tuple[str | int, ...]

# libyaml's loader keeps the same node marks and is several times faster; fall back where it is not built.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Labels for list items, so a message reads "section 'greeting', question 'q2'" instead of an index path.
_ITEM_NAMES = {"sections": ("section", "id"), "questions": ("question", "id"),
               "levels": ("level", "value"), "options": ("option", "key")}


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric YAML file; RubricError names the file, line and problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RubricError(str(path), [RubricProblem(None, f"the file is not UTF-8 text ({exc.reason})")]) from exc
    except OSError as exc:
        raise RubricError(str(path), [RubricProblem(None, f"cannot read the file: {exc.strerror}")]) from exc
    return loads_rubric(text, source=str(path))


def loads_rubric(text: str, source: str = "<rubric>") -> Rubric:
    """Parse and validate rubric YAML text. Either a whole valid Rubric or RubricError."""
    root, data = _parse(text, source)
    if not isinstance(data, dict):
        line = root.start_mark.line + 1 if root is not None else 1
        raise RubricError(source, [RubricProblem(line, "a rubric file must be a mapping with id, title and sections")])
    return _validate(data, source, root)


def rubric_from_data(data: Any, source: str = "<editor>") -> Rubric:
    """Validate plain data (as from `Rubric.model_dump()`, edited) into a Rubric.

    The same rules and RubricError as for files, with item names instead of line numbers.
    """
    if not isinstance(data, dict):
        raise RubricError(source, [RubricProblem(None, "a rubric must be a mapping with id, title and sections")])
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
            raise RubricError(source, [RubricProblem(1, "the file is empty")])
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
        raise RubricError(source, [RubricProblem(line, f"YAML syntax error: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise RubricError(source, [RubricProblem(None, f"YAML error: {exc}")]) from None
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
                        raise RubricError(source, [RubricProblem(
                            key.start_mark.line + 1, f"key '{key.value}' appears twice in the same mapping")])
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _problem_from_error(error: dict[str, Any], root: yaml.Node | None, data: Any) -> RubricProblem:
    location: Location = tuple(error["loc"])
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, RubricRuleError):
        location += cause.path
        message = str(cause)
    else:
        message = _plain_message(error, location)
    line = _line_of(root, location) if root is not None else None
    where = _describe_location(data, location)
    return RubricProblem(line, f"{where}: {message}" if where else message)


def _plain_message(error: dict[str, Any], location: Location) -> str:
    kind = error["type"]
    field = location[-1] if location else ""
    if kind == "missing":
        return f"required field '{field}' is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{error['input']}' is not a valid {field}; expected {expected}"
    if kind == "string_pattern_mismatch":
        return (f"'{error['input']}' is not a valid {field}: use lower-case latin letters, digits, "
                "'_' and '-', starting with a letter or digit")
    return f"{field}: {error['msg']}" if isinstance(field, str) and field else error["msg"]


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


def _describe_location(data: Any, location: Location) -> str:
    """'section 'needs', question 'q2'' for a location inside the rubric data."""
    labels: list[str] = []
    fields: list[str] = []  # keys below the last list item, e.g. "title" in "section 'care', title"
    current = data
    for previous, part in zip((None, *location), location, strict=False):
        if isinstance(part, int) and isinstance(current, list) and part < len(current):
            current = current[part]
            name, key = _ITEM_NAMES.get(previous, ("item", ""))
            label = current.get(key) if isinstance(current, dict) else None
            labels.append(f"{name} '{label}'" if label is not None else f"{name} #{part + 1}")
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
    return ", ".join(labels + ([".".join(fields)] if fields else []))


def _tidy_numbers(value: Any) -> Any:
    # 10.0 -> 10, so exported files read as written by hand.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _tidy_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy_numbers(item) for item in value]
    return value
