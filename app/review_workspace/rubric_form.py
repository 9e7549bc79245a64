"""The scorecard: every question of the pinned rubric with its help, answer buttons (1–9, N for N/A), the answer's
comment, and a running score with its explanation and the critical/fatal state."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.labels import quoted
from app.operations import showing_in_steps
from app.review_workspace.question_card import QuestionCard
from app.review_workspace.suggestion_view import SUGGESTION_STYLE
from review.scoring.evaluations import StoredAnswer
from rubrics import Question, Rubric, ScoreResult
from rubrics.check_matching import Suggestion
from rubrics.explaining import explain, percent

FORM_STYLE = """
QFrame#questionCard { background: #ffffff; border: 1px solid #dde3ea; border-radius: 6px; }
QFrame#questionCard[current="true"] { border: 2px solid #0f8b8d; background: #fbfefe; }
QFrame#questionCard[needsComment="true"] QLineEdit { border: 1px solid #d64545; }
QLabel#sectionTitle { font-size: 11pt; font-weight: 600; color: #323f4b; padding-top: 8px; }
QLabel#questionText { font-weight: 600; }
QLabel#helpText { color: #616e7c; }
QLabel#needsCommentHint { color: #a61b1b; font-weight: 600; }
QLabel#criticalBadge { background: #fff1d6; color: #8a5a00; border-radius: 4px; padding: 1px 6px; font-size: 9pt; }
QLabel#fatalBadge { background: #fde2e2; color: #a61b1b; border-radius: 4px; padding: 1px 6px; font-size: 9pt; }
QPushButton#answerButton { text-align: left; padding: 4px 10px; }
QPushButton#answerButton:checked { background: #0f8b8d; color: #ffffff; border-color: #0f8b8d; }
QPushButton#naButton:checked { background: #52606d; color: #ffffff; border-color: #52606d; }
""" + SUGGESTION_STYLE


class ScoreHeader(QFrame):
    def __init__(self, form: ScorecardForm) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        top = QHBoxLayout()
        self.score = QLabel("—")
        self.score.setStyleSheet("font-size: 22pt; font-weight: 700; color: #0b6e70;")
        top.addWidget(self.score)
        facts = QVBoxLayout()
        self.progress = QLabel()
        self.critical = QLabel()
        facts.addWidget(self.progress)
        facts.addWidget(self.critical)
        top.addLayout(facts, 1)
        # The full calculation is long; folded by default it leaves the questions their room.
        self.explain_button = QToolButton()
        self.explain_button.setText(self.tr("How it is calculated"))
        self.explain_button.setCheckable(True)
        self.explain_button.setAutoRaise(True)
        self.explain_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.explain_button.setArrowType(Qt.ArrowType.RightArrow)
        self.explain_button.toggled.connect(self._show_explanation)
        top.addWidget(self.explain_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.status = QLabel()
        self.status.setStyleSheet("border-radius: 4px; padding: 3px 8px; font-weight: 600;")
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.fatal = QLabel()
        self.fatal.setWordWrap(True)
        self.fatal.setStyleSheet("background: #fde2e2; color: #8e1616; border-radius: 4px; padding: 4px 8px;"
                                 " font-weight: 600;")
        self.fatal.hide()
        layout.addWidget(self.fatal)
        self.explanation = QLabel()
        self.explanation.setObjectName("mutedLabel")
        self.explanation.setWordWrap(True)
        self.explanation.hide()
        layout.addWidget(self.explanation)

    def _show_explanation(self, shown: bool) -> None:
        self.explanation.setVisible(shown)
        self.explain_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def set_explanation(self, text: str) -> None:
        self.explanation.setText(text)
        self.score.setToolTip(text)


KEPT_FORMS = 3  # built forms kept for calls of other kinds in the same queue
BUILD_SLICE_S = 0.006  # cards built per event-loop turn: about this long, so the window keeps answering


@dataclass
class BuiltForm:
    """One rubric's cards, as shown for a call kind in a language, in a scroll area of their own."""

    shown: tuple  # (rubric, call kind, language)
    scroll: QScrollArea
    cards: list[QuestionCard] = field(default_factory=list)


class ScorecardForm(QWidget):
    """Signals carry what the reviewer did; the window saves it and hands back the new score."""

    answer_chosen = Signal(str, object, bool)  # question id, value, N/A; saved at once by the window
    comment_edited = Signal(str, str)
    comment_typed = Signal(str)  # a comment or note has text not saved yet
    current_changed = Signal(str)
    play_requested = Signal(float, float)  # a suggestion's evidence clicked: play these seconds

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setStyleSheet(FORM_STYLE)
        self._suggesting: object | None = None  # the suggestions being put on the cards, a few per turn
        self._suggestion_steps = QObject(self)
        # Focus can rest on the form itself, so Enter/Esc in a comment hand the keys back to 1–9, N, ↑/↓.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.lang = "ru"
        self.cards: list[QuestionCard] = []
        self.current = -1
        self.read_only = False
        self.answers: dict[str, StoredAnswer] = {}
        self.suggestions: dict[str, Suggestion] = {}
        self._forms: list[BuiltForm] = []  # the one shown first, then those shown before, newest first
        self._building: tuple[BuiltForm, Iterator[None], list[Callable[[], None]]] | None = None
        self.header = ScoreHeader(self)
        # Each built form keeps its place here: moving a built form between parents would style it all again.
        self._pages = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self._pages, 1)

    # ------------------------------------------------------------------ building
    def prepare(self, rubric: Rubric, call_kind: str | None, lang: str, ready: Callable[[], None]) -> None:
        """Have the cards for `rubric` built, then call `ready` (at once when they are built already). They are
        built a few per event-loop turn, out of sight (20 cards, styled, hold the loop up a tenth of a second)."""
        shown = (rubric, call_kind, lang)
        if any(form.shown == shown for form in self._forms):
            ready()
            return
        if self._building is not None and self._building[0].shown == shown:
            self._building[2].append(ready)
            return
        self._stop_building()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pages.addWidget(scroll)
        form = BuiltForm(shown, scroll)
        self._building = (form, self._build_cards(form), [ready])
        showing_in_steps(self, True)
        QTimer.singleShot(0, self, self._build_some)

    def _stop_building(self) -> None:
        if self._building is not None:
            form = self._building[0]
            self._building = None
            showing_in_steps(self, False)
            self._pages.removeWidget(form.scroll)
            form.scroll.deleteLater()

    def _build_some(self) -> None:
        if self._building is None:
            return
        form, steps, waiting = self._building
        until = time.perf_counter() + BUILD_SLICE_S
        for _ in steps:
            if time.perf_counter() > until:
                QTimer.singleShot(0, self, self._build_some)
                return
        QTimer.singleShot(1, self, lambda: self._lay_out(form))  # 1 ms: a zero timer may run in the same turn

    def _lay_out(self, form: BuiltForm) -> None:
        # A turn of its own, out of sight: the cards' first showing lays them all out (a form of 20 about
        # 20 ms), which would otherwise fall in the turn that shows the call.
        if self._building is None or self._building[0] is not form:
            return
        if self._pages.currentWidget() is not form.scroll:  # (the stack's first page is shown as it is)
            form.scroll.setGeometry(self._pages.contentsRect())
            form.scroll.show()
            form.scroll.hide()  # no paint in between: what the stack shows stays
        QTimer.singleShot(1, self, lambda: self._finish(form))

    def _finish(self, form: BuiltForm) -> None:
        if self._building is None or self._building[0] is not form:
            return
        waiting = self._building[2]
        self._built(form)
        for callback in waiting:
            callback()

    def _built(self, form: BuiltForm) -> None:
        self._building = None
        showing_in_steps(self, False)
        self._forms.insert(1 if self.cards else 0, form)  # behind the one shown until it is shown

    def _build_cards(self, form: BuiltForm) -> Iterator[None]:
        rubric, call_kind, lang = form.shown
        body = QWidget()
        body.setObjectName("formBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(2, 4, 8, 12)
        column.setSpacing(6)
        form.scroll.setWidget(body)  # empty still: in place before the cards, so they are styled there once
        title = QLabel(rubric.title.get(lang), body)
        title.setObjectName("paneTitle")
        title.setWordWrap(True)
        column.addWidget(title)
        for section in rubric.sections_for(call_kind):
            heading = QLabel(self.tr("{0} · weight {1:g}").format(section.title.get(lang), section.weight), body)
            heading.setObjectName("sectionTitle")
            heading.setWordWrap(True)
            column.addWidget(heading)
            for question in section.questions:
                card = QuestionCard(self, len(form.cards) + 1, question, lang, body)
                column.addWidget(card)
                card.ensurePolished()  # now, in this turn, not all at once when the form is shown
                form.cards.append(card)
                yield
        column.addStretch(1)

    def set_rubric(self, rubric: Rubric, call_kind: str | None, lang: str) -> None:
        """Show the form for `rubric`, empty (built at once unless `prepare` built it)."""
        shown = (rubric, call_kind, lang)
        form = next((form for form in self._forms if form.shown == shown), None)
        if form is None:  # all at once
            self.prepare(rubric, call_kind, lang, lambda: None)
            form, steps, waiting = self._building
            for _ in steps:
                pass
            self._built(form)
            for callback in waiting:
                callback()
        previous = self._forms[0] if self.cards else None
        if previous is not None and previous is not form:
            for card in previous.cards:  # leaving widgets must not save into the next call's evaluation
                card.comment.blockSignals(True)
        self._forms.remove(form)
        self._forms.insert(0, form)
        for old in self._forms[KEPT_FORMS + 1:]:
            self._pages.removeWidget(old.scroll)
            old.scroll.deleteLater()
        del self._forms[KEPT_FORMS + 1:]
        self._pages.setCurrentWidget(form.scroll)
        self.lang, self.cards, self.current = lang, form.cards, -1
        self._reuse(self.cards)

    def _reuse(self, cards: list[QuestionCard]) -> None:
        for card in cards:
            card.clear()
        self.suggestions = {}
        self.set_current(0)

    def card(self, question_id: str) -> QuestionCard:
        return next(c for c in self.cards if c.question.id == question_id)

    # ------------------------------------------------------------------ showing state
    def set_answers(self, answers: dict[str, StoredAnswer]) -> None:
        self.answers = dict(answers)
        for card in self.cards:
            card.show_answer(self.answers.get(card.question.id))

    def set_suggestions(self, suggestions: dict[str, Suggestion], done: Callable[[], None] | None = None) -> None:
        """Show each question's suggestion beside its answer (nothing is answered by it), a few cards per
        event-loop turn so the window keeps answering; `done` once every card shows its own. A newer call
        takes over from an older one still on its way."""
        self.suggestions = dict(suggestions)
        self._suggesting = token = object()
        cards = iter(list(self.cards))
        showing_in_steps(self._suggestion_steps, True)

        def step() -> None:
            if self._suggesting is not token:
                return
            until = time.perf_counter() + BUILD_SLICE_S
            for card in cards:
                if shiboken6.isValid(card):  # a form dropped meanwhile
                    card.suggestion.show_suggestion(self.suggestions.get(card.question.id))
                if time.perf_counter() > until:
                    QTimer.singleShot(0, self, step)
                    return
            self._suggesting = None
            showing_in_steps(self._suggestion_steps, False)
            if done is not None:
                done()

        step()

    def accept_suggestion(self) -> None:
        """Answer the current question as suggested (the key A), as if its button were pressed."""
        card = self.cards[self.current] if self.cards else None
        found = self.suggestions.get(card.question.id) if card is not None else None
        if found is not None and found.answer is not None and not self.read_only and self.isEnabled():
            self.choose(card.question.id, found.answer)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for card in self.cards:
            for _, button in card.buttons:
                button.setEnabled(not read_only)
            if card.na_button is not None:
                card.na_button.setEnabled(not read_only)
            card.comment.setReadOnly(read_only)

    def set_score(self, result: ScoreResult | None, status_text: str, submitted: bool) -> None:
        header = self.header
        header.status.setText(status_text)
        header.status.setStyleSheet(header.status.styleSheet().split("background")[0] + (
            "background: #d3f0f0; color: #0b3b3b;" if submitted else "background: #eef2f6; color: #52606d;"))
        if result is None:
            return
        header.score.setText(percent(result.overall, self.lang) if result.overall is not None else "—")
        # Every question counts, notes too: the counter's total is the last question's number.
        done = sum(1 for card in self.cards if card.question.id in self.answers)
        progress = self.tr("Answered {0} of {1}").format(done, len(self.cards))
        missing = [q for q in result.missing_required_comments if any(c.question.id == q for c in self.cards)]
        if missing:
            progress += " · " + self.tr("comments needed: {0}").format(len(missing))
        header.progress.setText(progress)
        if result.critical is None:
            header.critical.setText(self.tr("Critical questions: none answered yet"))
            header.critical.setStyleSheet("")
        else:
            header.critical.setText(self.tr("Critical questions: {0}").format(percent(result.critical, self.lang)))
            header.critical.setStyleSheet("color: #a61b1b; font-weight: 600;" if result.critical < 100 else
                                          "color: #0b6e70;")
        if result.fatal_hits:
            names = ", ".join(quoted(hit.text_en if self.lang == "en" else hit.text) for hit in result.fatal_hits)
            header.fatal.setText(self.tr("Fatal error, not done: {0}. The score is 0 (computed {1}).").format(
                names, percent(result.computed or 0.0, self.lang)))
            header.fatal.show()
        else:
            header.fatal.hide()
        header.set_explanation(explain(result, self.lang))
        for card in self.cards:
            needed = card.question.id in missing
            card.set_flag("needsComment", needed)
            card.needs_comment_hint.setVisible(needed)
            if needed:
                card.comment.setPlaceholderText(self.tr("A comment is required for this answer"))

    # ------------------------------------------------------------------ keyboard and mouse
    def set_current(self, number: int) -> None:
        if not self.cards:
            return
        number = max(0, min(len(self.cards) - 1, number))
        if 0 <= self.current < len(self.cards):
            self.cards[self.current].set_flag("current", False)
        self.current = number
        card = self.cards[number]
        card.set_flag("current", True)
        self._forms[0].scroll.ensureWidgetVisible(card, 0, 40)
        if self._holds_keys():
            self.focus_current()
        self.current_changed.emit(card.question.id)

    def _holds_keys(self) -> bool:
        # The keys are the form's when focus rests on the screen, the form or one of its fields; not when the
        # reviewer is in the transcript or the comment bar.
        focused = QApplication.focusWidget()
        return focused is None or focused is self or self.isAncestorOf(focused) or focused.isAncestorOf(self)

    def focus_current(self) -> None:
        """Give the keys to the current question: a note's text field (so typing fills it, letters never act as
        shortcuts), else the form (1–9, N, ↑/↓). Leaving a field saves its text."""
        card = self.cards[self.current] if 0 <= self.current < len(self.cards) else None
        if card is not None and card.question.type == "note" and not self.read_only:
            card.comment.setFocus()
        else:
            self.setFocus()

    def move(self, step: int) -> None:
        self.set_current(self.current + step)

    def number_of(self, question_id: str) -> int:
        """The question's number as the form shows it (1-based, over the questions that apply to the call)."""
        return self.cards.index(self.card(question_id)) + 1

    @property
    def current_question(self) -> Question | None:
        return self.cards[self.current].question if 0 <= self.current < len(self.cards) else None

    def pick(self, number: int) -> None:
        """Answer the current question with its option `number` (1-based), as the keys 1–9 do."""
        card = self.cards[self.current] if self.cards else None
        if card is None or self.read_only or not self.isEnabled():  # greyed while a call loads
            return
        if card.question.type == "note":
            card.comment.setFocus()
            return
        if 1 <= number <= len(card.buttons):
            self.choose(card.question.id, card.buttons[number - 1][0])

    def toggle_na(self) -> None:
        card = self.cards[self.current] if self.cards else None
        if card is not None and card.na_button is not None and not self.read_only and self.isEnabled():
            self.choose_na(card.question.id)

    def focus_comment(self) -> None:
        if self.cards:
            self.cards[self.current].comment.setFocus()

    def choose(self, question_id: str, value: object) -> None:
        self.set_current(self.cards.index(self.card(question_id)))
        self.answer_chosen.emit(question_id, value, False)
        self._advance_from(question_id)

    def choose_na(self, question_id: str) -> None:
        self.set_current(self.cards.index(self.card(question_id)))
        self.answer_chosen.emit(question_id, None, True)
        self._advance_from(question_id)

    def finish_comment(self, question_id: str) -> None:
        """Enter in a comment or note: save it; a complete question then moves on, as an answer does."""
        self.comment_done(question_id)
        self._advance_from(question_id)
        # Back to the keys once this Enter has finished travelling up the widgets.
        QTimer.singleShot(0, self.focus_current)

    def _advance_from(self, question_id: str) -> None:
        # The one rule for moving on by itself: the current question is complete (answered, with its required
        # comment; a note once Enter is pressed). An answer refused, cleared or lacking its comment stays put.
        card = self.card(question_id)
        if self.read_only or card is not self.cards[self.current] or card.property("needsComment"):
            return
        if card.question.type == "note" or question_id in self.answers:
            self.move(1)

    def commit_typing(self) -> None:
        """Save every comment and note whose text changed and was not saved yet (before the screen moves on)."""
        for card in self.cards:
            if card.comment.text().strip() != card.saved_comment:
                self.comment_done(card.question.id)

    def comment_done(self, question_id: str) -> None:
        card = self.card(question_id)
        text = card.comment.text().strip()
        if text == card.saved_comment or self.read_only:
            return
        card.saved_comment = text
        if card.question.type == "note":
            self.answer_chosen.emit(question_id, text, False)
        else:
            self.comment_edited.emit(question_id, text)
