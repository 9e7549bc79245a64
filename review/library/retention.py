"""Retention of personal data: calls older than the configured period are removed with everything about them.

Under 152-FZ a recording's transcript is personal data, so the purge removes the call row (its phone number
and path), its transcript and segments (a chat's or e-mail's messages), evaluations, answers, comments, disputes and queue entries. Rows go
through ordinary DELETE statements, so the search index triggers on `segments` fire; on SQLite the freed pages
are zeroed (secure_delete) and the FTS5 indexes are merged so no deleted word survives in the index. The audit
trail keeps who did what and when about the purged rows, but their old/new values are erased. The recording
files themselves are the clinic's and are never touched.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from review.accounts.access import MANAGE_SETTINGS, require
from review.audit.trail import record
from review.errors import ValidationError
from review.models import (
    Answer,
    AuditEntry,
    Call,
    CallAnalytics,
    Comment,
    Dispute,
    Evaluation,
    Message,
    Segment,
    SessionCall,
    Transcript,
    TranscriptionJob,
    User,
    utcnow,
)
from review.storage.db import Database
from review.storage.workspace_settings import put_setting, setting_value

RETENTION_KEY = "retention"
MIN_DAYS = 1
MAX_DAYS = 100 * 366


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    calls: int
    segments: int
    evaluations: int
    comments: int


def retention_days(session: Session) -> int | None:
    """How many days calls are kept; None: kept until deleted by hand."""
    return (setting_value(session, RETENTION_KEY) or {}).get("days")


def set_retention_days(session: Session, actor: User, days: int | None) -> None:
    require(actor, MANAGE_SETTINGS)
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS):
        raise ValidationError("The retention period must be a whole number of days from {low} to {high}.",
                              low=MIN_DAYS, high=MAX_DAYS)
    old = retention_days(session)
    put_setting(session, RETENTION_KEY, {"days": days})
    record(session, actor, "set_retention", "settings", old={"days": old}, new={"days": days})


def _expired_calls(cutoff: datetime) -> Select:
    # A call without a start time counts from its import.
    return select(Call.id).where(func.coalesce(Call.started_at, Call.imported_at) < cutoff)


def expired_call_count(session: Session, actor: User, *, now: datetime | None = None) -> int:
    """How many calls a purge would remove now (for the confirmation question)."""
    require(actor, MANAGE_SETTINGS)
    days = retention_days(session)
    if days is None:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    return session.scalar(select(func.count()).select_from(_expired_calls(cutoff).subquery())) or 0


def purge_expired(session: Session, actor: User, *, now: datetime | None = None) -> PurgeReport:
    """Remove every call older than the retention period with all that hangs off it; logged in the audit trail."""
    require(actor, MANAGE_SETTINGS)
    days = retention_days(session)
    if days is None:
        raise ValidationError("No retention period is set, so nothing is old enough to purge.")
    return purge_before(session, actor, (now or utcnow()) - timedelta(days=days))


def purge_before(session: Session, actor: User, cutoff: datetime) -> PurgeReport:
    require(actor, MANAGE_SETTINGS)
    is_sqlite = session.get_bind().dialect.name == "sqlite"
    if is_sqlite:
        # Deleted rows' bytes are overwritten instead of lingering in free pages of the file.
        session.execute(text("PRAGMA secure_delete = ON"))
    call_ids = list(session.scalars(_expired_calls(cutoff)))
    counts = {"segments": 0, "evaluations": 0, "comments": 0}
    for start in range(0, len(call_ids), 500):  # SQLite caps the number of bound parameters
        chunk = call_ids[start:start + 500]
        found = _purge_calls(session, chunk)
        for key in counts:
            counts[key] += found[key]
    if is_sqlite and call_ids:
        _merge_sqlite_search_indexes(session)
    report = PurgeReport(cutoff=cutoff, calls=len(call_ids), **counts)
    record(session, actor, "purge", "calls", new={**asdict(report), "cutoff": cutoff.isoformat(timespec="seconds")},
           note=f"retention purge of calls started before {cutoff:%Y-%m-%d}")
    return report


def _purge_calls(session: Session, call_ids: list[int]) -> dict[str, int]:
    evaluation_ids = list(session.scalars(select(Evaluation.id).where(Evaluation.call_id.in_(call_ids))))
    comment_ids = list(session.scalars(select(Comment.id).where(or_(
        Comment.call_id.in_(call_ids), Comment.evaluation_id.in_(evaluation_ids)))))
    segments = session.scalar(select(func.count(Segment.id)).where(Segment.call_id.in_(call_ids))) or 0
    no_sync = {"synchronize_session": False}
    dispute_ids = list(session.scalars(select(Dispute.id).where(Dispute.evaluation_id.in_(evaluation_ids))))
    if evaluation_ids:
        session.execute(delete(Dispute).where(Dispute.evaluation_id.in_(evaluation_ids)), execution_options=no_sync)
        session.execute(delete(Answer).where(Answer.evaluation_id.in_(evaluation_ids)), execution_options=no_sync)
    if comment_ids:
        session.execute(delete(Comment).where(Comment.id.in_(comment_ids)), execution_options=no_sync)
    session.execute(delete(Evaluation).where(Evaluation.id.in_(evaluation_ids)), execution_options=no_sync)
    purged_slots = select(SessionCall.id).where(SessionCall.call_id.in_(call_ids))
    session.execute(update(SessionCall).where(SessionCall.replaced_by_id.in_(purged_slots))
                    .values(replaced_by_id=None), execution_options=no_sync)
    session.execute(delete(SessionCall).where(SessionCall.call_id.in_(call_ids)), execution_options=no_sync)
    # Row by row in SQL terms: each DELETE fires the search-index triggers.
    session.execute(delete(Segment).where(Segment.call_id.in_(call_ids)), execution_options=no_sync)
    session.execute(delete(Message).where(Message.call_id.in_(call_ids)), execution_options=no_sync)  # chats, mail
    session.execute(delete(Transcript).where(Transcript.call_id.in_(call_ids)), execution_options=no_sync)
    session.execute(delete(CallAnalytics).where(CallAnalytics.call_id.in_(call_ids)), execution_options=no_sync)
    session.execute(delete(TranscriptionJob).where(TranscriptionJob.call_id.in_(call_ids)), execution_options=no_sync)
    _erase_audit_values(session, "calls", call_ids)
    _erase_audit_values(session, "evaluations", evaluation_ids)
    _erase_audit_values(session, "comments", comment_ids)
    _erase_audit_values(session, "disputes", dispute_ids)  # they quote answers and the operator's words
    session.execute(delete(Call).where(Call.id.in_(call_ids)), execution_options=no_sync)
    session.expire_all()
    return {"segments": segments, "evaluations": len(evaluation_ids), "comments": len(comment_ids)}


def _erase_audit_values(session: Session, entity: str, ids: list[int]) -> None:
    """Keep the fact of each change to a purged row, drop the values (they may quote the transcript)."""
    if ids:
        session.execute(update(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids))
                        .values(old=None, new=None, note="values erased by the retention purge"),
                        execution_options={"synchronize_session": False})


def _merge_sqlite_search_indexes(session: Session) -> None:
    """FTS5 deletes leave tombstones beside the old terms until the segments are merged: merge them now."""
    tables = session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "AND sql LIKE 'CREATE VIRTUAL TABLE%' AND lower(sql) LIKE '%using fts5%'"))
    for name in list(tables):
        quoted = '"' + name.replace('"', '""') + '"'
        session.execute(text(f"INSERT INTO {quoted}({quoted}) VALUES ('optimize')"))


def scrub_freed_space(db: Database) -> None:
    """After a purge has committed: fold SQLite's write-ahead log into the zeroed file; let PostgreSQL
    reclaim the dead rows now rather than at the next autovacuum."""
    with db.engine.connect() as connection:
        if db.is_sqlite:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("segments", "transcripts", "answers", "comments", "disputes", "evaluations", "calls"):
            autocommit.exec_driver_sql(f"VACUUM {table}")


def run_retention(db: Database, actor: User, *, now: datetime | None = None) -> PurgeReport:
    """Purge in one transaction, then scrub the freed space: the whole job for the GUI, CLI or a schedule."""
    with db.unit_of_work() as session:
        report = purge_expired(session, actor, now=now)
    scrub_freed_space(db)
    return report
