"""The question form's live test of its checks: run them, as edited, on a chosen call and show what they suggest."""

from __future__ import annotations

from html import escape

from pydantic import ValidationError
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from app.i18n import interface_language
from app.operations import CoreOp
from app.review_workspace.suggestion_view import answer_label, outcome_html
from review.desktop.user_settings import load_settings
from review.scoring.suggestions import try_question
from review.workspace import Workspace
from rubrics import Question


class CheckTrialRow(QWidget):
    """A call number, a Test button and what the question's checks found on that call."""

    def __init__(self, question_data, parent=None) -> None:
        super().__init__(parent)
        self._question_data = question_data  # () -> the question as currently edited (a dict)
        self.ws: Workspace | None = None
        self.call_spin = QSpinBox()
        self.call_spin.setRange(1, 10_000_000)
        self.call_spin.setPrefix(self.tr("call #"))
        self.test_button = QPushButton(self.tr("Test the checks on this call"))
        self.test_button.clicked.connect(self.run)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("mutedLabel")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.call_spin)
        row.addWidget(self.test_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.result)

    def run(self) -> None:
        if self.ws is None:
            return
        try:
            question = Question.model_validate(self._question_data())
        except (ValidationError, ValueError):
            self.result.setText(self.tr("Fix the question's problems first, then test its checks."))
            return
        if not question.checks:
            self.result.setText(self.tr("This question has no checks to test."))
            return
        call_id = self.call_spin.value()
        self.result.setText(self.tr("Testing on call #{0}…").format(call_id))
        names = tuple(load_settings().clinic_names)

        def work(ws: Workspace):
            with ws.reading() as session:
                return try_question(session, ws.actor, call_id, question, clinic_names=names)

        CoreOp(self, self.ws, work, key=("check trial", id(self))).success(
            lambda found: self._show(question, call_id, found)).failure(self.result.setText).run_in_background()

    def _show(self, question: Question, call_id: int, found) -> None:
        if found.answer is None:
            head = self.tr("Call #{0}: no suggestion").format(call_id)
        else:
            head = self.tr("Call #{0}: suggests {1}").format(call_id, answer_label(question, found.answer, interface_language()))
        lines = [f"<b>{escape(head, quote=False)}</b>"]
        lines += [f"{escape(o.check_id)}: {outcome_html(o)}" for o in found.outcomes]
        self.result.setText("<br>".join(lines))
