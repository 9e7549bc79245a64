"""A question's suggested answer on its card: marked as a suggestion, with the words that show it (a click plays
them) or where the checks looked; the reviewer accepts it with A or answers otherwise."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from app.i18n import phrase_text
from app.labels import format_duration, quoted
from rubrics import Question
from rubrics.check_matching import CheckOutcome, Suggestion

SUGGESTION_STYLE = """
QFrame#suggestionBox { background: #f4f0fb; border: 1px dashed #8a6fc2; border-radius: 4px; }
QFrame#suggestionBox[agrees="true"] { background: #f4f8f4; border: 1px dashed #7fa77f; }
QLabel#suggestionTitle { color: #4b2f86; font-weight: 600; }
"""


def answer_label(question: Question, value: object, lang: str) -> str:
    """How the form names the answer `value` (Yes/No, a level's or option's label)."""
    if question.type == "yes_no":
        if value is True:
            return QCoreApplication.translate("Suggestions", "Yes")
        return QCoreApplication.translate("Suggestions", "No")
    for level in question.levels:
        if level.value == value:
            return level.label.get(lang)
    for option in question.options:
        if option.key == value:
            return option.label.get(lang)
    return str(value)


def party_label(speaker: str) -> str:
    if speaker == "operator":
        return QCoreApplication.translate("Suggestions", "operator")
    if speaker == "customer":
        return QCoreApplication.translate("Suggestions", "customer")
    return speaker


def measure_text(text: str) -> str:
    """An analytics check's figure ("operator_interruptions = 0", as the core gives it) in the user's words."""
    name, _, value = text.partition(" = ")
    labels = _measure_labels()
    return f"{labels[name]}: {value}" if name in labels and value else text


def _measure_labels() -> dict[str, str]:
    return {
        "silence_longest_s": QCoreApplication.translate("Suggestions", "longest silence, s"),
        "silence_total_s": QCoreApplication.translate("Suggestions", "silence in all, s"),
        "hold_longest_s": QCoreApplication.translate("Suggestions", "longest hold, s"),
        "hold_total_s": QCoreApplication.translate("Suggestions", "hold in all, s"),
        "long_holds": QCoreApplication.translate("Suggestions", "long holds"),
        "overtalk_count": QCoreApplication.translate("Suggestions", "overtalk, times"),
        "operator_interruptions": QCoreApplication.translate("Suggestions", "the operator interrupted, times"),
        "operator_share_pct": QCoreApplication.translate("Suggestions", "operator's share of the talk, %"),
        "operator_first_word_s": QCoreApplication.translate("Suggestions", "operator's first word after, s"),
    }


def looked_text(outcome: CheckOutcome) -> str:
    looked = outcome.looked
    measure = looked.params.get("measure") if looked is not None else None
    if measure in _measure_labels():  # "the call's measure operator_interruptions": its name in words
        looked = replace(looked, params={**looked.params, "measure": quoted(_measure_labels()[measure])})
    if looked is not None and "phrase_list" in looked.params:  # the phrases in this language's quotation marks
        params = {**looked.params, "phrases": " / ".join(quoted(p) for p in looked.params["phrase_list"])}
        if looked.params.get("anchor_text"):
            params["anchor"] = quoted(looked.params["anchor_text"])
        looked = replace(looked, params=params)
    return phrase_text(looked)


def outcome_html(outcome: CheckOutcome) -> str:
    """One line per check: what was found (links that play it) or where it looked."""
    if outcome.met is None:
        return escape(looked_text(outcome), quote=False)
    if not outcome.evidence:
        nothing = QCoreApplication.translate("Suggestions", "No evidence found: looked for {0}")
        return escape(nothing.format(looked_text(outcome)), quote=False)
    finds = []
    for number, evidence in enumerate(outcome.evidence):
        if not evidence.speaker:  # a measure: its figure, linked where the call shows it
            finds.append(f'<a href="{number}:{outcome.check_id}">{escape(measure_text(evidence.text), quote=False)}</a>')
            continue
        said = QCoreApplication.translate("Suggestions", "{0} — {1}, {2}").format(
            quoted(evidence.text), party_label(evidence.speaker), format_duration(evidence.start))
        if evidence.negated:
            said += " " + QCoreApplication.translate("Suggestions", "(after a negation: not counted)")
        finds.append(f'<a href="{number}:{outcome.check_id}">{escape(said, quote=False)}</a>')
    return "; ".join(finds)


class SuggestionBox(QFrame):
    """Shows one question's suggestion; `play_requested(start, end)` when its evidence is clicked."""

    play_requested = Signal(float, float)

    def __init__(self, question: Question, lang: str) -> None:
        super().__init__()
        self.setObjectName("suggestionBox")
        self.question, self.lang = question, lang
        self.suggestion: Suggestion | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        self.title = QLabel()
        self.title.setObjectName("suggestionTitle")
        self.title.setWordWrap(True)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setOpenExternalLinks(False)
        self.evidence.linkActivated.connect(self._play)
        layout.addWidget(self.title)
        layout.addWidget(self.evidence)
        self.hide()

    def show_suggestion(self, suggestion: Suggestion | None) -> None:
        self.suggestion = suggestion
        if suggestion is None:
            self.hide()
            return
        if suggestion.answer is None:
            self.title.setText(self.tr("No suggestion: the checks do not settle this question"))
        else:
            self.title.setText(self.tr("Suggested: {0} (press A to accept)").format(
                answer_label(self.question, suggestion.answer, self.lang)))
        self.evidence.setText("<br>".join(outcome_html(o) for o in suggestion.outcomes))
        self.show()

    def mark_agreement(self, agrees: bool) -> None:
        if self.property("agrees") != agrees:
            self.setProperty("agrees", agrees)
            self.style().unpolish(self)
            self.style().polish(self)

    def _play(self, link: str) -> None:
        number, check_id = link.split(":", 1)
        outcome = next(o for o in self.suggestion.outcomes if o.check_id == check_id)
        evidence = outcome.evidence[int(number)]
        self.play_requested.emit(evidence.start, evidence.end)
