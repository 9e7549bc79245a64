"""The form as a reviewer will see it, with a sample score that follows the answers clicked in it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.labels import call_kind_label
from rubrics import Answer, AnswerError, Question, Rubric, ScoreContext, ScoreResult, earned_points, score
from rubrics.explaining import explain, percent


def sample_answer(question: Question) -> Answer:
    """Full marks: the sample a new preview starts from."""
    if question.type == "yes_no":
        return Answer(True)
    if question.type == "scale":
        best = max(question.levels, key=lambda level: (level.points if level.points is not None else level.value))
        return Answer(best.value)
    if question.type == "choice":
        return Answer(max(question.options, key=lambda option: option.points).key)
    return Answer("")


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("mutedLabel")
    label.setWordWrap(True)
    return label


class RubricPreview(QWidget):
    """Shows `rubric` as a filled-in form; clicking answers re-scores it at once."""

    scored = Signal(object)  # ScoreResult

    def __init__(self, lang: str = "ru", parent=None) -> None:
        super().__init__(parent)
        self.rubric: Rubric | None = None
        self.answers: dict[str, Answer] = {}
        self.buttons: dict[str, dict[object, QRadioButton]] = {}
        self.result: ScoreResult | None = None
        self._groups: list[QButtonGroup] = []

        self.lang_combo = QComboBox()
        self.lang_combo.addItem("Русский", "ru")
        self.lang_combo.addItem("English", "en")
        self.lang_combo.setCurrentIndex(0 if lang == "ru" else 1)
        self.kind_combo = QComboBox()
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        controls = QHBoxLayout()
        kind_label = QLabel(self.tr("Call &kind"))
        kind_label.setBuddy(self.kind_combo)
        lang_label = QLabel(self.tr("&Language"))
        lang_label.setBuddy(self.lang_combo)
        controls.addWidget(kind_label)
        controls.addWidget(self.kind_combo)
        controls.addStretch(1)
        controls.addWidget(lang_label)
        controls.addWidget(self.lang_combo)

        self.score_card = QFrame()
        self.score_card.setObjectName("card")
        self.score_label = QLabel("—")
        self.score_label.setObjectName("scoreFigure")
        self.score_label.setStyleSheet("font-size: 22pt; font-weight: 600; color: #0f8b8d;")
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.explanation_label = _muted("")
        self.explanation_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #9a6700;")
        self.stale_label = QLabel(self.tr("The rubric has problems: the preview shows its last valid state."))
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet("color: #b42318;")
        self.stale_label.hide()
        top = QHBoxLayout()
        top.addWidget(self.score_label)
        top.addWidget(self.summary_label, 1)
        card = QVBoxLayout(self.score_card)
        card.addLayout(top)
        card.addWidget(self.explanation_label)
        card.addWidget(self.notes_label)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # texts wrap instead
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.score_card)
        layout.addWidget(self.scroll, 1)

        self.lang_combo.currentIndexChanged.connect(self._rebuild)
        self.kind_combo.currentIndexChanged.connect(self._rebuild)

    @property
    def lang(self) -> str:
        return self.lang_combo.currentData()

    @property
    def call_kind(self) -> str | None:
        return self.kind_combo.currentData()

    def set_rubric(self, rubric: Rubric | None, stale: bool = False) -> None:
        """Show `rubric`; answers given so far are kept where they still fit. `stale`: the editor's
        current data is invalid and this is the last valid rubric."""
        self.stale_label.setVisible(stale)
        if rubric is self.rubric and rubric is not None:
            return
        self.rubric = rubric
        kept = {}
        if rubric is not None:
            for question in rubric.questions():
                answer = self.answers.get(question.id)
                try:
                    if answer is not None:
                        earned_points(question, answer)
                        kept[question.id] = answer
                        continue
                except AnswerError:
                    pass
                kept[question.id] = sample_answer(question)
        self.answers = kept
        self._fill_kinds()
        self._rebuild()

    def _fill_kinds(self) -> None:
        current = self.kind_combo.currentData()
        kinds: list[str] = list(self.rubric.applies_to) if self.rubric else []
        for section in self.rubric.sections if self.rubric else []:
            if section.condition:
                kinds += [kind for kind in section.condition.call_kinds if kind not in kinds]
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem(self.tr("Any"), None)
        for kind in kinds:
            self.kind_combo.addItem(call_kind_label(kind), kind)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(current)))
        self.kind_combo.blockSignals(False)

    def choose(self, question_id: str, answer: Answer) -> None:
        """Record an answer (as a click in the form does) and re-score."""
        self.answers[question_id] = answer
        self._rescore()

    # -- building the form --------------------------------------------------------------------------
    def _rebuild(self) -> None:
        self._groups.clear()
        self.buttons.clear()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 4, 8, 4)
        column.setSpacing(10)
        if self.rubric is not None:
            for section in self.rubric.sections_for(self.call_kind):
                column.addWidget(self._section_card(section))
        column.addStretch(1)
        self.scroll.setWidget(body)
        self._rescore()

    def _section_card(self, section) -> QFrame:
        lang = self.lang
        card = QFrame()
        card.setObjectName("card")
        layout = QVBoxLayout(card)
        header = QHBoxLayout()
        title = QLabel(section.title.get(lang))
        title.setObjectName("paneTitle")
        title.setWordWrap(True)
        header.addWidget(title, 1)
        header.addWidget(_muted(self.tr("weight {0}").format(f"{section.weight:g}")), 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        if section.description:
            layout.addWidget(_muted(section.description.get(lang)))
        for question in section.questions:
            layout.addWidget(self._question_block(question))
        return card

    def _question_block(self, question: Question) -> QWidget:
        lang = self.lang
        block = QWidget()
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 6, 0, 2)
        layout.setSpacing(3)
        text = QLabel(question.text.get(lang))
        text.setWordWrap(True)
        text.setStyleSheet("font-weight: 600;")
        layout.addWidget(text)
        badges = []
        if question.fatal:
            badges.append(self.tr("FATAL: “no” sets the score to 0"))
        if question.critical:
            badges.append(self.tr("critical"))
        if question.scores:
            badges.append(self.tr("up to {0} pt").format(f"{question.max_points:g}"))
        if badges:
            flag = _muted(" · ".join(badges))
            if question.fatal or question.critical:
                flag.setStyleSheet("color: #b42318;" if question.fatal else "color: #9a6700;")
            layout.addWidget(flag)
        if question.help:
            layout.addWidget(_muted(question.help.get(lang)))
        if question.type == "note":
            note = QLineEdit()
            note.setPlaceholderText(self.tr("Reviewer's note"))
            layout.addWidget(note)
            return block
        choices: list[tuple[object, str]] = []
        if question.type == "yes_no":
            choices = [(True, self.tr("Yes")), (False, self.tr("No"))]
        elif question.type == "scale":
            choices = [(level.value, f"{level.value} — {level.label.get(lang)}") for level in question.levels]
        else:
            choices = [(option.key, f"{option.label.get(lang)} ({option.points:g})") for option in question.options]
        if question.na_allowed:
            choices.append(("__na__", self.tr("N/A")))
        row = QHBoxLayout() if question.type == "yes_no" else QVBoxLayout()
        row.setSpacing(12 if question.type == "yes_no" else 2)
        group = QButtonGroup(block)
        self._groups.append(group)
        current = self.answers.get(question.id)
        self.buttons[question.id] = {}
        for value, label in choices:
            button = QRadioButton(label)
            is_current = current is not None and (current.na if value == "__na__" else
                                                  (not current.na and current.value == value
                                                   and type(current.value) is type(value)))
            button.setChecked(is_current)
            group.addButton(button)
            answer = Answer.not_applicable() if value == "__na__" else Answer(value)
            button.toggled.connect(lambda on, qid=question.id, a=answer: on and self.choose(qid, a))
            self.buttons[question.id][value] = button
            row.addWidget(button)
        if question.type == "yes_no":
            row.addStretch(1)
        layout.addLayout(row)
        return block

    # -- the score ----------------------------------------------------------------------------------
    def _rescore(self) -> None:
        if self.rubric is None:
            self.result = None
            self.score_label.setText("—")
            self.summary_label.setText("")
            self.explanation_label.setText("")
            self.notes_label.setText("")
            return
        result = score(self.rubric, self.answers, ScoreContext(self.call_kind))
        self.result = result
        lang = self.lang
        self.score_label.setText("—" if result.overall is None else percent(result.overall, lang))
        critical = self.tr("none answered") if result.critical is None else percent(result.critical, lang)
        fatal = self.tr("yes — score set to 0") if result.fatal else self.tr("none")
        self.summary_label.setText(self.tr("Sample score of this form.\nCritical: {0}   Fatal: {1}")
                                   .format(critical, fatal))
        self.explanation_label.setText(explain(result, lang))
        if result.missing_required_comments:
            texts = [self.rubric.question(qid).text.get(lang) for qid in result.missing_required_comments]
            self.notes_label.setText(self.tr("A reviewer must comment on: {0}").format("; ".join(texts)))
        else:
            self.notes_label.setText("")
        self.scored.emit(result)
