"""Leaving a call under review: what is being typed is saved first, or the reviewer is asked."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QMessageBox

from app.review_workspace.review_screen import ReviewScreen


def leave_call(window: ReviewScreen) -> bool:
    """Before another call is shown or the screen closes: save every comment and note being typed (the comment
    bar's too). A comment on a question with no answer cannot be stored: ask whether to stay and answer it.
    False when the reviewer stays."""
    if window.data is None:
        return True
    form = window.form
    form.commit_typing()
    if window.comment_entry.isVisible() and window.comment_entry.text.text().strip():
        window.comment_entry.submit()
    pending = [q for q, text in window.actions.pending_comments.items() if text.strip()]
    if not pending:
        return True
    numbers = [form.number_of(q) for q in pending if any(c.question.id == q for c in form.cards)]
    if not ask_leave_unanswered(window, numbers):
        form.set_current(numbers[0] - 1 if numbers else form.current)
        # After the question box has handed focus back to the field: the keys answer the question now.
        QTimer.singleShot(0, window, form.focus_current)
        return False
    window.actions.pending_comments = {}
    return True


def ask_leave_unanswered(parent, numbers: list[int]) -> bool:
    """Ask about comments typed on unanswered questions; True: leave without them."""
    text = QCoreApplication.translate(
        "ReviewWindow", "The comment on question {0} is not saved: a comment is stored with its answer, and the "
        "question has no answer yet.").format(", ".join(str(n) for n in numbers))
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("ReviewWindow", "Comment not saved"), text,
                      QMessageBox.StandardButton.NoButton, parent)
    stay = box.addButton(QCoreApplication.translate("ReviewWindow", "Stay and answer"), QMessageBox.ButtonRole.RejectRole)
    leave = box.addButton(QCoreApplication.translate("ReviewWindow", "Leave without it"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    box.deleteLater()
    return box.clickedButton() is leave
