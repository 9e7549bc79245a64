"""The review screen's core calls, run off the GUI thread one after another in the order they were asked: a
later answer never overtakes an earlier one, the first answer's stored draft is known to the next, and a call
opened again reads what the writes before it stored."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject

from app.operations import CoreOp
from review.workspace import Workspace


@dataclass
class Step:
    """One core call: `work` on a worker thread, then `done(result)` or `refused(sentence)` on the GUI thread."""

    work: Callable[[Workspace], Any]
    done: Callable[[Any], None]
    refused: Callable[[str], None] | None = None  # None: the screen's own way of showing it
    changes: frozenset[str] = field(default_factory=frozenset)


class OrderedOps(QObject):
    """Each step is prepared (on the GUI thread) only when the ones before it have been delivered, so it reads
    the screen's data as they left it; `prepare` returns the Step, or None when there is nothing to do."""

    def __init__(self, parent: QObject, ws: Workspace, refused: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._ws, self._refused = ws, refused
        self._waiting: deque[tuple[str, Callable[[], Step | None]]] = deque()
        self._running: CoreOp | None = None

    def add(self, prepare: Callable[[], Step | None], kind: str = "") -> None:
        """Queue a step; one of a `kind` ("load") replaces the same kind's waiting one: only the newest counts."""
        if kind:
            self._waiting = deque(item for item in self._waiting if item[0] != kind)
        self._waiting.append((kind, prepare))
        self._next()

    def busy(self) -> bool:
        return self._running is not None or bool(self._waiting)

    def waiting(self, kind: str | None = None) -> int:
        """Steps queued behind the running one (of `kind`, if given)."""
        return sum(1 for item in self._waiting if kind is None or item[0] == kind)

    def _next(self) -> None:
        while self._running is None and self._waiting:
            _kind, prepare = self._waiting.popleft()
            step = prepare()
            if step is None:
                continue
            refused = step.refused or self._refused
            self._running = CoreOp(self.parent(), self._ws, step.work, changes=step.changes).success(
                lambda result, done=step.done: self._finish(done, result)).failure(
                lambda text, refused=refused: self._finish(refused, text))
            self._running.run_in_background()

    def _finish(self, callback: Callable[[Any], None], value: Any) -> None:
        self._running = None
        try:
            callback(value)
        finally:
            self._next()
