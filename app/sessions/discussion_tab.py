"""Discussion: suggested growth areas and strengths, chosen or written freely, and the meeting's notes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.conflict_dialog import KEEP_MINE, ask_conflict
from app.empty_hint import EmptyHint
from app.operations import CoreOp
from review.errors import ConflictError
from review.sessions.comparison import Comparison, suggest_notes
from review.sessions.review_sessions import (
    add_note,
    edit_note,
    get_review_session,
    remove_note,
    session_notes,
    set_discussion_notes,
)
from review.workspace import Workspace

CONFLICT = "conflict"  # what a save answers when someone else saved the meeting notes meanwhile


@dataclass(frozen=True)
class NoteRow:
    id: int
    kind: str  # strength | growth
    text: str
    question_id: str | None


@dataclass(frozen=True)
class DiscussionData:
    notes: list[NoteRow]
    meeting: str
    version: int


def read_discussion(session, actor, session_id: int) -> DiscussionData:
    """The session's strengths and growth areas and the meeting's notes, as plain data."""
    notes = [NoteRow(n.id, n.kind, n.text, n.question_id) for n in session_notes(session, actor, session_id)]
    review_session = get_review_session(session, actor, session_id)
    return DiscussionData(notes, review_session.notes or "", review_session.version)


class DiscussionTab(QWidget):
    """`shown` once the notes read are on screen (after opening a session and after every change)."""

    shown = Signal()

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        actor = ws.actor
        self.session_id: int | None = None
        self.loaded_version: int | None = None
        self.suggestions = QListWidget()
        self._suggested: list = []  # what the comparison suggests; those already added are not listed
        self.suggestions_hint = EmptyHint(self.suggestions)
        self.notes = QListWidget()
        self.notes_hint = EmptyHint(self.notes, self.tr(
            "No strengths or growth areas yet: add a suggestion from the left or write one below.")
            if actor.role != "operator" else self.tr("No strengths or growth areas noted yet."))
        self.notes.itemActivated.connect(lambda _item: self._start_edit())  # Enter or double-click
        self.editing_note: int | None = None
        self.edit_note = QPushButton(self.tr("Edit"))
        self.edit_note.clicked.connect(self._start_edit)
        self.remove_note = QPushButton(self.tr("Remove"))
        self.remove_note.clicked.connect(self._remove)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.notes)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._remove)
        self.add_growth = QPushButton(self.tr("Add as growth area"))
        self.add_growth.clicked.connect(lambda: self._add_suggested("growth"))
        self.add_strength = QPushButton(self.tr("Add as strength"))
        self.add_strength.clicked.connect(lambda: self._add_suggested("strength"))
        self.free_kind = QComboBox()
        self.free_kind.addItem(self.tr("Growth area"), "growth")
        self.free_kind.addItem(self.tr("Strength"), "strength")
        self.free_text = QLineEdit()
        self.free_text.setPlaceholderText(self.tr("Or write one freely"))
        self.free_text.returnPressed.connect(self._add_free)
        self.free_add = QPushButton(self.tr("Add"))
        self.free_add.clicked.connect(self._add_free)
        cancel = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.free_text)
        cancel.setContext(Qt.ShortcutContext.WidgetShortcut)
        cancel.activated.connect(self._cancel_edit)
        self.meeting = QPlainTextEdit()
        self.meeting.setPlaceholderText(self.tr("Notes from the meeting"))
        self.save_meeting = QPushButton(self.tr("Save notes"))
        self.save_meeting.clicked.connect(self._save_meeting)
        left = QVBoxLayout()
        label = QLabel(self.tr("Suggested from the lowest scores and the biggest self/supervisor gaps"))
        label.setObjectName("mutedLabel")
        label.setWordWrap(True)
        left.addWidget(label)
        left.addWidget(self.suggestions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_growth)
        buttons.addWidget(self.add_strength)
        buttons.addStretch(1)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Strengths and growth areas")))
        right.addWidget(self.notes)
        note_buttons = QHBoxLayout()
        note_buttons.addWidget(self.edit_note)
        note_buttons.addWidget(self.remove_note)
        note_buttons.addStretch(1)
        right.addLayout(note_buttons)
        free = QHBoxLayout()
        free.addWidget(self.free_kind)
        free.addWidget(self.free_text, 1)
        free.addWidget(self.free_add)
        right.addLayout(free)
        right.addWidget(self.meeting)
        right.addWidget(self.save_meeting, 0, Qt.AlignmentFlag.AlignRight)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        editable = actor.role != "operator"
        for widget in (self.add_growth, self.add_strength, self.free_kind, self.free_text, self.free_add,
                       self.save_meeting, self.edit_note, self.remove_note):
            widget.setVisible(editable)
        self.meeting.setReadOnly(not editable)
        # Edit and Remove act on the chosen note: usable only while one is chosen.
        self.notes.currentItemChanged.connect(lambda *_: self._note_chosen())
        self._note_chosen()

    def show_session(self, session_id: int | None, comparison: Comparison | None,
                     data: DiscussionData | None = None) -> None:
        """Show the session's discussion: `data` when read already (with the session), else read now."""
        self.session_id = session_id
        self._suggested = suggest_notes(comparison) if comparison is not None else []
        self._cancel_edit()
        if data is not None or session_id is None:
            self._show(data)
        else:
            self._load_notes()

    def _fill_suggestions(self, notes) -> None:
        """The suggestions not yet taken: a question already noted (either way) or a text already written is
        left out."""
        taken = {note.question_id for note in notes if note.question_id} | {note.text for note in notes}
        reasons = {"lowest": self.tr("lowest score"), "gap": self.tr("self/supervisor gap"),
                   "full_marks": self.tr("full marks on every call")}
        self.suggestions.clear()
        self.suggestions_hint.set_text(self.tr(
            "Nothing to suggest yet: suggestions appear once the session's calls are scored.") if not self._suggested
            else self.tr("Every suggestion is already among the strengths and growth areas."))
        for suggestion in self._suggested:
            if suggestion.question_id in taken or suggestion.text in taken:
                continue
            kind = self.tr("Growth") if suggestion.kind == "growth" else self.tr("Strength")
            share = f"{suggestion.supervisor_mean * 100:.0f} %" if suggestion.supervisor_mean is not None else "—"
            item = QListWidgetItem(f"{kind}: {suggestion.text} ({reasons[suggestion.reason]}, {share})")
            item.setData(Qt.ItemDataRole.UserRole, (suggestion.question_id, suggestion.text))
            self.suggestions.addItem(item)

    def _load_notes(self) -> None:
        session_id = self.session_id
        if session_id is None:
            self._show(None)
            return

        def read(ws: Workspace) -> DiscussionData:
            with ws.reading() as session:
                return read_discussion(session, ws.actor, session_id)

        CoreOp(self, self._ws, read, key=("discussion", id(self))).success(self._show).run_in_background()

    def _note_chosen(self) -> None:
        chosen = self.notes.currentItem() is not None
        self.edit_note.setEnabled(chosen)
        self.remove_note.setEnabled(chosen)

    def _show(self, data: DiscussionData | None) -> None:
        self.notes.clear()
        notes = data.notes if data is not None else []
        if data is not None:
            self.meeting.setPlainText(data.meeting)
            self.loaded_version = data.version
        for note in notes:
            kind = self.tr("Growth") if note.kind == "growth" else self.tr("Strength")
            item = QListWidgetItem(f"{kind}: {note.text}")
            item.setData(Qt.ItemDataRole.UserRole, (note.id, note.kind, note.text))
            self.notes.addItem(item)
        self._fill_suggestions(notes)
        self.shown.emit()

    def _run(self, work, then=None) -> None:
        """Change the notes off the GUI thread (`work(session, actor)`), then show them as stored."""
        def change(ws: Workspace) -> None:
            with ws.changing() as session:
                work(session, ws.actor)

        def done(_none=None) -> None:
            if then is not None:
                then()
            self._load_notes()

        CoreOp(self, self._ws, change, changes={"sessions"}, title=self.tr("Not saved")).success(done) \
            .failure(self._not_saved).run_in_background()

    def _add_suggested(self, kind: str) -> None:
        item = self.suggestions.currentItem()
        if item is None:
            return
        question_id, text = item.data(Qt.ItemDataRole.UserRole)
        session_id = self.session_id
        self._run(lambda session, actor: add_note(session, actor, session_id, kind, text, question_id))

    def _add_free(self) -> None:
        text, kind, note_id = self.free_text.text(), self.free_kind.currentData(), self.editing_note
        session_id = self.session_id
        if note_id is not None:
            self._run(lambda session, actor: edit_note(session, actor, note_id, text, kind))
        else:
            self._run(lambda session, actor: add_note(session, actor, session_id, kind, text))
        self._cancel_edit()

    def _start_edit(self) -> None:
        """The chosen note goes into the field below to be reworded (or turned over); Enter saves, Esc leaves."""
        item = self.notes.currentItem()
        if item is None or self.actor.role == "operator":
            return
        self.editing_note, kind, text = item.data(Qt.ItemDataRole.UserRole)
        self.free_kind.setCurrentIndex(self.free_kind.findData(kind))
        self.free_text.setText(text)
        self.free_add.setText(self.tr("Save"))
        self.free_text.setFocus()
        self.free_text.selectAll()

    def _cancel_edit(self) -> None:
        self.editing_note = None
        self.free_text.clear()
        self.free_add.setText(self.tr("Add"))

    def _remove(self) -> None:
        item = self.notes.currentItem()
        if item is None or self.actor.role == "operator":
            return
        note_id = item.data(Qt.ItemDataRole.UserRole)[0]
        row = self.notes.currentRow()

        def choose_next() -> None:  # the next one is chosen, so Delete can go on
            self.shown.connect(self._choose_row_once)
            self._next_row = row

        self._run(lambda session, actor: remove_note(session, actor, note_id), choose_next)

    def _choose_row_once(self) -> None:
        self.shown.disconnect(self._choose_row_once)
        if self.notes.count():
            self.notes.setCurrentRow(min(self._next_row, self.notes.count() - 1))

    def _save_meeting(self) -> None:
        text, session_id, version = self.meeting.toPlainText(), self.session_id, self.loaded_version

        def save(ws: Workspace) -> str | None:
            try:
                with ws.changing() as session:
                    set_discussion_notes(session, ws.actor, session_id, text, expected_version=version)
            except ConflictError:
                return CONFLICT
            return None

        def saved(answer: str | None) -> None:
            if answer == CONFLICT and self.ask_conflict() == KEEP_MINE:
                self._run(lambda session, actor: set_discussion_notes(session, actor, session_id, text))
                return
            self._load_notes()

        CoreOp(self, self._ws, save, changes={"sessions"}, title=self.tr("Not saved")).success(saved) \
            .failure(self._not_saved).run_in_background()

    def _not_saved(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("Not saved"), text)
        self._load_notes()

    def ask_conflict(self) -> str:
        """Reload theirs or keep mine (a seam the tests answer without a dialog)."""
        return ask_conflict(self.tr("The meeting notes"), self)
