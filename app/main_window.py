"""The main window: a navigation rail on the left, one page per task, menus for the rest."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundTask
from app.i18n import counted, error_text, interface_language
from app.import_dialog import ImportDialog
from app.labels import role_label, speaker_labels
from app.lazy_page import LazyPage
from app.library_page import LibraryPage
from app.operations import CoreOp, pending_operations
from app.review_host import ReviewHost
from app.settings_dialog import SettingsDialog
from app.transcription_controller import TranscriptionController
from app.transcription_status import TranscriptionStatusWidget
from app.view_state import view_state
from review.accounts.access import EXPORT_DATA, IMPORT_CALLS, MANAGE_USERS, TRANSCRIBE, VIEW_REPORTS, can
from review.demo import library_is_empty
from review.desktop.user_settings import save_settings
from review.models import User
from review.scoring.rubric_store import list_rubrics
from review.transcripts.jobs import queue_counts, requeue
from review.transcripts.stored import export_transcript
from review.workspace import Workspace

# Between two steps of building pages ahead: their own reads go first, and input never waits long.
_AHEAD_PAUSE_MS = 150


class _RenderAhead:
    """A step of building pages ahead: render this page slot once off screen."""

    def __init__(self, slot: LazyPage) -> None:
        self.slot, self.laid_out = slot, False


class EmptyLibraryBanner(QWidget):
    """Shown instead of an empty table: the two ways to get calls in."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyBanner")
        title = QLabel(self.tr("The library is empty"))
        title.setObjectName("emptyTitle")
        text = QLabel(self.tr("Import your call recordings, or load the demo workspace: synthetic clinic calls "
                              "with their metadata, to see every screen with real data."))
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton(self.tr("Import recordings…"))
        self.import_button.setObjectName("primaryButton")
        self.demo_button = QPushButton(self.tr("Load demo workspace"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(text)
        layout.addLayout(buttons)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    signed_out = Signal()  # the user asked to sign out: the application asks who signs in next
    account_checked = Signal(bool)  # whether the signed-in account is still as it was
    library_state_shown = Signal()  # the library or the empty banner, whichever the database says
    vocabulary_loaded = Signal()  # the workspace's call kinds and outcomes label the calls

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor, self.settings = ws, ws.actor, ws.settings
        actor = ws.actor
        self.setWindowTitle("Kalibra")
        self.setMinimumSize(1000, 640)
        self._tasks: list[BackgroundTask] = []
        self._closing = False
        self._ahead: list[QWidget] | None = None  # pages (and their parts) still to build ahead of a visit
        self.pages_built_ahead = False

        self.nav = QListWidget()
        self.nav.setObjectName("navRail")
        self.nav.setFixedWidth(190)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setWordWrap(True)
        self.pages = QStackedWidget()

        self.library = LibraryPage(ws)
        self.empty_banner = EmptyLibraryBanner()
        self.empty_banner.import_button.clicked.connect(self.import_recordings)
        self.empty_banner.demo_button.clicked.connect(self.load_demo)
        self.library_stack = QStackedWidget()
        self.library_stack.addWidget(self.library)
        self.library_stack.addWidget(self.empty_banner)
        self.add_page(self.tr("Call library"), self.library_stack)
        self.review_host = ReviewHost(ws)
        self.review_host.queued_call_chosen.connect(self.open_queued_call)
        self.add_page(self.tr("Review"), self.review_host)
        self.search = self.add_lazy_page(self.tr("Search"), self._make_search_page)
        self.sessions = self.add_lazy_page(self.tr("Sessions and goals"), self._make_sessions_page)
        self.rubrics = self.add_lazy_page(self.tr("Rubrics"), self._make_rubrics_page)
        self.reports = self.add_lazy_page(self.tr("Reports"), self._make_reports_page) \
            if can(actor, VIEW_REPORTS) else LazyPage(QWidget)
        if can(actor, MANAGE_USERS):
            self.add_lazy_page(self.tr("Administration"), self._make_users_page)
        self.library.open_call.connect(self.open_call)
        self.library.details.retry_requested.connect(self.retranscribe)
        self.library.details.export_requested.connect(self.export_transcript)
        self.library.source_layout_requested.connect(self.set_source_layout)
        self.library.calibration_requested.connect(self.start_calibration)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.transcription = TranscriptionController(ws, self)
        self.transcription.call_progress.connect(self.library.model.set_progress)
        self.transcription.call_finished.connect(self.library.call_changed)
        self.transcription.call_failed.connect(lambda call_id, _reason: self.library.call_changed(call_id))
        self.transcription.call_started.connect(self.library.call_changed)
        self.transcription.call_given_up.connect(self.library.call_changed)
        self.busy = QProgressBar()
        self.busy.setMaximumWidth(240)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.transcription_status = TranscriptionStatusWidget(self.transcription, ws)
        self.statusBar().addPermanentWidget(self.transcription_status)
        self.statusBar().addPermanentWidget(QLabel(self._database_label()))
        role = role_label(actor.role)
        # "Signed in: Administrator", not "Administrator (Administrator)", when the name is the role's.
        self.signed_in_label = QLabel(self.tr("Signed in: {0} ({1})").format(actor.display_name, role)
                                      if actor.display_name != role else self.tr("Signed in: {0}").format(role))
        self.statusBar().addPermanentWidget(self.signed_in_label)
        self._build_menus()
        self._apply_permissions()
        # On a shared database an administrator may deactivate or re-role this user meanwhile.
        self._account_check = QTimer(self, interval=30_000)
        self._account_check.timeout.connect(self.check_account)
        self._account_check.start()
        self.refresh_vocabulary()
        self._update_empty_state()
        self._restore_state()

    @property
    def workspace(self) -> Workspace:
        """The database, the signed-in user and the settings every screen of this window works with."""
        return self._ws

    def add_page(self, title: str, page: QWidget) -> None:
        self.pages.addWidget(page)
        QListWidgetItem(title, self.nav)

    def add_lazy_page(self, title: str, factory) -> LazyPage:
        page = LazyPage(factory)
        self.add_page(title, page)
        return page

    # Pages other than the library are imported and built on first visit (start-up time).
    def _make_search_page(self) -> QWidget:
        from app.search_page import SearchPage

        page = SearchPage(self._ws, mask_personal_data=self.settings.mask_personal_data)
        page.open_call_at.connect(self.open_call_at)
        return page

    def _make_sessions_page(self) -> QWidget:
        from app.sessions import SessionsPage

        page = SessionsPage(self._ws)
        page.open_call.connect(self.open_call_in_queue)
        return page

    def start_calibration(self, call_ids: list[int]):
        """The sessions page, with the dialog that starts a calibration round on these calls (ticked)."""
        self.nav.setCurrentRow(self.pages.indexOf(self.sessions))
        return self.sessions.build().start_calibration(call_ids)

    def _make_rubrics_page(self) -> QWidget:
        from app.rubric_editor import RubricsPage

        return RubricsPage(self._ws)

    def _make_reports_page(self) -> QWidget:
        from app.reports_page import ReportsPage

        page = ReportsPage(self._ws)
        page.open_call.connect(self.open_call_in_queue)
        return page

    def _make_users_page(self) -> QWidget:
        from app.users_page import UsersPage

        page = UsersPage(self._ws)
        page.vocabulary_changed.connect(self.refresh_vocabulary)
        return page

    def _database_label(self) -> str:
        if self._ws.db.is_sqlite:
            return self.tr("Database: this computer")
        return self.tr("Database: {0}").format(self._ws.db.url)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_action = QAction(self.tr("&Import recordings…"), self, shortcut=QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_recordings)
        self.demo_action = QAction(self.tr("Load &demo workspace"), self)
        self.demo_action.triggered.connect(self.load_demo)
        settings_action = QAction(self.tr("&Settings…"), self, shortcut=QKeySequence("Ctrl+,"))
        settings_action.triggered.connect(self.open_settings)
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        # Only where accounts have passwords: in single-user mode nobody signs in.
        self.sign_out_action = QAction(self.tr("Sign &out…"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.sign_out_action.setVisible(self.actor.password_hash is not None)
        for action in (self.import_action, self.demo_action, settings_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.sign_out_action)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Kalibra"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def sign_out(self) -> None:
        """Close this window; the application shows the sign-in again (another person may take the desk)."""
        app = QApplication.instance()
        app.setQuitOnLastWindowClosed(False)  # the sign-in comes next; the application ends only if it is cancelled
        if self.close():
            self.signed_out.emit()
        else:
            app.setQuitOnLastWindowClosed(True)

    def check_account(self) -> None:
        """Close the window when the signed-in account was deactivated or its role changed (read off the GUI
        thread; account_checked says the answer)."""
        actor_id, role = self.actor.id, self.actor.role

        def still_valid(ws: Workspace) -> bool:
            with ws.reading() as session:
                current = session.get(User, actor_id)
                return current is not None and current.active and current.role == role

        CoreOp(self, self._ws, still_valid, key=("account check", id(self))).success(self._account_checked) \
            .failure(lambda _sentence: None).run_in_background()  # an unreachable server: asked again later

    def _account_checked(self, still_valid: bool) -> None:
        self.account_checked.emit(still_valid)
        if still_valid:
            return
        self._account_check.stop()
        self.actor.active = False  # every service refuses from now on, even before the window is gone
        QMessageBox.warning(self, "Kalibra", self.tr(
            "Your account was deactivated or its role changed. Sign in again to continue."))
        self.close()

    def _apply_permissions(self) -> None:
        """Offer only what the signed-in user may do (the services refuse the rest anyway)."""
        may_import = can(self.actor, IMPORT_CALLS)
        for widget in (self.import_action, self.demo_action, self.empty_banner.import_button,
                       self.empty_banner.demo_button):
            widget.setVisible(may_import)
        self.library.details.retry_button.setVisible(can(self.actor, TRANSCRIBE))
        self.library.details.export_button.setVisible(can(self.actor, EXPORT_DATA))
        self.transcription_status.button.setEnabled(can(self.actor, TRANSCRIBE))

    def _update_empty_state(self) -> None:
        CoreOp(self, self._ws, lambda ws: library_is_empty(ws.db), key=("library empty", id(self))) \
            .success(self._show_library_state).run_in_background()

    def _show_library_state(self, empty: bool) -> None:
        self.library_stack.setCurrentWidget(self.empty_banner if empty else self.library)
        self.library_state_shown.emit()
        QTimer.singleShot(0, self, self._build_review_ahead)

    def refresh_library(self) -> None:
        self.library.refresh()
        self._update_empty_state()

    # -- actions ------------------------------------------------------------------------------------
    def start_transcription_if_waiting(self) -> None:
        """New or unfinished calls are transcribed in the background without being asked (on the desktops of
        those who may transcribe)."""
        if not can(self.actor, TRANSCRIBE):
            self.transcription_status.refresh()
            return

        def waiting(ws: Workspace) -> int:
            with ws.reading() as session:
                return queue_counts(session).queued

        CoreOp(self, self._ws, waiting, key=("queue waiting", id(self))).success(self._start_if_waiting) \
            .run_in_background()

    def _start_if_waiting(self, waiting: int) -> None:
        if waiting and not self.transcription.running:
            self.transcription.start()
        self.transcription_status.refresh()

    def retranscribe(self, call_id: int) -> None:
        def again(ws: Workspace) -> None:
            with ws.changing() as session:
                requeue(session, ws.actor, [call_id], priority=10)

        CoreOp(self, self._ws, again, changes={"transcripts"}, title=self.tr("Transcribe again")).success(
            lambda _none: (self.library.call_changed(call_id), self.start_transcription_if_waiting())) \
            .run_in_background()

    def set_source_layout(self, call_id: int) -> None:
        """Ask for a folder above the call and a layout; every call from there is heard that way."""
        from review.library.source_layouts import source_choices

        def read(ws: Workspace):
            with ws.reading() as session:
                return source_choices(session, ws.actor, call_id)

        CoreOp(self, self._ws, read, key=("source choices", id(self))).success(self._ask_source_layout) \
            .run_in_background()

    def _ask_source_layout(self, choices) -> None:
        from app.source_layout_dialog import SourceLayoutDialog  # numpy with it: not at start-up
        from review.transcripts.hearing import set_source_layout

        dialog = SourceLayoutDialog(choices, list(self.settings.folder_mappings), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        folder, layout = dialog.chosen()

        def store(ws: Workspace):
            with ws.changing() as session:
                return set_source_layout(session, ws.actor, folder, layout)

        CoreOp(self, self._ws, store, changes={"calls", "transcripts"}, title=dialog.windowTitle()) \
            .success(lambda change: self._source_layout_set(folder, change)).run_in_background()

    def _source_layout_set(self, folder: str, change) -> None:
        self.library.refresh()
        self.statusBar().showMessage(self.tr("Channel layout set for %n call(s) from {0}; {1} to be transcribed again.",
                                             "", len(change.call_ids)).format(folder, change.requeued), 8000)
        self.start_transcription_if_waiting()

    def export_transcript(self, call_id: int) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export transcript"), f"call-{call_id}.txt",
            self.tr("Text (*.txt);;Subtitles (*.srt);;JSON with word times (*.json)"))
        if not path:
            return
        fmt = "srt" if "srt" in chosen else "json" if "json" in chosen else "txt"
        labels = speaker_labels()

        def write(ws: Workspace) -> tuple[str | None, str | None]:  # (the file written, or why not)
            try:
                with ws.changing() as session:
                    return export_transcript(session, ws.actor, call_id, path, fmt, labels=labels, masked=True), None
            except OSError as exc:  # a disk full or a folder not writable: said, not logged as a bug
                return None, error_text(exc)

        CoreOp(self, self._ws, write, title=self.tr("Export transcript")).success(self._transcript_exported) \
            .run_in_background()

    def _transcript_exported(self, outcome: tuple[str | None, str | None]) -> None:
        written, problem = outcome
        if problem is not None:
            QMessageBox.warning(self, self.tr("Export transcript"), problem)
            return
        self.statusBar().showMessage(self.tr("Transcript saved (personal data masked): {0}").format(written), 8000)

    def open_call(self, call_id: int) -> None:
        self.open_call_at(call_id, 0.0)

    def open_call_in_queue(self, call_id: int, queue: list) -> None:
        self._open_review(call_id, queue=list(queue))

    def open_queued_call(self, call_id: int) -> None:
        self._open_review(call_id, from_my_queue=True)

    def open_call_at(self, call_id: int, at_s: float) -> None:
        self._open_review(call_id, queue=self.library.visible_call_ids(), at_s=at_s)

    def _open_review(self, call_id: int, *, queue: list[int] | None = None, from_my_queue: bool = False,
                     at_s: float = 0.0) -> None:
        # One review window serves every call: building one holds the loop up for a tenth of a second or more.
        host = self.review_host
        if host.window is None:
            window = host.spare or self._make_review_window()
            host.spare = None
            window.evaluation_submitted.connect(lambda _id: self.library.refresh())
            window.open_call(call_id, queue=queue, from_my_queue=from_my_queue, at_s=at_s)
            host.show_review(window)
            shown = True
        else:  # False: the reviewer stays with the call shown, to answer a question they commented on
            shown = host.window.open_call(call_id, queue=queue, from_my_queue=from_my_queue, at_s=at_s)
        self.nav.setCurrentRow(self.pages.indexOf(host))
        if shown:
            host.window.setFocus()

    def _make_review_window(self):
        from app.review_workspace import ReviewWindow

        return ReviewWindow(self._ws, None, mask_personal_data=self.settings.mask_personal_data,
                            parent=self.review_host)

    def _build_review_ahead(self) -> None:
        # Once the library is on screen, while the user looks at it: the first call opened does not wait for it.
        host = self.review_host
        if host.window is None and host.spare is None and not self._closing:
            host.spare = self._make_review_window()
            host.addWidget(host.spare)
        if self._ahead is None:
            self._ahead = [page for page in map(self.pages.widget, range(self.pages.count()))
                           if isinstance(page, LazyPage)]
            QTimer.singleShot(_AHEAD_PAUSE_MS, self, self._build_next_ahead)

    def _build_next_ahead(self) -> None:
        """The other pages, one step per turn while the user looks at the library: a page is built, then the
        parts it would build when first shown, then it is rendered once off screen at the size it will show
        at (a hidden widget is laid out and painted only when rendered or shown, and a first paint, with its
        text shaped and its glyphs cached, costs most: a rubric's tree 20 ms). A first visit then only
        paints; built when visited, a page stalled the window 40-70 ms in one turn."""
        while self._ahead and isinstance(self._ahead[0], LazyPage) and self._ahead[0].page is not None:
            self._ahead.pop(0)
        if self._ahead and isinstance(self._ahead[0], _RenderAhead) and (
                pending_operations() or getattr(self._ahead[0].slot.page, "showing", False)):
            QTimer.singleShot(_AHEAD_PAUSE_MS, self, self._build_next_ahead)  # rendered with what it read
            return
        if not self._ahead or self._closing:
            self.pages_built_ahead = not self._closing
            return
        step = self._ahead.pop(0)
        if isinstance(step, LazyPage):
            page = step.build()
            page.ensurePolished()
            parts = [part for part in page.findChildren(LazyPage) if part.isVisibleTo(page)]
            self._ahead[:0] = parts + ([_RenderAhead(step)] if step.parentWidget() is self.pages else [])
        elif isinstance(step, _RenderAhead) and not step.slot.isVisible():
            step.slot.resize(self.pages.size())
            if step.laid_out:
                step.slot.grab()
            else:  # laid out (by rendering a pixel) in this turn, painted in the next: one turn took 60-70 ms
                step.slot.grab(QRect(0, 0, 1, 1))
                step.laid_out = True
                self._ahead.insert(0, step)
        QTimer.singleShot(_AHEAD_PAUSE_MS, self, self._build_next_ahead)

    def refresh_vocabulary(self) -> None:
        """Label calls by the workspace's call kinds and outcomes as they stand now."""
        from review.library.vocabularies import load_vocabulary

        def read(ws: Workspace):
            with ws.reading() as session:
                return load_vocabulary(session)

        CoreOp(self, self._ws, read, key=("vocabulary", id(self))).success(self._use_vocabulary).run_in_background()

    def _use_vocabulary(self, vocabulary) -> None:
        from app.labels import use_vocabulary

        use_vocabulary(vocabulary)
        self.library.show_vocabulary()
        self.vocabulary_loaded.emit()

    def import_recordings(self) -> ImportDialog:
        dialog = ImportDialog(self._ws, self, settings=self.settings)
        dialog.imported.connect(lambda _report: (self.refresh_vocabulary(), self.refresh_library(),
                                                 self.start_transcription_if_waiting()))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def load_demo(self) -> BackgroundTask:
        self.demo_action.setEnabled(False)
        self.empty_banner.demo_button.setEnabled(False)
        self.busy.show()
        self.statusBar().showMessage(self.tr("Loading the demo workspace…"))
        from review.demo import create_demo_workspace

        task = BackgroundTask(lambda progress, _cancel: create_demo_workspace(self._ws.db, self.actor, progress), self)
        task.progressed.connect(lambda d, t, _n: (self.busy.setRange(0, max(t, 1)), self.busy.setValue(d)))
        task.succeeded.connect(self._demo_loaded)
        task.failed.connect(self._show_error)
        task.finished.connect(lambda: (self.busy.hide(), self.demo_action.setEnabled(True),
                                       self.empty_banner.demo_button.setEnabled(True), self._tasks.remove(task)))
        self._tasks.append(task)
        task.start()
        return task

    def _demo_loaded(self, report) -> None:
        self.statusBar().showMessage(counted(self.tr("Demo workspace loaded: %n call(s).", "", report.imported),
                                             report.imported), 8000)
        self.refresh_library()
        self.start_transcription_if_waiting()

    def _show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Kalibra", message)

    def open_settings(self) -> None:
        lang = interface_language()

        def read(ws: Workspace) -> list[tuple[str, str]]:
            with ws.reading() as session:
                return [(r.title_in(lang), r.slug) for r in list_rubrics(session)]

        CoreOp(self, self._ws, read, key=("settings rubrics", id(self))).success(self._ask_settings) \
            .run_in_background()

    def _ask_settings(self, rubrics: list[tuple[str, str]]) -> None:
        dialog = SettingsDialog(self.settings, [(slug, title) for title, slug in rubrics], parent=self)
        if dialog.exec():
            self._ws.settings = self.settings = dialog.settings()
            save_settings(self.settings)
            self.transcription.update_settings(self.settings)
            if self.search.page is not None:
                self.search.page.mask_personal_data = self.settings.mask_personal_data

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About Kalibra"), self.tr(
            "Kalibra 0.1 — call quality review for clinic contact centers.\n"
            "Speech recognition runs on this computer; recordings never leave it."))

    # -- window state -------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        state = view_state()
        geometry = state.value("main/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            # First start: most of the screen, centred (a 1366x768 laptop gets the whole of it).
            screen = QGuiApplication.primaryScreen().availableGeometry()
            width, height = min(1440, int(screen.width() * 0.95)), min(900, int(screen.height() * 0.95))
            self.setGeometry(screen.x() + (screen.width() - width) // 2, screen.y() + (screen.height() - height) // 2,
                             width, height)
        splitter = state.value("main/librarySplitter")
        if isinstance(splitter, QByteArray):
            self.library.splitter.restoreState(splitter)

    def closeEvent(self, event) -> None:
        if self.rubrics.page is not None and not self.rubrics.page.confirm_leave(then=self.close):
            event.ignore()
            return
        if self.review_host.window is not None and not self.review_host.window.close():
            event.ignore()  # the reviewer stays to answer a question they commented on
            return
        self._closing = True
        for dialog in self.findChildren(ImportDialog):
            dialog.close()  # cancels a running import and waits for the file in hand
        for task in list(self._tasks):
            task.cancel()
            task.wait()
        self.transcription.pause()
        if self.reports.page is not None:
            self.reports.page.wait_for_tasks()
        state = view_state()
        state.setValue("main/geometry", self.saveGeometry())
        state.setValue("main/librarySplitter", self.library.splitter.saveState())
        super().closeEvent(event)
