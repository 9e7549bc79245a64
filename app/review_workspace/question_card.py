"""One question on the scorecard: its text and help, the answer buttons (1–9, N for N/A), the suggestion, the
answer's comment and the hint when a comment is required. The form (rubric_form.py) lays the cards out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.review_workspace.suggestion_view import SuggestionBox
from review.scoring.evaluations import StoredAnswer
from rubrics import Question


def _options(question: Question, lang: str, yes: str, no: str) -> list[tuple[object, str]]:
    # question.answer_values() orders them: option n is the key n, here and in the side-by-side view.
    labels = {"yes_no": [yes, no], "scale": [level.label.get(lang) for level in question.levels],
              "choice": [option.label.get(lang) for option in question.options]}.get(question.type, [])
    return list(zip(question.answer_values(), labels, strict=True))


class QuestionCard(QFrame):
    """`form`: the ScorecardForm the card answers to (choose, choose_na, finish_comment...)."""

    def __init__(self, form: QWidget, number: int, question: Question, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionCard")
        self.form = form
        self.question = question
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        title_row = QHBoxLayout()
        self.text = QLabel(f"{number}. {question.text.get(lang)}")
        self.text.setObjectName("questionText")
        self.text.setWordWrap(True)
        title_row.addWidget(self.text, 1)
        if question.fatal:
            badge = QLabel(self.tr("Fatal"))
            badge.setObjectName("fatalBadge")
            badge.setToolTip(self.tr("The answer “No” sets the whole score to 0."))
            title_row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        elif question.critical:
            badge = QLabel(self.tr("Critical"))
            badge.setObjectName("criticalBadge")
            badge.setToolTip(self.tr("Counts toward the critical score: anything short of full marks fails it."))
            title_row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        if question.help is not None:
            help_text = QLabel(question.help.get(lang))
            help_text.setObjectName("helpText")
            help_text.setWordWrap(True)
            layout.addWidget(help_text)
        self.suggestion = SuggestionBox(question, lang)
        self.suggestion.play_requested.connect(form.play_requested)
        layout.addWidget(self.suggestion)
        self.buttons: list[tuple[object, QPushButton]] = []
        options = _options(question, lang, self.tr("Yes"), self.tr("No"))
        row = QHBoxLayout() if question.type == "yes_no" else QVBoxLayout()
        row.setSpacing(4)
        for index, (value, label) in enumerate(options):
            button = QPushButton(f"{index + 1}   {label}" if index < 9 else label)
            button.setObjectName("answerButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, v=value: form.choose(question.id, v))
            row.addWidget(button)
            self.buttons.append((value, button))
        self.na_button = None
        if question.na_allowed:
            self.na_button = QPushButton(self.tr("N   Not applicable"))
            self.na_button.setObjectName("naButton")
            self.na_button.setCheckable(True)
            self.na_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.na_button.clicked.connect(lambda: form.choose_na(question.id))
            row.addWidget(self.na_button)
        if isinstance(row, QHBoxLayout):
            row.addStretch(1)
        layout.addLayout(row)
        self.comment = QLineEdit()
        self.placeholder = self.tr("Type the note and press Enter") if question.type == "note" else \
            self.tr("Comment on this answer")
        self.comment.setPlaceholderText(self.placeholder)
        self.comment.returnPressed.connect(lambda: form.finish_comment(question.id))
        self.comment.editingFinished.connect(lambda: form.comment_done(question.id))
        self.comment.textEdited.connect(lambda _text: form.comment_typed.emit(question.id))
        # Shown while the answer lacks its required comment; focus stays on the form, so keys keep answering.
        self.needs_comment_hint = QLabel(self.tr("A comment is required for this answer: press Enter to write it."))
        self.needs_comment_hint.setObjectName("needsCommentHint")
        self.needs_comment_hint.setWordWrap(True)
        self.needs_comment_hint.hide()
        layout.addWidget(self.needs_comment_hint)
        layout.addWidget(self.comment)
        self.saved_comment = ""

    def clear(self) -> None:
        """Empty, as built: the form is used again for another call under the same rubric."""
        self.comment.blockSignals(True)  # what the last call's field held is saved already (leave_call)
        self.comment.clear()
        self.comment.blockSignals(False)
        self.comment.setPlaceholderText(self.placeholder)
        self.saved_comment = ""
        self.suggestion.show_suggestion(None)
        self.needs_comment_hint.hide()
        self.set_flag("needsComment", False)
        self.set_flag("current", False)

    def mousePressEvent(self, event) -> None:
        self.form.set_current(self.form.cards.index(self))
        super().mousePressEvent(event)

    def show_answer(self, answer: StoredAnswer | None) -> None:
        for value, button in self.buttons:
            button.setChecked(answer is not None and not answer.na and answer.value == value
                              and type(answer.value) is type(value))
        if self.na_button is not None:
            self.na_button.setChecked(answer is not None and answer.na)
        text = (answer.value if self.question.type == "note" and answer and not answer.na else
                (answer.comment if answer else None)) or ""
        self.saved_comment = text
        if not self.comment.hasFocus():
            self.comment.setText(text)

    def set_flag(self, name: str, on: bool) -> None:
        if bool(self.property(name)) != on:  # never set reads as off: restyling a card is costly
            self.setProperty(name, on)
            self.style().unpolish(self)
            self.style().polish(self)
            for child in self.findChildren(QLineEdit):
                child.style().unpolish(child)
                child.style().polish(child)
