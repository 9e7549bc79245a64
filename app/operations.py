"""Core operations off the GUI thread: one way to run them, one place their errors are shown, one "changed" signal.

    CoreOp(self, ws, lambda ws: details_of(ws, call_id), key=("details", self)).success(self.show).run_in_background()

`work` runs on a worker thread with the Workspace (review.workspace) and returns plain data; `success` gets
it on the GUI thread. A KalibraError is shown as its one sentence (or handed to `failure`); anything else
is logged with its traceback and shown as one sentence too. `changes` names what the operation changed
("calls", "evaluations"…): once it succeeds, `workspace_events().changed` carries them to every screen
that shows such data, which reloads itself. Anki's CollectionOp and its operation_did_execute hook are
the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import error_text
from review.errors import KalibraError
from review.workspace import Workspace

log = logging.getLogger(__name__)

# What an operation may say it changed; screens listen for the topics they show.
TOPICS = frozenset({"calls", "transcripts", "evaluations", "sessions", "goals", "disputes", "rubrics", "accounts",
                    "vocabularies", "settings"})


class WorkspaceEvents(QObject):
    changed = Signal(object)  # frozenset of TOPICS


_events: WorkspaceEvents | None = None
_pool: QThreadPool | None = None
_pending: set[CoreOp] = set()
_latest: dict[Hashable, CoreOp] = {}


def workspace_events() -> WorkspaceEvents:
    """The one "changed" signal of this application (created on first use, on the GUI thread)."""
    global _events
    if _events is None:
        _events = WorkspaceEvents(QCoreApplication.instance())
    return _events


def announce(topics: Iterable[str]) -> None:
    """Tell every screen that data of these topics changed (after an operation, or a worker's news)."""
    topics = frozenset(topics)
    unknown = topics - TOPICS
    if unknown:
        raise ValueError(f"unknown change topics: {sorted(unknown)}")
    if topics:
        workspace_events().changed.emit(topics)


def pending_operations() -> int:
    """Operations started and not yet delivered (tests wait for 0; closing the window may too)."""
    return len(_pending)


def _thread_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        # Two at a time: a screen's reads need not wait behind a long write, and SQLite serialises
        # writers anyway.
        _pool.setMaxThreadCount(2)
    return _pool


def wait_for_operations(msecs: int = 30000) -> bool:
    """Block until the worker threads are idle (on exit); delivery still needs the event loop."""
    return _thread_pool().waitForDone(msecs)


class CoreOp(QObject):
    """One call into the core, run on a worker thread; see the module's docstring."""

    _finished = Signal(object, object)  # result, error

    def __init__(self, parent: QObject | None, ws: Workspace, work: Callable[[Workspace], Any], *,
                 changes: Iterable[str] = (), key: Hashable | None = None, title: str = "") -> None:
        super().__init__()  # no Qt parent: kept alive by _pending until delivered
        self._parent, self._ws, self._work = parent, ws, work
        self._changes = frozenset(changes)
        if self._changes - TOPICS:
            raise ValueError(f"unknown change topics: {sorted(self._changes - TOPICS)}")
        self._key, self._title = key, title
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[str], None] | None = None
        self._finished.connect(self._deliver)

    def success(self, callback: Callable[[Any], None]) -> CoreOp:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[str], None]) -> CoreOp:
        """Instead of the default message box: callback(one sentence)."""
        self._on_failure = callback
        return self

    def run_in_background(self) -> CoreOp:
        _pending.add(self)
        if self._key is not None:
            _latest[self._key] = self  # a newer operation with this key makes this one's result stale
        _thread_pool().start(_Job(self))
        return self

    def _run(self) -> None:  # on a worker thread
        try:
            result = self._work(self._ws)
        except KalibraError as exc:
            self._finished.emit(None, error_text(exc))
        except Exception as exc:  # a bug: logged with its traceback, said in one sentence
            log.exception("operation failed")
            self._finished.emit(None, QCoreApplication.translate(
                "Operations", "Something went wrong ({0}). The details are in the log file.").format(
                exc.__class__.__name__))
        else:
            self._finished.emit(result, None)

    def _deliver(self, result, error: str | None) -> None:  # on the GUI thread
        _pending.discard(self)
        stale = self._key is not None and _latest.get(self._key) is not self
        if not stale and self._key is not None:
            del _latest[self._key]
        if error is None and self._changes:
            announce(self._changes)  # even when its screen is gone or stale: the data did change
        if stale or (self._parent is not None and not shiboken6.isValid(self._parent)):
            return
        if error is None:
            if self._on_success is not None:
                self._on_success(result)
        elif self._on_failure is not None:
            self._on_failure(error)
        else:
            window = self._parent.window() if isinstance(self._parent, QWidget) else None
            QMessageBox.warning(window, self._title or QCoreApplication.translate("Operations", "Kalibra"), error)


class _Job(QRunnable):
    def __init__(self, op: CoreOp) -> None:
        super().__init__()
        self._op = op

    def run(self) -> None:
        self._op._run()
