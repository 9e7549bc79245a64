"""Fixtures for the Qt layer's tests."""

import os
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.i18n import install_language


@pytest.fixture
def stray_windows(qapp):
    """What is shown as a window of its own other than a main window or a dialog, as "Class text" lines: a
    widget made visible before it has a parent flashes up so, and takes the keyboard from the window in use."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QDialog, QMainWindow

    class StrayWindows(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
            if (event.type() == QEvent.Type.Show and watched.isWidgetType() and watched.isWindow()
                    and not isinstance(watched, QMainWindow | QDialog)):
                self.seen.append(f"{type(watched).__name__} {getattr(watched, 'text', str)()}")
            return False

    stray = StrayWindows()
    qapp.installEventFilter(stray)
    yield stray.seen
    qapp.removeEventFilter(stray)


@pytest.fixture
def russian(qtbot):
    """The Russian interface for one test; English (the source strings other tests read) afterwards."""
    from PySide6.QtCore import QLocale

    previous = QLocale()
    install_language(QApplication.instance(), "ru")
    yield
    install_language(QApplication.instance(), "en")
    QLocale.setDefault(previous)


@pytest.fixture
def english(qtbot):
    """The English interface for one test, whatever the machine's locale; the locale as it was afterwards."""
    from PySide6.QtCore import QLocale

    previous = QLocale()
    install_language(QApplication.instance(), "en")
    yield
    QLocale.setDefault(previous)


# Screens that still query the database on the GUI thread: issue 16 moves them onto app.operations one by
# one, and each leaves this list when it does. Any other app module that runs SQL on the GUI thread fails
# its test.
GUI_THREAD_SQL_ALLOWED: set[str] = set()  # none: start-up too reads off the GUI thread (app/startup_wait.py)
_APP_DIR = str(Path(__file__).resolve().parent.parent.parent / "app") + os.sep


@pytest.fixture(autouse=True)
def _worker_threads_idle(qapp):
    """A test's core calls finish before the next test starts: one still reading when the next test
    truncates the PostgreSQL tables deadlocks that truncation (seen in CI)."""
    yield
    from app.operations import wait_for_operations

    assert wait_for_operations(30000), "core calls still running 30 s after the test"


@pytest.fixture(autouse=True)
def _no_sql_on_the_gui_thread():
    """Fail the test if app code runs a SQL statement on the GUI thread (a frozen window on a remote server)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[str] = []

    def check(_conn, _cursor, statement, *_args) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        frame = sys._getframe(1)
        while frame is not None:  # the innermost app frame is the screen that asked
            name = frame.f_code.co_filename
            if name.startswith(_APP_DIR):
                where = "app/" + name[len(_APP_DIR):].replace(os.sep, "/")
                if where not in GUI_THREAD_SQL_ALLOWED:
                    seen.append(f"{where}:{frame.f_lineno} {frame.f_code.co_name}: {statement.split()[0]}")
                return
            frame = frame.f_back

    event.listen(Engine, "before_cursor_execute", check)
    yield seen
    event.remove(Engine, "before_cursor_execute", check)
    report = os.environ.get("KALIBRA_GUI_SQL_REPORT")  # a survey: which screens still do it, no failure
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in dict.fromkeys(seen))
        return
    assert not seen, "SQL on the GUI thread (run it through app.operations.CoreOp):\n" + "\n".join(
        dict.fromkeys(seen))


@pytest.fixture(autouse=True)
def _english_interface(qapp):
    """Every test starts in the English interface (the source strings), whatever the machine's locale, and
    one that switches the language (a journey, the settings dialog) never leaves it switched."""
    from PySide6.QtCore import QLocale

    if QLocale().language() != QLocale.Language.English:
        install_language(QApplication.instance(), "en")
    yield
    if QLocale().language() != QLocale.Language.English:
        install_language(QApplication.instance(), "en")
