"""The review workspace: listen to a call, read its transcript and score it against the pinned rubric."""

from app.review_workspace.review_window import ReviewWindow

__all__ = ["ReviewWindow"]
