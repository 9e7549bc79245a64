"""Review sessions: creating them from a sampling rule, the status board, side-by-side, discussion, goals,
acknowledgement, disputes, calibration and recognition."""

from app.sessions.sessions_page import SessionsPage

__all__ = ["SessionsPage"]
