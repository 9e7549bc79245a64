"""The Rubrics page: stored rubrics and their versions on the left, the editor on the right.

Published versions are shown read-only; "Edit" starts a draft from the version shown. Every read and write
(review.scoring.rubric_editing, which checks the user's permission) runs off the GUI thread: while a save or
publish is on its way the editor stays as it is, and a refusal is shown in its own words.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
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

from app.i18n import interface_language
from app.lazy_page import LazyPage
from app.operations import CoreOp
from app.rubric_editor.editor_pane import RubricEditorPane
from app.rubric_editor.message_bar import MessageBar
from app.rubric_editor.rubric_document import RubricDocument, new_rubric_data
from app.rubric_editor.rubric_files import RubricFileActions
from app.rubric_editor.rubric_list import RubricListWidget, VersionListWidget
from review.accounts.access import MANAGE_RUBRICS, can
from review.scoring.rubric_editing import (
    OpenedVersion,
    RubricShelf,
    open_rubric,
    open_version,
    publish_rubric,
    read_shelf,
    save_rubric,
)
from review.workspace import Workspace


def _show(widget: QWidget, shown: bool) -> None:
    """Show or hide `widget` when that changes it: a widget's first explicit showing lays out every window
    level above it again, in the turn that asks (this runs on every edit)."""
    if widget.isHidden() == shown:
        widget.setVisible(shown)


class RubricsPage(RubricFileActions, QWidget):
    loaded = Signal()  # a stored version (or the list) read off the GUI thread is shown
    saved = Signal()  # a save, publish or import was stored and is shown
    refused = Signal(str)  # a write was refused; the sentence is in the message bar, the editor as it was
    exported = Signal(str)  # the path a rubric was written to

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        actor = ws.actor
        self._summaries: tuple = ()  # the rubric list as last read
        self._has_draft = False  # the shown rubric has a stored draft (as last read)
        self._busy = False  # a write is on its way: no second one, no leaving the rubric
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
        left.setMinimumWidth(210)  # the names wrap; the editor beside it needs the width at 1366 px
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
        if self.can_edit:  # hidden, never shown: made visible before it has a parent, it would be a window
            self.read_only_note.hide()
        # The editor is built in the turn after the page shows (`editor` builds it at once when asked first).
        self._editor = LazyPage(self._make_editor, deferred=True)
        self._waiting: list[RubricShelf | OpenedVersion] = []  # read before the editor (or the last rubric) was shown
        self._lists_due: RubricShelf | None = None  # the rubric is shown; the lists beside it come next turn
        self._editor.built.connect(lambda _editor: self._editor_built())
        editor_card = QFrame()
        editor_card.setObjectName("card")
        editor_layout = QVBoxLayout(editor_card)
        editor_layout.addLayout(header)
        editor_layout.addWidget(self.message_bar)
        editor_layout.addWidget(self.read_only_note)
        editor_layout.addWidget(self._editor, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(editor_card)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([210, 950])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter, 1)

        self.rubric_list.currentRowChanged.connect(self._rubric_chosen)
        self.version_list.currentRowChanged.connect(self._version_chosen)
        self.new_button.clicked.connect(self.new_rubric)
        self.import_button.clicked.connect(self.import_yaml)
        self.edit_button.clicked.connect(self.start_draft)
        self.save_button.clicked.connect(lambda: self.save())  # not `checked` as `then`
        self.publish_button.clicked.connect(self.publish)
        self.export_button.clicked.connect(self.export_yaml)
        for keys, slot in (("Ctrl+S", lambda: self.save()), ("Ctrl+Shift+P", self.publish), ("Ctrl+E", self.start_draft)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        for widget in (self.new_button, self.import_button):
            widget.setVisible(self.can_edit)  # who may only view rubrics is not shown tools they cannot use
        self.refresh()

    @property
    def showing(self) -> bool:
        """Something read is still on its way to the screen (waiting for the editor, or the tree's turn)."""
        return bool(self._waiting) or self._lists_due is not None

    @property
    def editor(self) -> RubricEditorPane:
        return self._editor.build()

    def _make_editor(self) -> RubricEditorPane:
        editor = RubricEditorPane(self._editor)  # made in its place: a subtree reparented is styled again
        editor.trial_ws = self._ws  # the live test of a question's checks
        editor.edited.connect(self._update_state)
        editor.validity_changed.connect(lambda _valid: self._update_state())
        editor.set_tools_visible(self.can_edit)
        editor.set_editable(False)  # nothing to type in until a rubric is read
        return editor


    # -- loading ------------------------------------------------------------------------------------
    def refresh(self, select_slug: str | None = None) -> None:
        """Re-read the rubric list off the GUI thread; open `select_slug` (or the first rubric) when nothing is
        shown yet. `loaded` follows."""
        focus = select_slug or self.slug
        open_first = select_slug is not None or (self.version_id is None and self.slug is None
                                                 and not self.has_unsaved_changes())

        def read(session) -> RubricShelf | OpenedVersion:
            shelf = read_shelf(session, focus)
            slug = focus or (shelf.summaries[0].slug if shelf.summaries else None)
            return open_rubric(session, slug) if open_first and slug is not None else shelf

        self._read(read)

    def open_rubric(self, slug: str) -> None:
        """Show the rubric's draft when it has one, else its newest published version (`loaded` follows)."""
        self._read(lambda session: open_rubric(session, slug))

    def open_version(self, version_id: int) -> None:
        self._read(lambda session: open_version(session, version_id))

    def _read(self, read) -> None:
        def work(ws: Workspace):
            with ws.reading() as session:
                return read(session)

        CoreOp(self, self._ws, work, key=("rubrics read", id(self))).success(self._show).run_in_background()

    def _show(self, answer: RubricShelf | OpenedVersion) -> None:
        if self._editor.page is None or self._waiting or self._lists_due is not None:
            self._waiting.append(answer)  # the editor is built first, in a turn of its own; answers then in order
            if self._editor.page is None and len(self._waiting) == 1:
                QTimer.singleShot(1, self, self._editor.build)  # unless the page's showing built it meanwhile
            return
        self._show_now(answer)

    def _show_now(self, answer: RubricShelf | OpenedVersion) -> None:
        if isinstance(answer, OpenedVersion) and not self.has_unsaved_changes():  # edits are never thrown away
            # The rubric's tree (laid out and painted for the first time, the dearest part) in this turn, the
            # lists beside it in the next: one turn with both stalled the window.
            self._take_version(answer)
            self._take_shelf(answer.shelf)
            self.editor.set_document(RubricDocument.from_rubric(answer.rubric), editable=self.editing,
                                     id_locked=True)
            self._update_state()
            self._lists_due = answer.shelf
            QTimer.singleShot(1, self, self._show_lists)
            return
        self._show_shelf(answer.shelf if isinstance(answer, OpenedVersion) else answer)
        self.loaded.emit()
        self._show_next_waiting()

    def _show_lists(self) -> None:
        shelf, self._lists_due = self._lists_due, None
        if shelf is None:
            return
        self._fill_lists(shelf)
        self.loaded.emit()
        self._show_next_waiting()

    def _editor_built(self) -> None:
        self._show_next_waiting()

    def _show_next_waiting(self) -> None:
        if self._waiting:  # a timer started now: it cannot fire in the same pass of the loop as this one
            QTimer.singleShot(1, self, self._show_waiting)

    def _show_waiting(self) -> None:
        if self._waiting and self._lists_due is None and self._editor.page is not None:
            self._show_now(self._waiting.pop(0))

    def _take_version(self, opened: OpenedVersion) -> None:
        self.slug, self.version_id = opened.slug, opened.version_id
        self.version_number, self.version_status = opened.number, opened.status
        self.editing = self.version_status == "draft" and self.can_edit
        self.message_bar.clear_message()

    def _show_version(self, opened: OpenedVersion) -> None:
        """The version at once (after a save, a publish or an import): its document, then its lists."""
        self._take_version(opened)
        self.editor.set_document(RubricDocument.from_rubric(opened.rubric), editable=self.editing, id_locked=True)
        self._show_shelf(opened.shelf)

    def _show_shelf(self, shelf: RubricShelf) -> None:
        self._take_shelf(shelf)
        self._fill_lists(shelf)
        self._update_state()

    def _take_shelf(self, shelf: RubricShelf) -> None:
        self._summaries = shelf.summaries
        self._has_draft = self.slug is not None and shelf.slug == self.slug and shelf.has_draft

    def _fill_lists(self, shelf: RubricShelf) -> None:
        self.rubric_list.fill(list(shelf.summaries))
        self.rubric_list.select_slug(self.slug)
        mine = self.slug is not None and shelf.slug == self.slug
        self.version_list.fill(list(shelf.versions) if mine else [])
        self.version_list.select_version(self.version_id)

    def _update_state(self) -> None:
        document = self.editor.document
        data = document.data
        titles = data.get("title") or {}
        title = (titles.get(interface_language()) or titles.get("ru") or data.get("id")) or self.tr("Untitled rubric")
        self.heading.setText(title)
        dirty = document.dirty
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
        if self._busy:
            status += " · " + self.tr("saving…")
        self.status_label.setText(status)
        valid = not self.editor.problems
        _show(self.edit_button, self.can_edit and not self.editing)
        self.edit_button.setText(self.tr("Open draft") if self._has_draft and not self.editing
                                 else self.tr("Edit as new draft"))
        _show(self.save_button, self.can_edit)
        _show(self.publish_button, self.can_edit)
        self.save_button.setEnabled(not self._busy and self.editing and valid
                                    and (dirty or self.version_status != "draft"))
        self.publish_button.setEnabled(not self._busy and self.editing and valid)
        for button in (self.edit_button, self.new_button, self.import_button):
            button.setEnabled(not self._busy)
        self.export_button.setEnabled(self.editor.last_valid is not None)

    def _slug_taken(self, slug: str) -> bool:
        return any(summary.slug == slug for summary in self._summaries)  # the core checks again when storing

    # -- leaving unsaved work -----------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self.editing and (self.editor.document.dirty or self.version_status is None)

    def confirm_leave(self, then=None) -> bool:
        """Before the shown rubric is replaced: save, discard or stay. True when it is fine to go on now; after
        "save" it is False and `then()` runs once the draft is stored."""
        if not self.has_unsaved_changes():
            return True
        if self._busy:
            return False  # its save is on its way; what the answer says decides
        choice = self.ask_unsaved()
        if choice == "save":
            self.save(then=then)
            return False
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
        if not self.confirm_leave(then=lambda: self.open_rubric(slug)):
            self.rubric_list.select_slug(self.slug)
            return
        self.open_rubric(slug)

    def _version_chosen(self, _row: int) -> None:
        version_id = self.version_list.current_version_id()
        if version_id is None or version_id == self.version_id:
            return
        if not self.confirm_leave(then=lambda: self.open_version(version_id)):
            self.version_list.select_version(self.version_id)
            return
        self.open_version(version_id)

    # -- actions ------------------------------------------------------------------------------------
    def start_draft(self) -> None:
        """Edit the shown published version as the next draft (or open the draft that already exists)."""
        if not self.can_edit or self.editing or self._busy:
            return
        if self._has_draft:
            self.open_rubric(self.slug)
            return
        self.editing = True
        self.editor.set_editable(True)
        self.message_bar.show_message(self.tr("Editing a copy of version {0}. It becomes a draft when you save it, "
                                              "and the current version only when you publish it.")
                                      .format(self.version_number))
        self._update_state()

    def new_rubric(self) -> None:
        if not self.can_edit or self._busy or not self.confirm_leave(then=self.new_rubric):
            return
        number = 1
        while self._slug_taken(f"new_rubric_{number}"):
            number += 1
        self.slug = self.version_id = self.version_number = self.version_status = None
        self.editing, self._has_draft = True, False
        self.message_bar.show_message(self.tr("A new rubric: give it an id and a title on the Rubric tab, "
                                              "then add sections and questions."))
        self.editor.set_document(RubricDocument(new_rubric_data(f"new_rubric_{number}")), editable=True,
                                 id_locked=False)
        self.editor.document.dirty = True
        self.rubric_list.select_slug(None)
        self.version_list.fill([])
        self._update_state()

    def _rubric_to_store(self):
        """The edited rubric when it may be stored, else None with the reason shown."""
        rubric = self.editor.validate_now()
        if rubric is None:
            self.message_bar.show_message(self.tr("The rubric cannot be saved until its problems are fixed."),
                                          "error")
            return None
        if self.version_status is None and self._slug_taken(rubric.id):
            self.message_bar.show_message(self.tr("A rubric with the id “{0}” already exists; choose another id "
                                                  "on the Rubric tab.").format(rubric.id), "error")
            return None
        return rubric

    def _write(self, change, done, refusal: str = "{0}") -> None:
        """Run a save, publish or import (`change(session, actor)`) in one transaction off the GUI thread; the
        editor stays as it is until the answer."""
        self._busy = True

        def work(ws: Workspace) -> OpenedVersion:
            with ws.changing() as session:
                return change(session, ws.actor)
        self._update_state()

        def stored(opened: OpenedVersion) -> None:
            self._busy = False
            done(opened)
            self.saved.emit()

        def refused(sentence: str) -> None:
            self._busy = False
            self.message_bar.show_message(refusal.format(sentence), "error")
            self._update_state()
            self.refused.emit(sentence)

        CoreOp(self, self._ws, work, changes={"rubrics"}, key=("rubrics write", id(self))).success(stored) \
            .failure(refused).run_in_background()

    def save(self, then=None) -> bool:
        """Store the editor's rubric as the draft off the GUI thread (`saved` follows, then `then()`); False, with
        the reason shown, when it cannot be stored as it is."""
        if not self.editing or self._busy:
            return False
        rubric = self._rubric_to_store()
        if rubric is None:
            return False
        new = self.version_status is None
        sent = copy.deepcopy(self.editor.document.data)

        def done(opened: OpenedVersion) -> None:
            self._keep_edits(opened, sent)
            if new:
                self.editor.rubric_form.load(self.editor.document.data, id_locked=True)
                self.editor.rubric_form.set_read_only(False)
            self.message_bar.show_message(self.tr("Draft saved as version {0}.").format(self.version_number))
            self._show_shelf(opened.shelf)
            if then is not None:
                then()

        self._write(lambda session, actor: save_rubric(session, actor, rubric, new=new), done)
        return True

    def _keep_edits(self, opened: OpenedVersion, sent: dict) -> None:
        """Take the stored version's numbers; the document stays, clean only if nothing was typed since it went."""
        self.slug, self.version_id = opened.slug, opened.version_id
        self.version_number, self.version_status = opened.number, opened.status
        if self.editor.document.data == sent:
            self.editor.document.dirty = False
        self.editing = self.editing and (opened.status == "draft" or self.editor.document.dirty)
        self.editor.set_editable(self.editing)

    def ask_version_note(self) -> str | None:
        """The note for a new version, or None when the user cancels (a seam tests replace)."""
        note, accepted = QInputDialog.getMultiLineText(
            self, self.tr("Publish version {0}").format(self.version_number or 1),
            self.tr("What changed in this version? Reviewers and operators will see this note."))
        return note if accepted else None

    def publish(self) -> bool:
        """Save (when needed) and publish in one step off the GUI thread; `saved` or `refused` follows."""
        if not self.editing or self._busy:
            return False
        rubric = None
        if self.editor.document.dirty or self.version_status != "draft":
            rubric = self._rubric_to_store()
            if rubric is None:
                return False
        note = self.ask_version_note()
        if note is None:
            return False
        if not note.strip():
            self.message_bar.show_message(self.tr("Describe what changed in this version."), "error")
            return False
        slug, new = rubric.id if rubric is not None else self.slug, self.version_status is None
        sent = copy.deepcopy(self.editor.document.data)

        def done(opened: OpenedVersion) -> None:
            if self.editor.document.data == sent:
                self._show_version(opened)
            else:  # typed while it was published: those edits stay, as the start of the next draft
                self._keep_edits(opened, sent)
                self._show_shelf(opened.shelf)
            self.message_bar.show_message(self.tr("Version {0} published. Evaluations made with earlier versions "
                                                  "keep their scores.").format(opened.number))

        self._write(lambda session, actor: publish_rubric(session, actor, slug, note, rubric, new=new), done)
        return True
