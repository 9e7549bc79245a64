"""Start the desktop app: settings, language, stylesheet, database, main window."""

from __future__ import annotations

import gc
import logging
import sys
import traceback

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from app.i18n import error_text, install_language
from resources import STYLESHEET, stylesheet
from review.errors import KalibraError


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("Kalibra")
    QCoreApplication.setApplicationName("Kalibra")
    if app.property("kalibra_styled"):
        # Once per process: replacing the style under live widgets (a second start-up in one process,
        # as in the tests) deletes the style they still point at.
        return app
    app.setProperty("kalibra_styled", True)
    app.setStyle("Fusion")
    # Base font and text colour through the application palette, so widgets that derive their own
    # fonts (titles, badges) scale from the same base.
    font = app.font()
    font.setPointSize(10)
    app.setFont(font)
    palette = app.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(role, QColor("#1f2933"))
    app.setPalette(palette)
    if STYLESHEET.exists():
        app.setStyleSheet(stylesheet())
    return app


def open_main_window(database_url: str | None = None, *, demo_if_empty: bool = False):
    """Open the database and build the main window; errors surface as KalibraError."""
    from app.main_window import MainWindow
    from app.sign_in_dialog import choose_actor
    from app.startup_wait import wait_for
    from review.demo import library_is_empty
    from review.desktop.user_settings import load_settings
    from review.workspace import Workspace, open_workspace

    settings = load_settings()
    install_language(QApplication.instance(), settings.language)
    # The first start names the local administrator in the interface's language (a name, edited like any); a
    # workspace from before that, still with the stock name in another language, follows the language too.
    admin_name = QCoreApplication.translate("Application", "Administrator")
    url = database_url or settings.database_url
    db, _local_admin = wait_for(lambda: open_workspace(url, local_admin_name=admin_name))
    actor = choose_actor(Workspace(db, None, settings))
    if actor is None:  # the user closed the sign-in
        db.dispose()
        return None
    window = MainWindow(Workspace(db, actor, settings))
    if demo_if_empty and wait_for(lambda: library_is_empty(db)):
        window.load_demo()
    return window


def show_unexpected_error(exc_type, exc, tb) -> None:
    """Errors that escape a slot: say so in a dialog (domain errors in their own words), keep running."""
    traceback.print_exception(exc_type, exc, tb)
    logging.getLogger("kalibra.app").error("unexpected error", exc_info=(exc_type, exc, tb))
    if issubclass(exc_type, KalibraError):
        text = error_text(exc)
    else:
        text = QCoreApplication.translate(
            "Application", "Something went wrong: {0}\n\nYour saved work is safe. If this happens again, please "
            "send the message above to your administrator.").format(f"{exc_type.__name__}: {exc}")
    if QApplication.instance() is not None:
        QMessageBox.warning(QApplication.activeWindow(), "Kalibra", text)


def startup_error_text(exc: BaseException, database_url: str | None) -> str:
    """What the start-up dialog says: one sentence for the problem (database troubles in their own words);
    the details go to the log file."""
    from review.desktop.error_log import log_path
    from review.workspace import in_workspace_words

    exc = in_workspace_words(exc, database_url)
    if isinstance(exc, KalibraError):
        return QCoreApplication.translate("Application", "Kalibra cannot open its database.\n\n{0}").format(
            error_text(exc))
    logging.getLogger("kalibra.app").error("start-up failed", exc_info=exc)
    return QCoreApplication.translate("Application", "Kalibra could not start: {0}. The details are in {1}.").format(
        f"{exc.__class__.__name__}: {exc}", str(log_path()))


def run_gui(args) -> int:
    from review.desktop.error_log import configure_logging

    configure_logging()
    app = create_application()
    sys.excepthook = show_unexpected_error
    try:
        window = open_main_window(args.database, demo_if_empty=args.demo_if_empty)
    except Exception as exc:  # whatever stops the start is one message, never a console traceback
        QMessageBox.critical(None, "Kalibra", startup_error_text(exc, args.database))
        return 1
    if window is None:
        return 0
    _show(window, args.database)
    return app.exec()


_open_windows: list = []  # the window on screen; replaced when someone signs out and another signs in


def keep_start_up_out_of_collections() -> None:
    """Put every object alive now (modules, classes, the main window) out of the cyclic garbage collector's
    sight. A full collection walked all of them, about 165,000: 30-120 ms on the GUI thread, in whichever turn
    happened to allocate past its threshold (opening a call, showing a page). What start-up leaves is kept."""
    gc.freeze()


def _show(window, database_url: str | None) -> None:
    window.show()
    keep_start_up_out_of_collections()
    window.start_transcription_if_waiting()
    _open_windows[:] = [window]
    window.signed_out.connect(lambda: QTimer.singleShot(0, lambda: _sign_in_again(database_url)))


def _sign_in_again(database_url: str | None) -> None:
    """After a sign-out: the sign-in dialog again; cancelled, the application ends."""
    try:
        window = open_main_window(database_url)
    except Exception as exc:
        QMessageBox.critical(None, "Kalibra", startup_error_text(exc, database_url))
        QApplication.instance().quit()
        return
    if window is None:
        QApplication.instance().quit()
        return
    QApplication.instance().setQuitOnLastWindowClosed(True)
    _show(window, database_url)
