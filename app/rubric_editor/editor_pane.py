"""The editing surface: the section/question tree, the form of the selected item, problems, preview."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import counted, interface_language, rubric_problem_text
from app.lazy_page import LazyPage, LazyTabWidget
from app.rubric_editor.preview import RubricPreview
from app.rubric_editor.question_form import QuestionForm
from app.rubric_editor.rubric_document import DocumentEvent, Path, RubricDocument
from app.rubric_editor.rubric_tree_model import RubricTreeModel
from app.rubric_editor.rubric_tree_view import RubricTreeView
from app.rubric_editor.section_form import RubricForm, SectionForm
from rubrics import Rubric, RubricError

VALIDATION_DELAY_MS = 250  # re-validate once typing pauses, not on every key
EXPANDED_ROWS_PER_TURN = 60  # a longer rubric's tree is opened in steps, this many rows each


class _FormColumn(QVBoxLayout):
    """A form's column in its scroll area, as tall as its fields want at its width (a scroll bar beyond): a
    scroll area shrinks a plain column to the viewport down to its fields' minimums, and the style sheet's
    min-height left a text box a line and a half."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt naming
        return super().heightForWidth(width) if super().hasHeightForWidth() else self.sizeHint().height()


def _scrolled(make_form, parent: QWidget) -> QScrollArea:
    """`make_form(holder)` in a scroll area made in `parent`. Each widget is made in its parent, a container
    placed before it is filled: under the style sheet a subtree built parentless is styled again on every
    reparenting."""
    area = QScrollArea(parent)
    area.setObjectName("editorFormArea")  # white like the tab it sits in (style.qss)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # The form narrows with the pane down to its minimum; below that a scroll bar, never clipped fields.
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    holder = QWidget()
    area.setWidget(holder)
    layout = _FormColumn(holder)
    layout.setContentsMargins(12, 12, 16, 12)
    layout.addWidget(make_form(holder))
    layout.addStretch(1)
    return area


class RubricEditorPane(QWidget):
    """Edits one RubricDocument. `edited` fires on every change; `validity_changed(bool)` after checks."""

    edited = Signal()
    validity_changed = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        lang = interface_language()
        self.document = RubricDocument({"id": "", "title": {"ru": ""}, "sections": []})
        self.editable = False
        self.last_valid: Rubric | None = None
        self.problems: list[str] = []
        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATION_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate_now)
        self._expanding = QTimer(self, singleShot=True, interval=1)  # a long rubric's tree opens in steps
        self._expanding.timeout.connect(self._expand_some)
        self._unexpanded = 0  # the first section not yet expanded

        # Built top-down (see _scrolled): each container is in its parent before its contents are made.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(self)
        layout.addWidget(self.splitter)
        tree_pane = QWidget()
        self.splitter.addWidget(tree_pane)
        tree_layout = QVBoxLayout(tree_pane)
        tree_layout.setContentsMargins(0, 0, 0, 0)

        # -- tree and its toolbar ---------------------------------------------------------------------
        tools = QHBoxLayout()
        tools.setSpacing(4)
        tree_layout.addLayout(tools)
        self.add_section_button = QPushButton(self.tr("+ Section"), tree_pane)
        self.add_section_button.setToolTip(self.tr("Add a section after the selected one (Shift+Ins)"))
        self.add_question_button = QPushButton(self.tr("+ Question"), tree_pane)
        self.add_question_button.setToolTip(self.tr("Add a question after the selected one (Ins)"))
        self.remove_button = QPushButton(self.tr("Remove"), tree_pane)
        self.remove_button.setToolTip(self.tr("Remove the selected section or question (Del)"))
        self.up_button = QPushButton("↑", tree_pane)
        self.up_button.setToolTip(self.tr("Move up (Alt+Up); or drag with the mouse"))
        self.down_button = QPushButton("↓", tree_pane)
        self.down_button.setToolTip(self.tr("Move down (Alt+Down); or drag with the mouse"))
        for button in (self.up_button, self.down_button):
            button.setFixedWidth(34)
        self.add_section_button.clicked.connect(self.add_section)
        self.add_question_button.clicked.connect(self.add_question)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(+1))
        for button in (self.add_section_button, self.add_question_button, self.remove_button):
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.up_button)
        tools.addWidget(self.down_button)

        self.model = RubricTreeModel(self.document, lang, self)
        self.tree = RubricTreeView(self.model, tree_pane)
        tree_layout.addWidget(self.tree, 1)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.installEventFilter(self)

        self.problems_title = QLabel(tree_pane)
        tree_layout.addWidget(self.problems_title)
        self.problems_list = QListWidget(tree_pane)
        tree_layout.addWidget(self.problems_list)
        self.problems_list.setObjectName("problemsList")
        self.problems_list.setMaximumHeight(110)
        self.problems_list.setWordWrap(True)
        self.problems_list.setStyleSheet("QListWidget#problemsList { color: #b42318; background: #fff6f5; "
                                         "border: 1px solid #f3c4bf; }")
        self.problems_list.itemActivated.connect(self._go_to_problem)
        self.problems_list.itemClicked.connect(self._go_to_problem)

        # -- forms and preview --------------------------------------------------------------------------
        # The question form, the Rubric tab and the preview are built when first shown or asked for (the
        # properties below), and then show the document as it stands.
        self.trial_ws = None  # the workspace the question form's live test of checks reads from
        self._id_locked = True
        self._preview_state: tuple[Rubric | None, bool] = (None, False)  # what the preview shows (rubric, stale)
        self._built: dict[str, QWidget] = {}  # the lazily built forms and preview, by property name
        self.tabs = LazyTabWidget()
        self.splitter.addWidget(self.tabs)
        self.item_stack = QStackedWidget()
        self.tabs.addTab(self.item_stack, self.tr("Selected item"))
        self.nothing_selected = QLabel(self.tr("Select a section or a question in the tree to edit it."),
                                       self.item_stack)
        self.nothing_selected.setObjectName("mutedLabel")
        self.nothing_selected.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.item_stack.addWidget(self.nothing_selected)
        # The section form is made in a turn of its own after the pane's (or when first asked for): a rubric's
        # first item is a section, so it is needed as soon as one is shown.
        self._section_form = LazyPage(lambda: _scrolled(self._make_section_form, self._section_form),
                                      self.item_stack)
        self.item_stack.addWidget(self._section_form)
        QTimer.singleShot(1, self, self._prepare_section_form)
        self._question_form = LazyPage(lambda: _scrolled(self._make_question_form, self._question_form),
                                       self.item_stack)
        self.item_stack.addWidget(self._question_form)
        self._rubric_form = self.tabs.add_lazy_tab(lambda: _scrolled(self._make_rubric_form, self._rubric_form),
                                                   self.tr("Rubric"))
        self._preview = self.tabs.add_lazy_tab(lambda: self._make_preview(lang, self._preview),
                                               self.tr("Preview and sample score"))

        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([396, 528])  # a question's form needs ~520 px in Russian (no sideways scroll at 1366); the tree wraps its texts
        self.splitter.setChildrenCollapsible(False)

    @property
    def section_form(self) -> SectionForm:
        self._section_form.build()
        return self._built["section_form"]

    def _prepare_section_form(self) -> None:
        self._section_form.build().ensurePolished()  # styled now, not in the turn that first shows it

    @property
    def question_form(self) -> QuestionForm:
        self._question_form.build()
        return self._built["question_form"]

    @property
    def rubric_form(self) -> RubricForm:
        self._rubric_form.build()
        return self._built["rubric_form"]

    @property
    def preview(self) -> RubricPreview:
        self._preview.build()
        return self._built["preview"]

    def _make_section_form(self, parent: QWidget) -> SectionForm:
        form = self._built["section_form"] = SectionForm(parent)
        form.set_read_only(not self.editable)
        form.edited.connect(self._item_field_edited)
        return form

    def _make_question_form(self, parent: QWidget) -> QuestionForm:
        form = self._built["question_form"] = QuestionForm(parent)
        form.question_data = lambda: self.document.item(self.current_path())
        form.trial.ws = self.trial_ws
        form.set_read_only(not self.editable)
        form.edited.connect(self._item_field_edited)
        return form

    def _make_rubric_form(self, parent: QWidget) -> RubricForm:
        form = self._built["rubric_form"] = RubricForm(parent)
        form.load(self.document.data, self._id_locked)
        form.set_read_only(not self.editable)
        form.edited.connect(self._rubric_field_edited)
        return form

    def _make_preview(self, lang: str, parent: QWidget) -> QWidget:
        holder = QWidget(parent)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(10, 10, 6, 6)
        preview = self._built["preview"] = RubricPreview(lang, holder)
        preview.set_rubric(*self._preview_state)
        layout.addWidget(preview)
        return holder

    def _built_forms(self) -> list:
        return [self._built[name] for name in ("section_form", "question_form", "rubric_form") if name in self._built]

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.LanguageChange:  # the tree's types, weights and flags in the new language
            self.model.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        # Keys on the tree itself (not window shortcuts), so they work wherever the page is shown.
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            key, modifiers = event.key(), event.modifiers()
            alt = modifiers == Qt.KeyboardModifier.AltModifier
            actions = {
                (Qt.Key.Key_Insert, False): self.add_question, (Qt.Key.Key_Delete, False): self.remove_current,
                (Qt.Key.Key_Up, True): lambda: self.move_current(-1), (Qt.Key.Key_Down, True): lambda: self.move_current(+1),
            }
            if key == Qt.Key.Key_Insert and modifiers == Qt.KeyboardModifier.ShiftModifier:
                self.add_section()
                return True
            plain = modifiers == Qt.KeyboardModifier.NoModifier
            action = actions.get((key, alt)) if alt or plain else None
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    # -- the document -------------------------------------------------------------------------------
    def set_document(self, document: RubricDocument, editable: bool, id_locked: bool) -> None:
        self.document.unsubscribe(self._on_document_event)
        self.document = document
        document.subscribe(self._on_document_event)
        self.model.set_document(document)
        self.tree.fitted_columns.fit()
        self._unexpanded = 0
        self._expand_some()
        self._id_locked = id_locked
        if self._rubric_form.page is not None:
            self.rubric_form.load(document.data, id_locked)
        self.last_valid = None
        self.set_editable(editable)
        self.item_stack.setCurrentIndex(0)
        # The first item is selected (its form filled and shown) in the next turn, the tree being shown in
        # this one; unless something was selected meanwhile.
        QTimer.singleShot(1, self, self._select_first)
        self.validate_now(document.known_valid)

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.tree.currentIndex().isValid():
            self.tree.setCurrentIndex(self.model.index(0, 0))

    def _expand_some(self) -> None:
        """Expand the sections from the first one not yet expanded, about EXPANDED_ROWS_PER_TURN rows' worth;
        what is left waits for a turn of its own (each row is measured as it opens)."""
        rows, count = 0, self.model.rowCount()
        while self._unexpanded < count and (rows < EXPANDED_ROWS_PER_TURN or not rows):
            index = self.model.index(self._unexpanded, 0)
            rows += 1 + self.model.rowCount(index)
            self.tree.expand(index)
            self._unexpanded += 1
        if self._unexpanded < count:
            self._expanding.start()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.model.set_editable(editable)
        self.tree.setDragEnabled(editable)
        self.tree.setAcceptDrops(editable)
        for button in (self.add_section_button, self.add_question_button, self.remove_button,
                       self.up_button, self.down_button):
            button.setEnabled(editable)
        for form in self._built_forms():  # the others are built so
            form.set_read_only(not editable)

    def set_tools_visible(self, visible: bool) -> None:
        """Show the structure's add/remove/move buttons only to who may edit rubrics at all."""
        for button in (self.add_section_button, self.add_question_button, self.remove_button,
                       self.up_button, self.down_button):
            button.setVisible(visible)

    def current_path(self) -> Path | None:
        return self.model.path(self.tree.currentIndex())

    def select(self, path: Path) -> None:
        index = self.model.index_of(path)
        self.tree.expand(index.parent())
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _on_document_event(self, event: DocumentEvent) -> None:
        if event.kind in ("inserted", "removed", "moved", "changed", "rubric_changed"):
            self._validate_timer.start()
            self.edited.emit()

    # -- validation ---------------------------------------------------------------------------------
    def validate_now(self, known_valid: Rubric | None = None) -> Rubric | None:
        """Check the data now (`known_valid`: the Rubric it was made from, unchanged since, which needs no
        check); shows the problems, refreshes the preview, returns the Rubric when valid."""
        self._validate_timer.stop()
        found = []
        try:
            rubric = known_valid or self.document.validate()
        except RubricError as exc:
            rubric = None
            found = exc.problems
        else:
            self.last_valid = rubric
        self.problems = [rubric_problem_text(problem) for problem in found]  # in the interface language
        self.problems_list.clear()
        for problem, text in zip(found, self.problems, strict=True):
            item = QListWidgetItem(text, self.problems_list)
            item.setData(Qt.ItemDataRole.UserRole, problem.message)  # English: names the item to jump to
        if self.problems_list.isHidden() == bool(self.problems):  # only when it changes (see rubrics_page._show)
            self.problems_list.setVisible(bool(self.problems))
        if self.problems:
            self.problems_title.setText(counted(self.tr("%n problem(s) to fix before saving:", "", len(self.problems)),
                                                 len(self.problems)))
            self.problems_title.setStyleSheet("color: #b42318; font-weight: 600;")
        else:
            self.problems_title.setText(self.tr("✓ The rubric is valid."))
            self.problems_title.setStyleSheet("color: #0f8b8d; font-weight: 600;")
        self._preview_state = (self.last_valid, rubric is None and self.last_valid is not None)
        if self._preview.page is not None:
            self.preview.set_rubric(*self._preview_state)
        self.validity_changed.emit(rubric is not None)
        return rubric

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        path = self.document.path_of_location(str(item.data(Qt.ItemDataRole.UserRole) or item.text()).split(": ", 1)[0])
        if path is None:
            self.tabs.setCurrentIndex(1)  # a rubric-level problem: the Rubric tab
            return
        self.select(path)
        self.tabs.setCurrentIndex(0)

    # -- selection and forms ------------------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        path = self.model.path(current)
        if path is None:
            self.item_stack.setCurrentIndex(0)
        elif len(path) == 1:
            self.section_form.load(self.document.item(path))
            self.item_stack.setCurrentIndex(1)
        else:
            self.question_form.load(self.document.item(path))
            self.item_stack.setCurrentIndex(2)
        if path is not None and self.tabs.currentIndex() == 1:
            self.tabs.setCurrentIndex(0)

    def _item_field_edited(self, key: str, value: object) -> None:
        path = self.current_path()
        if path is not None and self.editable:
            self.document.set_field(path, key, value)

    def _rubric_field_edited(self, key: str, value: object) -> None:
        if self.editable:
            self.document.set_rubric_field(key, value)

    # -- structure ----------------------------------------------------------------------------------
    def add_section(self) -> None:
        if not self.editable:
            return
        path = self.current_path()
        row = path[0] + 1 if path else None
        self.select(self.document.add_section(row))
        self.tree.expand(self.tree.currentIndex())
        self.section_form.title_edit.edit("ru").setFocus()
        self.section_form.title_edit.edit("ru").selectAll()

    def add_question(self) -> None:
        if not self.editable:
            return
        path = self.current_path()
        if path is None:
            if not self.document.sections:
                self.add_section()
                return
            path = (len(self.document.sections) - 1,)
        row = path[1] + 1 if len(path) == 2 else None
        self.select(self.document.add_question(path[0], row))
        self.question_form.text_edit.edit("ru").setFocus()
        self.question_form.text_edit.edit("ru").selectAll()

    def remove_current(self) -> None:
        path = self.current_path()
        if not self.editable or path is None:
            return
        self.document.remove(path)
        if len(path) == 2 and self.document.questions(path[0]):
            self.select((path[0], min(path[1], len(self.document.questions(path[0])) - 1)))
        elif self.document.sections:
            self.select((min(path[0], len(self.document.sections) - 1),))

    def move_current(self, step: int) -> None:
        """Alt+Up/Down: within its list; a question at the edge crosses into the next section."""
        path = self.current_path()
        if not self.editable or path is None:
            return
        if len(path) == 1:
            target = path[0] + step
            if 0 <= target < len(self.document.sections):
                self.document.move_section(path[0], target + (1 if step > 0 else 0))
                self.select((target,))
            return
        section, row = path
        count = len(self.document.questions(section))
        if 0 <= row + step < count:
            self.document.move_question(section, row, section, row + step + (1 if step > 0 else 0))
            self.select((section, row + step))
        elif 0 <= section + step < len(self.document.sections):
            dest = section + step
            dest_row = len(self.document.questions(dest)) if step < 0 else 0
            self.document.move_question(section, row, dest, dest_row)
            self.select((dest, dest_row))
