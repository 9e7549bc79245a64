"""The review window's comments list as a reviewer moves between calls."""

from app.review_workspace.comments_panel import CommentsPanel
from review.call_review.screen import CommentRow


def _row(comment_id: int, text: str, own: bool = True) -> CommentRow:
    return CommentRow(id=comment_id, at_s=1.0 + comment_id, end_s=None, text=text, author="Надежда", question=None,
                      own=own)


def test_the_next_calls_comments_replace_a_chosen_one_without_an_error(qtbot):
    """A comment chosen on one call, then the next call's comments shown: the list used to look the old
    comment up among the new ones ("Something went wrong: KeyError: 2")."""
    panel = CommentsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_comments([_row(1, "Не назвала клинику"), _row(2, "Перебила пациента")])
    panel.list.setFocus()
    panel.list.setCurrentRow(0)
    assert panel.current_row().id == 1 and panel.delete_button.isEnabled()
    panel.set_comments([_row(5, "Хорошо", own=False)])  # the next call's
    assert panel.list.count() == 1
    assert not panel.delete_button.isEnabled()  # someone else's comment, or none chosen
    panel.list.setCurrentRow(0)
    assert panel.current_row().id == 5 and not panel.delete_button.isEnabled()
    panel.set_comments([])
    assert panel.current_row() is None and not panel.delete_button.isEnabled() and panel.empty.isVisibleTo(panel)
