"""The Rubrics page: stored rubrics and their versions on the left, the editor on the right.

Published versions are shown read-only; "Edit" starts a draft from the version shown. Saving,
publishing, import and export go through review.scoring.rubric_store, which checks the user's permission.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text, interface_language
from app.rubric_editor.editor_pane import RubricEditorPane
from app.rubric_editor.message_bar import MessageBar
from app.rubric_editor.rubric_document import RubricDocument, new_rubric_data
from app.rubric_editor.rubric_list import RubricListWidget, VersionListWidget
from review.accounts.access import MANAGE_RUBRICS, can
from review.storage.db import Database
from review.errors import KalibraError
from review.models import User
from review.scoring.rubric_store import (
    draft_of,
    export_rubric_file,
    get_version,
    import_rubric_file,
    latest_published,
    list_rubrics,
    publish,
    rubric_of,
    save_draft,
    versions_of,
)
from rubrics import dump_rubric


class RubricsPage(QWidget):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.can_edit = can(actor, MANAGE_RUBRICS)
        self.slug: str | None = None  # the stored rubric shown; None for a new, never saved one
        self.version_id: int | None = None  # the stored version shown; None when not stored yet
        self.version_number: int | None = None
        self.version_status: str | None = None  # draft | published | None (new)
        self.editing = False

        self.rubric_list = RubricListWidget()
        self.version_list = VersionListWidget()
        self.new_button = QPushButton(self.tr("New rubric"))
        self.import_button = QPushButton(self.tr("Import YAML…"))
        versions_title = QLabel(self.tr("Versions"))
        versions_title.setObjectName("paneTitle")
        rubrics_title = QLabel(self.tr("Rubrics"))
        rubrics_title.setObjectName("paneTitle")
        left = QFrame()
        left.setObjectName("card")
        left.setMinimumWidth(250)
        left.setMaximumWidth(340)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(rubrics_title)
        left_layout.addWidget(self.rubric_list, 3)
        list_buttons = QVBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.import_button)
        left_layout.addLayout(list_buttons)
        left_layout.addSpacing(6)
        left_layout.addWidget(versions_title)
        left_layout.addWidget(self.version_list, 2)

        self.heading = QLabel()
        self.heading.setObjectName("paneTitle")
        self.status_label = QLabel()
        self.status_label.setObjectName("mutedLabel")
        self.edit_button = QPushButton(self.tr("Edit as new draft"))
        self.save_button = QPushButton(self.tr("Save draft"))
        self.publish_button = QPushButton(self.tr("Publish…"))
        self.publish_button.setObjectName("primaryButton")
        self.export_button = QPushButton(self.tr("Export YAML…"))
        self.edit_button.setToolTip(self.tr("Published versions never change; edit a copy as the next version (Ctrl+E)"))
        self.save_button.setToolTip(self.tr("Save the draft without publishing it (Ctrl+S)"))
        self.publish_button.setToolTip(self.tr("Make the draft the current version, with a note (Ctrl+Shift+P)"))
        # Title on its own line, actions below it: Russian labels need the full width at 1366 px.
        self.heading.setWordWrap(True)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self.heading)
        self.status_label.setWordWrap(True)
        header.addWidget(self.status_label)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.edit_button, self.export_button, self.save_button, self.publish_button):
            actions.addWidget(button)
        header.addLayout(actions)
        self.message_bar = MessageBar()
        self.read_only_note = QLabel(self.tr("You can view rubrics; editing them needs the rubric manager "
                                             "permission."))
        self.read_only_note.setObjectName("mutedLabel")
        self.read_only_note.setVisible(not self.can_edit)
        self.editor = RubricEditorPane()
        editor_card = QFrame()
        editor_card.setObjectName("card")
        editor_layout = QVBoxLayout(editor_card)
        editor_layout.addLayout(header)
        editor_layout.addWidget(self.message_bar)
        editor_layout.addWidget(self.read_only_note)
        editor_layout.addWidget(self.editor, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(editor_card)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 910])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter, 1)

        self.rubric_list.currentRowChanged.connect(self._rubric_chosen)
        self.version_list.currentRowChanged.connect(self._version_chosen)
        self.new_button.clicked.connect(self.new_rubric)
        self.import_button.clicked.connect(self.import_yaml)
        self.edit_button.clicked.connect(self.start_draft)
        self.save_button.clicked.connect(self.save)
        self.publish_button.clicked.connect(self.publish)
        self.export_button.clicked.connect(self.export_yaml)
        self.editor.edited.connect(self._update_state)
        self.editor.validity_changed.connect(lambda _valid: self._update_state())
        for keys, slot in (("Ctrl+S", self.save), ("Ctrl+Shift+P", self.publish), ("Ctrl+E", self.start_draft)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        for widget in (self.new_button, self.import_button):
            widget.setEnabled(self.can_edit)

        self.refresh()

    # -- loading ------------------------------------------------------------------------------------
    def refresh(self, select_slug: str | None = None) -> None:
        """Re-read the rubric list; show `select_slug` (or the first rubric) when nothing is shown yet."""
        with self.db.sessions() as session:
            summaries = list_rubrics(session)
        self.rubric_list.fill(summaries)
        slug = select_slug or self.slug or (summaries[0].slug if summaries else None)
        self.rubric_list.select_slug(slug)
        if slug is not None and (select_slug is not None or self.version_id is None and self.slug is None):
            self.open_rubric(slug)
        else:
            self._fill_versions()
            self._update_state()

    def open_rubric(self, slug: str) -> None:
        """Show the rubric's draft when it has one, else its newest published version."""
        with self.db.sessions() as session:
            draft = draft_of(session, slug)
            version = draft or latest_published(session, slug)
            version_id = version.id
        self.open_version(version_id)

    def open_version(self, version_id: int) -> None:
        with self.db.sessions() as session:
            version = get_version(session, version_id)
            rubric = rubric_of(version)
            self.slug, self.version_id = version.rubric.slug, version.id
            self.version_number, self.version_status = version.number, version.status
        self.editing = self.version_status == "draft" and self.can_edit
        self.message_bar.clear_message()
        self.editor.set_document(RubricDocument.from_rubric(rubric), editable=self.editing, id_locked=True)
        self.rubric_list.select_slug(self.slug)
        self._fill_versions()
        self._update_state()

    def _fill_versions(self) -> None:
        if self.slug is None:
            self.version_list.fill([])
            return
        with self.db.sessions() as session:
            self.version_list.fill(versions_of(session, self.slug))
        self.version_list.select_version(self.version_id)

    def _update_state(self) -> None:
        data = self.editor.document.data
        titles = data.get("title") or {}
        title = (titles.get(interface_language()) or titles.get("ru") or data.get("id")) or self.tr("Untitled rubric")
        self.heading.setText(title)
        dirty = self.editor.document.dirty
        if self.version_status is None:
            status = self.tr("New rubric, not saved yet")
        elif self.version_status == "draft":
            status = self.tr("Draft of version {0}").format(self.version_number)
        elif self.editing:
            status = self.tr("New draft from version {0}, not saved yet").format(self.version_number)
        else:
            status = self.tr("Version {0}, published — read-only").format(self.version_number)
        if dirty and self.version_status is not None:
            status += " · " + self.tr("unsaved changes")
        self.status_label.setText(status)
        valid = not self.editor.problems
        self.edit_button.setVisible(self.can_edit and not self.editing)
        self.edit_button.setText(self.tr("Open draft") if self._stored_draft_exists() and not self.editing
                                 else self.tr("Edit as new draft"))
        self.save_button.setVisible(self.can_edit)
        self.publish_button.setVisible(self.can_edit)
        self.save_button.setEnabled(self.editing and valid and (dirty or self.version_status != "draft"))
        self.publish_button.setEnabled(self.editing and valid)
        self.export_button.setEnabled(self.editor.last_valid is not None)

    def _stored_draft_exists(self) -> bool:
        if self.slug is None:
            return False
        with self.db.sessions() as session:
            return draft_of(session, self.slug) is not None

    # -- leaving unsaved work -----------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self.editing and (self.editor.document.dirty or self.version_status is None)

    def confirm_leave(self) -> bool:
        """Before the shown rubric is replaced: save, discard or stay. True when it is fine to go on."""
        if not self.has_unsaved_changes():
            return True
        choice = self.ask_unsaved()
        if choice == "save":
            return self.save()
        return choice == "discard"

    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel' (a seam tests replace)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          self.tr("The rubric has unsaved changes. Save them as a draft?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def _rubric_chosen(self, _row: int) -> None:
        slug = self.rubric_list.current_slug()
        if slug is None or slug == self.slug and self.version_status is not None:
            return
        if not self.confirm_leave():
            self.rubric_list.select_slug(self.slug)
            return
        self.open_rubric(slug)

    def _version_chosen(self, _row: int) -> None:
        version_id = self.version_list.current_version_id()
        if version_id is None or version_id == self.version_id:
            return
        if not self.confirm_leave():
            self.version_list.select_version(self.version_id)
            return
        self.open_version(version_id)

    # -- actions ------------------------------------------------------------------------------------
    def start_draft(self) -> None:
        """Edit the shown published version as the next draft (or open the draft that already exists)."""
        if not self.can_edit or self.editing:
            return
        if self._stored_draft_exists():
            self.open_rubric(self.slug)
            return
        self.editing = True
        self.editor.set_editable(True)
        self.message_bar.show_message(self.tr("Editing a copy of version {0}. It becomes a draft when you save it, "
                                              "and the current version only when you publish it.")
                                      .format(self.version_number))
        self._update_state()

    def new_rubric(self) -> None:
        if not self.can_edit or not self.confirm_leave():
            return
        number = 1
        while self._slug_taken(f"new_rubric_{number}"):
            number += 1
        self.slug = self.version_id = self.version_number = self.version_status = None
        self.editing = True
        self.message_bar.show_message(self.tr("A new rubric: give it an id and a title on the Rubric tab, "
                                              "then add sections and questions."))
        self.editor.set_document(RubricDocument(new_rubric_data(f"new_rubric_{number}")), editable=True,
                                 id_locked=False)
        self.editor.document.dirty = True
        self.rubric_list.select_slug(None)
        self._fill_versions()
        self._update_state()

    def save(self) -> bool:
        """Store the editor's rubric as the draft; False (with the problems shown) when it cannot be."""
        if not self.editing:
            return False
        rubric = self.editor.validate_now()
        if rubric is None:
            self.message_bar.show_message(self.tr("The rubric cannot be saved until its problems are fixed."),
                                          "error")
            return False
        if self.version_status is None and self._slug_taken(rubric.id):
            self.message_bar.show_message(self.tr("A rubric with the id “{0}” already exists; choose another id "
                                                  "on the Rubric tab.").format(rubric.id), "error")
            return False
        try:
            with self.db.unit_of_work() as session:
                draft = save_draft(session, self.actor, rubric)
                version_id = draft.id
        except KalibraError as exc:
            self.message_bar.show_message(error_text(exc), "error")
            return False
        self.editor.document.dirty = False
        self.slug, self.version_id = rubric.id, version_id
        self.version_status = "draft"
        with self.db.sessions() as session:
            self.version_number = get_version(session, version_id).number
        self.message_bar.show_message(self.tr("Draft saved as version {0}.").format(self.version_number))
        self.editor.rubric_form.load(self.editor.document.data, id_locked=True)
        self.editor.rubric_form.set_read_only(False)
        self.refresh()
        return True

    def _slug_taken(self, slug: str) -> bool:
        with self.db.sessions() as session:
            return any(summary.slug == slug for summary in list_rubrics(session))

    def ask_version_note(self) -> str | None:
        """The note for a new version, or None when the user cancels (a seam tests replace)."""
        note, accepted = QInputDialog.getMultiLineText(
            self, self.tr("Publish version {0}").format(self.version_number or 1),
            self.tr("What changed in this version? Reviewers and operators will see this note."))
        return note if accepted else None

    def publish(self) -> bool:
        if not self.editing:
            return False
        if (self.editor.document.dirty or self.version_status != "draft") and not self.save():
            return False
        note = self.ask_version_note()
        if note is None:
            return False
        if not note.strip():
            self.message_bar.show_message(self.tr("Describe what changed in this version."), "error")
            return False
        try:
            with self.db.unit_of_work() as session:
                version = publish(session, self.actor, self.slug, note)
                version_id, number = version.id, version.number
        except KalibraError as exc:
            self.message_bar.show_message(error_text(exc), "error")
            return False
        self.open_version(version_id)
        self.refresh()
        self.message_bar.show_message(self.tr("Version {0} published. Evaluations made with earlier versions "
                                              "keep their scores.").format(number))
        return True

    def choose_import_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a rubric"), "",
                                              self.tr("Rubric files (*.yaml *.yml)"))
        return path or None

    def import_yaml(self) -> bool:
        """Read a rubric file as a draft; a file with any problem changes nothing and its problems are shown."""
        if not self.can_edit or not self.confirm_leave():
            return False
        path = self.choose_import_path()
        if not path:
            return False
        try:
            with self.db.unit_of_work() as session:
                draft = import_rubric_file(session, self.actor, path)
                slug = draft.rubric.slug
        except KalibraError as exc:
            self.message_bar.show_message(self.tr("The file was not imported; nothing was changed.\n{0}")
                                          .format(error_text(exc)), "error")
            return False
        self.slug = None
        self.refresh(select_slug=slug)
        self.message_bar.show_message(self.tr("Imported {0} as a draft. Check it, then publish it.")
                                      .format(Path(path).name))
        return True

    def choose_export_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the rubric"), suggested,
                                              self.tr("Rubric files (*.yaml *.yml)"))
        return path or None

    def export_yaml(self) -> bool:
        """Write what the editor shows: the stored version, or the edited rubric when it has changes."""
        rubric = self.editor.last_valid
        if rubric is None:
            return False
        suffix = f"-v{self.version_number}" if self.version_number else ""
        path = self.choose_export_path(f"{rubric.id}{suffix}.yaml")
        if not path:
            return False
        try:
            if self.version_id is not None and not self.editor.document.dirty:
                with self.db.sessions() as session:
                    export_rubric_file(get_version(session, self.version_id), path)
            else:
                rubric = self.editor.validate_now()
                if rubric is None:
                    self.message_bar.show_message(self.tr("Fix the rubric's problems before exporting it."), "error")
                    return False
                Path(path).write_text(dump_rubric(rubric), encoding="utf-8")
        except OSError as exc:
            self.message_bar.show_message(self.tr("Cannot write {0}: {1}").format(path, exc.strerror), "error")
            return False
        self.message_bar.show_message(self.tr("Exported to {0}.").format(path))
        return True
