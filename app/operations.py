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

import itertools
import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
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


class _Courier(QObject):
    """Carries answers from the worker threads to the GUI thread. It lives as long as the application, so a
    worker never touches an operation: the operation, its work and all the work holds (a screen, often) are
    only ever let go of on the GUI thread — a widget destroyed on a worker thread crashes Qt later."""

    answered = Signal(int, object, object)  # operation's number, result, error

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.answered.connect(self._deliver)  # a slot of an object on the GUI thread: queued to it

    def _deliver(self, number: int, result, error: str | None) -> None:
        # Handed over on a 1 ms timer, not at once: an answer that came in while a long turn ran would be put on
        # screen straight after it, in the same pass of the loop, before the timers and input waiting there.
        QTimer.singleShot(1, self, lambda: self._hand_over(number, result, error))

    def _hand_over(self, number: int, result, error: str | None) -> None:
        op = _pending.pop(number, None)
        if op is not None:
            op._deliver(result, error)


_events: WorkspaceEvents | None = None
_courier: _Courier | None = None
_pool: QThreadPool | None = None
_pending: dict[int, CoreOp] = {}
_latest: dict[Hashable, CoreOp] = {}
_numbers = itertools.count(1)


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
    """Operations started and not yet delivered, or delivered and still being put on screen a piece per event-loop
    turn (see `showing_in_steps`); tests wait for 0, closing the window may too."""
    return len(_pending) + len(_showing)


_showing: set[int] = set()


def showing_in_steps(owner: QObject, busy: bool) -> None:
    """`owner` is putting an answer on screen over several event-loop turns (busy) or has finished; meanwhile it
    counts among the pending operations, as the answer is not on screen yet."""
    key = id(owner)
    if busy and key not in _showing:
        _showing.add(key)
        owner.destroyed.connect(lambda *_args: _showing.discard(key))
    elif not busy:
        _showing.discard(key)


def _the_courier() -> _Courier:
    global _courier
    if _courier is None:
        _courier = _Courier(QCoreApplication.instance())
    return _courier


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

    def __init__(self, parent: QObject | None, ws: Workspace, work: Callable[[Workspace], Any], *,
                 changes: Iterable[str] = (), key: Hashable | None = None, title: str = "") -> None:
        super().__init__()  # no Qt parent: kept alive by _pending until delivered, on the GUI thread
        self._parent, self._ws, self._work = parent, ws, work
        self._changes = frozenset(changes)
        if self._changes - TOPICS:
            raise ValueError(f"unknown change topics: {sorted(self._changes - TOPICS)}")
        self._key, self._title = key, title
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[str], None] | None = None

    def success(self, callback: Callable[[Any], None]) -> CoreOp:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[str], None]) -> CoreOp:
        """Instead of the default message box: callback(one sentence)."""
        self._on_failure = callback
        return self

    def run_in_background(self) -> CoreOp:
        number = next(_numbers)
        _pending[number] = self  # holds the work (and what it captured) until the answer is back
        if self._key is not None:
            _latest[self._key] = self  # a newer operation with this key makes this one's result stale
        _the_courier()  # made here, on the GUI thread
        _thread_pool().start(_Job(number, self._work, self._ws))
        return self

    def _deliver(self, result, error: str | None) -> None:  # on the GUI thread, out of _pending
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


def _answer(work: Callable[[Workspace], Any], ws: Workspace) -> tuple[Any, str | None]:  # on a worker thread
    try:
        return work(ws), None
    except KalibraError as exc:
        return None, error_text(exc)
    except Exception as exc:  # a bug: logged with its traceback, said in one sentence
        log.exception("operation failed")
        return None, QCoreApplication.translate(
            "Operations", "Something went wrong ({0}). The details are in the log file.").format(exc.__class__.__name__)


class _Job(QRunnable):
    """The worker's side: the operation's number and its work, never the operation itself."""

    def __init__(self, number: int, work: Callable[[Workspace], Any], ws: Workspace) -> None:
        super().__init__()
        self._number, self._work, self._ws = number, work, ws

    def run(self) -> None:
        work, self._work = self._work, None
        result, error = _answer(work, self._ws)
        del work  # before the answer goes: once it is delivered, the GUI thread's reference may be the last
        _the_courier().answered.emit(self._number, result, error)
