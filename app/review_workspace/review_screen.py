"""What the review window offers the code that acts for it (review_actions, leaving): a typing Protocol.

The actions and the leave check are typed against this surface instead of importing the window, so the
window can own them without an import cycle, and what they may touch is written down in one place.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from review.models import User
from review.workspace import Workspace


class ReviewScreen(Protocol):
    ws: Workspace
    actor: User
    lang: str
    data: Any  # app.review_workspace.review_data.ReviewData of the call shown, or None
    actions: Any  # the window's ReviewActions
    form: Any  # the rubric form (ScorecardForm)
    metadata: Any  # the call details panel
    header: Any
    queue_picker: Any  # "My queue" in the header
    comment_message_id: int | None
    model: Any  # the transcript model
    player: Any
    comments: Any
    comment_entry: Any
    saved_label: QWidget
    excerpt_button: QWidget
    evaluation_submitted: SignalInstance

    def show_banner(self, text: str, *args, **kwargs) -> None: ...
    def hide_banner(self) -> None: ...
    def refresh_status(self) -> None: ...
    def load_call(self, call_id: int, review_session_id: int | None = None) -> None: ...
    def show_comments(self, rows) -> None: ...
    def run_in_background(self, *args, **kwargs) -> Any: ...
