"""Import recordings: choose a folder or files and their metadata, watch the progress, read what went wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundTask
from app.form_layout import FormLayout
from app.i18n import error_text
from app.metadata_mapping_step import ADD, MetadataMappingStep
from app.operations import CoreOp
from app.written_identity_step import WrittenIdentityStep
from review.accounts.access import MANAGE_SETTINGS, can
from review.desktop.user_settings import UserSettings, load_settings, save_settings
from review.library.calls import list_operators
from review.library.metadata_sidecar import folder_metadata_file
from review.library.vocabularies import Vocabulary, add_term, load_vocabulary, map_value
from review.workspace import Workspace
from review.written.written_settings import operator_identities


@dataclass(frozen=True)
class ImportChoices:
    """What the dialog's steps offer: the workspace's call kinds and outcomes, its operators, who wrote before."""

    vocabulary: Vocabulary
    operators: list[str]
    known_identities: dict[str, str]


def read_import_choices(ws: Workspace) -> ImportChoices:
    with ws.reading() as session:
        return ImportChoices(load_vocabulary(session), [o.name for o in list_operators(session, ws.actor)],
                             operator_identities(session))


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport
    loaded = Signal()  # the steps are built from what the workspace knows (read off the GUI thread)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, settings: UserSettings | None = None):
        super().__init__(parent)
        self._ws = ws
        self.ready = False  # until the steps are built; Import waits for them
        self._settings = settings if settings is not None else load_settings()
        self._task: BackgroundTask | None = None
        self._found_metadata: Path | None = None  # what the import would find beside the recordings itself
        self.setWindowTitle(self.tr("Import recordings"))
        self.setMinimumWidth(760)
        # Wide enough for the metadata preview's eight fields whole on a 1366 px screen, never past the screen.
        screen = self.screen().availableGeometry()
        self.resize(max(760, min(1000, screen.width() - 40)), max(560, min(700, screen.height() - 40)))

        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText(self.tr("Folder with recordings"))
        browse_folder = QPushButton(self.tr("Folder…"))
        browse_folder.clicked.connect(self._choose_folder)
        browse_files = QPushButton(self.tr("Files…"))
        browse_files.clicked.connect(self._choose_files)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_edit, 1)
        source_row.addWidget(browse_folder)
        source_row.addWidget(browse_files)

        self.template_edit = QLineEdit(self._settings.filename_template)
        self.template_edit.setToolTip(self.tr(
            "Fields: {date} {time} {operator} {direction} {phone} {call_kind} {outcome}; "
            "a metadata.csv beside the recordings takes precedence."))

        form = FormLayout()
        form.addRow(self.tr("Recordings:"), source_row)
        form.addRow(self.tr("File name template:"), self.template_edit)
        self.mapping_step: MetadataMappingStep | None = None
        self.identity_step: WrittenIdentityStep | None = None
        metadata_box = QGroupBox(self.tr("Metadata file (CSV or XLSX)"))
        QVBoxLayout(metadata_box)
        self._metadata_box = metadata_box
        self.identity_box = QGroupBox(self.tr("WhatsApp chats and e-mails: the clinic's operators"))
        QVBoxLayout(self.identity_box)
        self.identity_box.hide()

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.problems = QTreeWidget()
        self.problems.setHeaderLabels([self.tr("File"), self.tr("Problem")])
        self.problems.setRootIsDecorated(False)
        self.problems.hide()

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(metadata_box, 2)
        layout.addWidget(self.identity_box, 2)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        self._paths: list[str] = []
        CoreOp(self, self._ws, read_import_choices, key=("import choices", id(self))).success(self._build_steps) \
            .run_in_background()

    def _build_steps(self, choices: ImportChoices) -> None:
        self.mapping_step = MetadataMappingStep(choices.vocabulary, can(self._ws.actor, MANAGE_SETTINGS))
        self._metadata_box.layout().addWidget(self.mapping_step)
        self.identity_step = WrittenIdentityStep(choices.operators, choices.known_identities)
        self.identity_box.layout().addWidget(self.identity_step)
        self.ready = True
        self.start_button.setEnabled(True)
        if self._paths:  # chosen while the steps were read
            self.set_paths(self._paths)
        self.loaded.emit()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder with recordings"))
        if folder:
            self.set_paths([folder])

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Recordings"), "",
            self.tr("Recordings, chats and e-mails (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac *.txt *.zip *.eml "
                    "*.mbox);;Audio (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac);;WhatsApp chats and e-mails "
                    "(*.txt *.zip *.eml *.mbox)"))
        if files:
            self.set_paths(files)

    def set_paths(self, paths: list[str]) -> None:
        self._paths = [str(p) for p in paths]
        self.source_edit.setText("; ".join(self._paths))
        if not self.ready:
            return  # the steps look at the paths once they are built
        if self._paths:
            folder = self._source_folder(self._paths)
            self._found_metadata, _others = folder_metadata_file(folder)
            self.mapping_step.set_file(self._found_metadata, self._settings.mapping_for_folder(folder))
        self.identity_step.set_paths([Path(p) for p in self._paths])
        self.identity_box.setVisible(bool(self.identity_step.participants))

    @staticmethod
    def _source_folder(paths: list[str]) -> Path:
        first = Path(paths[0])
        return first if first.is_dir() else first.parent

    def _apply_term_decisions(self, then) -> None:
        """Add or map the new call kinds and outcomes as chosen, then `then()`; said why when that failed."""
        decisions = [(t, d) for t, d in self.mapping_step.term_decisions() if d == ADD or d.startswith("map:")]
        if not decisions:
            then()
            return

        def store(ws: Workspace) -> None:
            with ws.changing() as session:
                for term, decision in decisions:
                    if decision == ADD:
                        add_term(session, ws.actor, term.vocabulary, term.code, term.written, term.written)
                    else:
                        map_value(session, ws.actor, term.vocabulary, term.written, decision[4:])

        def refused(sentence: str) -> None:
            self.status.setText(self.tr("The call kinds were not changed: {0}").format(sentence))
            self.start_button.setEnabled(True)

        self.start_button.setEnabled(False)  # not a second click while the terms are stored
        CoreOp(self, self._ws, store, changes={"vocabularies"}).success(lambda _none: then()).failure(refused) \
            .run_in_background()

    def start(self) -> None:
        if not self.ready:
            return
        text = self.source_edit.text()
        # What was browsed to, unless the field was edited afterwards: then what the field says.
        paths = self._paths if self._paths and text == "; ".join(self._paths) else \
            [p.strip() for p in text.split(";") if p.strip()]
        if not paths:
            self.status.setText(self.tr("Choose a folder or files first."))
            return
        template = self.template_edit.text().strip() or None
        metadata_path = self.mapping_step.path()
        choice = self.mapping_step.choice() if metadata_path else None
        if metadata_path is None:
            self._begin(paths, template, None, None)
            return

        def remembered_then_begun() -> None:
            self._settings.remember_mapping(self._source_folder(paths), self.mapping_step.saved_mapping())
            save_settings(self._settings)
            self._begin(paths, template, metadata_path, choice)

        self._apply_term_decisions(remembered_then_begun)

    def _begin(self, paths: list[str], template: str | None, metadata_path: Path | None, choice) -> None:
        # The folder's own file is found by the import itself (and so are those of sub-folders).
        explicit = metadata_path if metadata_path != self._found_metadata else None
        identities = self.identity_step.identities()
        self.start_button.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, 0)
        self.problems.clear()
        self.problems.hide()

        def work(progress, should_cancel):
            from review.library.importing import (
                import_recordings,  # numpy and audio decoders load on first use
            )

            return import_recordings(self._ws.db, self._ws.actor, paths, filename_template=template,
                                     metadata_csv=explicit, metadata=choice, progress=progress,
                                     should_cancel=should_cancel, operator_identities=identities)

        self._task = BackgroundTask(work, self)
        self._task.progressed.connect(self._on_progress)
        self._task.succeeded.connect(self._on_done)
        self._task.failed.connect(self._on_failed)
        self._task.start()

    def _on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(self.tr("Importing {0} of {1}: {2}").format(min(done + 1, total), total, name)
                            if name else "")

    def _on_done(self, report) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        summary = self.tr("Imported: {0}. Already in the library: {1}. Moved: {2}. Skipped: {3}. Problems: {4}. "
                          "Warnings: {5}.").format(report.imported, report.already_present, report.relocated,
                                                   len(report.skipped), len(report.problems), len(report.warnings))
        if report.cancelled:
            summary = self.tr("Cancelled. ") + summary
        if report.stopped:
            summary = self.tr("Import stopped: {0}").format(report.stopped) + " " + summary
        self.status.setText(summary)
        # Every file met is listed with what happened to it; what could not be imported comes first.
        for issues, kind in ((report.problems, None), (report.skipped, self.tr("Skipped")),
                             (report.duplicates, self.tr("Already in the library")),
                             (report.warnings, self.tr("Imported with a warning"))):
            for issue in issues:
                said = error_text(issue.note) if issue.note is not None else issue.reason
                reason = said if kind is None else f"{kind}: {said}"
                item = QTreeWidgetItem([Path(issue.path).name, reason])
                item.setToolTip(0, issue.path)
                item.setToolTip(1, reason)
                self.problems.addTopLevelItem(item)
        self.problems.setVisible(self.problems.topLevelItemCount() > 0)
        self.problems.resizeColumnToContents(0)
        self.cancel_button.setText(self.tr("Close"))
        self.start_button.setEnabled(True)
        self._task = None
        self.imported.emit(report)

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Import stopped: {0}").format(message))
        self.start_button.setEnabled(True)
        self._task = None

    def _cancel_or_close(self) -> None:
        if self._task is not None and self._task.is_running():
            self._task.cancel()
            self.status.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def closeEvent(self, event) -> None:
        if self._task is not None and self._task.is_running():
            self._task.cancel()
            self._task.wait()
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self._task is not None:
            self._cancel_or_close()
            return
        super().keyPressEvent(event)
