"""The rubric being edited, as plain data that may be invalid mid-edit; no Qt.

The editor changes the data only through these methods; each change is announced to listeners
before and after (as napari's evented lists do), so a Qt item model can adapt it row by row.
Validation is separate: `validate()` runs the same rules as a rubric file.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.i18n import rubric_problem_text
from rubrics import Rubric, RubricError, rubric_from_data

# A section is addressed by (section,), a question by (section, question).
Path = tuple[int, ...]


@dataclass(frozen=True)
class DocumentEvent:
    """kind: inserting/inserted, removing/removed, moving/moved (row ranges under `parent`, None for
    sections), changed (one item at `path`), rubric_changed (rubric-level fields), reset."""

    kind: str
    parent: int | None = None
    row: int = 0
    dest_parent: int | None = None
    dest_row: int = 0
    path: Path = ()


Listener = Callable[[DocumentEvent], None]

DEFAULT_LEVELS = [
    {"value": 0, "label": {"ru": "Не выполнено", "en": "Not done"}},
    {"value": 1, "label": {"ru": "Частично", "en": "Partly"}},
    {"value": 2, "label": {"ru": "Выполнено", "en": "Done"}},
]
DEFAULT_OPTIONS = [
    {"key": "good", "label": {"ru": "Хорошо", "en": "Good"}, "points": 2},
    {"key": "poor", "label": {"ru": "Плохо", "en": "Poor"}, "points": 0},
]


def new_rubric_data(slug: str) -> dict[str, Any]:
    """A small valid rubric to start from: one section with one yes/no question."""
    return {
        "id": slug,
        "title": {"ru": "Новая анкета", "en": "New rubric"},
        "sections": [{
            "id": "section_1", "title": {"ru": "Новый раздел", "en": "New section"}, "weight": 10,
            "questions": [{"id": "question_1", "type": "yes_no",
                           "text": {"ru": "Новый вопрос", "en": "New question"}}],
        }],
    }


class RubricDocument:
    """Editable rubric data (the shape of `Rubric.model_dump()`), with change events and a dirty flag."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = copy.deepcopy(data)
        self.data.setdefault("sections", [])
        self.dirty = False
        self._listeners: list[Listener] = []
        self.known_valid: Rubric | None = None  # the Rubric the data was made from, until the data changes

    @classmethod
    def from_rubric(cls, rubric: Rubric) -> RubricDocument:
        document = cls({})
        document.data = rubric.model_dump(mode="json", exclude_defaults=True)  # fresh: no copy needed
        document.data.setdefault("sections", [])
        document.known_valid = rubric
        return document

    # -- listening ----------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, event: DocumentEvent) -> None:
        self.known_valid = None
        for listener in list(self._listeners):
            listener(event)

    def _changed(self) -> None:
        self.dirty = True

    # -- reading ------------------------------------------------------------------------------------
    @property
    def sections(self) -> list[dict[str, Any]]:
        return self.data["sections"]

    def questions(self, section: int) -> list[dict[str, Any]]:
        return self.sections[section].setdefault("questions", [])

    def item(self, path: Path) -> dict[str, Any]:
        if len(path) == 1:
            return self.sections[path[0]]
        return self.questions(path[0])[path[1]]

    def all_ids(self) -> set[str]:
        ids = {section.get("id", "") for section in self.sections}
        ids |= {question.get("id", "") for section in self.sections for question in section.get("questions", [])}
        return ids

    def validate(self) -> Rubric:
        """The data as a valid Rubric, or RubricError with every problem."""
        return rubric_from_data(copy.deepcopy(self.data), source=self.data.get("id") or "rubric")

    def problems(self) -> list[str]:
        try:
            self.validate()
        except RubricError as exc:
            return [rubric_problem_text(problem) for problem in exc.problems]
        return []

    def _unique_id(self, stem: str) -> str:
        taken = self.all_ids()
        number = 1
        while f"{stem}_{number}" in taken:
            number += 1
        return f"{stem}_{number}"

    # -- rubric-level fields ------------------------------------------------------------------------
    def set_rubric_field(self, key: str, value: Any) -> None:
        if value is None:
            self.data.pop(key, None)
        else:
            self.data[key] = value
        self._changed()
        self._emit(DocumentEvent("rubric_changed"))

    # -- items --------------------------------------------------------------------------------------
    def set_field(self, path: Path, key: str, value: Any) -> None:
        """Set (or, with None, remove) one field of a section or question."""
        item = self.item(path)
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
        self._changed()
        self._emit(DocumentEvent("changed", path=path))

    def add_section(self, row: int | None = None) -> Path:
        """Insert a new section (with one question, so it can be valid) at `row`, the end by default."""
        row = len(self.sections) if row is None else row
        section = {"id": self._unique_id("section"), "title": {"ru": "Новый раздел", "en": "New section"},
                   "weight": 10, "questions": []}
        self._emit(DocumentEvent("inserting", None, row))
        self.sections.insert(row, section)
        self._changed()
        self._emit(DocumentEvent("inserted", None, row))
        self.add_question(row)
        return (row,)

    def add_question(self, section: int, row: int | None = None) -> Path:
        questions = self.questions(section)
        row = len(questions) if row is None else row
        question = {"id": self._unique_id("question"), "type": "yes_no",
                    "text": {"ru": "Новый вопрос", "en": "New question"}}
        self._emit(DocumentEvent("inserting", section, row))
        questions.insert(row, question)
        self._changed()
        self._emit(DocumentEvent("inserted", section, row))
        return (section, row)

    def remove(self, path: Path) -> None:
        parent = path[0] if len(path) == 2 else None
        rows = self.sections if parent is None else self.questions(parent)
        self._emit(DocumentEvent("removing", parent, path[-1]))
        del rows[path[-1]]
        self._changed()
        self._emit(DocumentEvent("removed", parent, path[-1]))

    def move_section(self, row: int, dest_row: int) -> bool:
        """Move a section to stand before `dest_row` (counted before the move). False when nothing moves."""
        return self._move(None, row, None, dest_row)

    def move_question(self, section: int, row: int, dest_section: int, dest_row: int) -> bool:
        """Move a question within or between sections; `dest_row` counts rows before the move."""
        return self._move(section, row, dest_section, dest_row)

    def _move(self, parent: int | None, row: int, dest_parent: int | None, dest_row: int) -> bool:
        source = self.sections if parent is None else self.questions(parent)
        target = self.sections if dest_parent is None else self.questions(dest_parent)
        dest_row = max(0, min(dest_row, len(target)))
        if parent == dest_parent and dest_row in (row, row + 1):
            return False  # dropped onto itself
        self._emit(DocumentEvent("moving", parent, row, dest_parent, dest_row))
        item = source.pop(row)
        if parent == dest_parent and dest_row > row:
            dest_row -= 1
        target.insert(dest_row, item)
        self._changed()
        self._emit(DocumentEvent("moved", parent, row, dest_parent, dest_row))
        return True

    def path_of_location(self, location: str) -> Path | None:
        """The item a problem's location names ("section 'care', question 'q2'"), for jumping to it."""
        section = re.search(r"section '([^']+)'", location)
        question = re.search(r"question '([^']+)'", location)
        if section is None:
            return self.path_of_id(question.group(1)) if question else None
        rows = [i for i, s in enumerate(self.sections) if s.get("id") == section.group(1)]
        if not rows:
            return None
        if question is None:
            return (rows[-1],)
        # The last match: a repeated id is reported where it is repeated, not where it first appears.
        matches = [(s, q) for s in rows for q, item in enumerate(self.questions(s)) if item.get("id") == question.group(1)]
        return matches[-1] if matches else (rows[-1],)

    def path_of_id(self, item_id: str) -> Path | None:
        """Where the section or question with this id is, for jumping to a problem."""
        for s_index, section in enumerate(self.sections):
            if section.get("id") == item_id:
                return (s_index,)
            for q_index, question in enumerate(section.get("questions", [])):
                if question.get("id") == item_id:
                    return (s_index, q_index)
        return None
