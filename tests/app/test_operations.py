"""Core operations: run off the GUI thread on a real database, results and errors back on it, one change signal."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import select

from app.operations import CoreOp, announce, pending_operations, wait_for_operations, workspace_events
from review.accounts.local_admin import ensure_local_admin
from review.errors import NotFound
from review.library.calls import get_call
from review.models import Operator
from review.workspace import Workspace


@pytest.fixture
def ws(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    return Workspace(sqlite_db, actor)


def _settle(qtbot) -> None:
    qtbot.waitUntil(lambda: pending_operations() == 0, timeout=10000)


def test_work_runs_off_the_gui_thread_and_the_result_comes_back_on_it(qtbot, ws):
    threads, results = [], []

    def work(w: Workspace) -> list[str]:
        threads.append(threading.current_thread())
        with w.changing() as session:
            session.add(Operator(name="Анна"))
        with w.reading() as session:
            return list(session.scalars(select(Operator.name)))

    changed = []
    workspace_events().changed.connect(changed.append)
    CoreOp(None, ws, work, changes={"accounts"}).success(
        lambda names: results.append((names, threading.current_thread()))).run_in_background()
    _settle(qtbot)
    assert threads[0] is not threading.main_thread()
    assert results == [(["Анна"], threading.main_thread())]
    assert changed == [frozenset({"accounts"})]


def test_a_domain_error_reaches_failure_as_one_sentence(qtbot, ws):
    errors, done = [], []

    def missing_call(w: Workspace):
        with w.reading() as session:
            return get_call(session, w.actor, 999)

    CoreOp(None, ws, missing_call).success(done.append).failure(errors.append).run_in_background()
    _settle(qtbot)
    assert done == [] and len(errors) == 1
    assert "999" in errors[0] and "\n" not in errors[0]


def test_a_bug_is_logged_and_said_without_a_traceback(qtbot, ws, caplog):
    errors = []
    CoreOp(None, ws, lambda w: 1 / 0).failure(errors.append).run_in_background()
    _settle(qtbot)
    assert errors == ["Something went wrong (ZeroDivisionError). The details are in the log file."]
    assert "ZeroDivisionError" in caplog.text  # the traceback went to the log


def test_without_a_failure_callback_the_error_is_shown_to_the_user(qtbot, ws, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    owner = QWidget()
    qtbot.addWidget(owner)
    CoreOp(owner, ws, lambda w: (_ for _ in ()).throw(NotFound("Call {id} does not exist.", id=7)),
           title="Open call").run_in_background()
    _settle(qtbot)
    assert shown == [("Open call", "Call 7 does not exist.")]


def test_a_newer_operation_with_the_same_key_wins(qtbot, ws):
    gate = threading.Event()
    shown = []

    def slow(w):
        gate.wait(5)
        return "old"

    CoreOp(None, ws, slow, key="details").success(shown.append).run_in_background()
    CoreOp(None, ws, lambda w: "new", key="details").success(shown.append).run_in_background()
    qtbot.waitUntil(lambda: shown == ["new"])
    gate.set()
    _settle(qtbot)
    assert shown == ["new"]  # the slow, older answer is stale and dropped


def test_no_callback_for_a_screen_that_is_gone_but_the_change_is_announced(qtbot, ws):
    gate = threading.Event()
    shown, changed = [], []
    workspace_events().changed.connect(changed.append)
    owner = QWidget()
    CoreOp(owner, ws, lambda w: gate.wait(5), changes={"calls"}).success(shown.append).run_in_background()
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    gate.set()
    _settle(qtbot)
    assert shown == [] and changed == [frozenset({"calls"})]


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_unknown_change_topics_are_refused(ws):
    with pytest.raises(ValueError, match="unknown change topics"):
        announce({"callz"})
    with pytest.raises(ValueError, match="unknown change topics"):
        CoreOp(None, ws, lambda w: None, changes={"nope"})


def test_what_an_operation_holds_is_let_go_on_the_gui_thread(qtbot, ws):
    """A worker thread must never drop the last reference to the operation or its work: a screen captured by
    the work would then be destroyed off the GUI thread (Qt crashes later on a timer event to a dead object)."""
    from PySide6.QtCore import QCoreApplication

    released: list[threading.Thread] = []

    class Held:
        def __del__(self) -> None:
            released.append(threading.current_thread())

    for _ in range(30):
        held = Held()
        CoreOp(None, ws, lambda w, held=held: held and None).success(lambda _result: None).run_in_background()
        del held
        while pending_operations():  # deliver the moment the answer is posted, as waitSignal's event loop does
            QCoreApplication.processEvents()
        wait_for_operations()
    assert len(released) == 30
    assert set(released) == {threading.main_thread()}
