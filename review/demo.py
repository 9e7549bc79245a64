"""The demo workspace: synthetic clinic calls, chats and e-mails and the built-in rubrics, so every screen has
something real."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from resources import DEMO_CALLS, DEMO_WRITTEN
from review.accounts.access import MANAGE_SETTINGS, can
from review.models import Call, Setting, User
from review.scoring.rubric_store import install_builtin_rubrics
from review.storage.db import Database
from review.written.working_hours import DEFAULT_HOURS, WorkingHours
from review.written.written_settings import HOURS_KEY, set_working_hours

# The demo clinic's side in its chats and mail, and its kinds of conversation (the import reads no metadata).
DEMO_IDENTITIES = {"Семейный доктор": "Игорь Петров", "info@semeyny-doktor.example": "Игорь Петров"}
DEMO_WRITTEN_KINDS = {"WhatsApp Chat with Елена Волкова.txt": ("inbound_booking", "booked"),
                      "complaint_waiting.mbox": ("complaint", "callback_agreed")}


def library_is_empty(db: Database) -> bool:
    with db.sessions() as session:
        return not session.scalar(select(func.count(Call.id)))


def create_demo_workspace(db: Database, actor: User, progress=None):
    """Import the demo calls with their metadata (idempotent: a second run imports nothing)."""
    from review.library.importing import import_recordings  # numpy and audio decoders load on first use

    with db.unit_of_work() as session:
        if can(actor, MANAGE_SETTINGS) and session.get(Setting, HOURS_KEY) is None:
            # The demo clinic is in Moscow (its calls' times carry +03:00): its mail is timed there too.
            set_working_hours(session, actor, WorkingHours(DEFAULT_HOURS.days, "Europe/Moscow"))
    report = import_recordings(db, actor, [DEMO_CALLS, DEMO_WRITTEN], progress=progress,
                               operator_identities=DEMO_IDENTITIES)
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, actor)
        for call in session.scalars(select(Call).where(Call.id.in_(report.call_ids))):
            kind = DEMO_WRITTEN_KINDS.get(Path(call.path).name)
            if kind is not None:
                call.call_kind, call.outcome = kind
    return report
