"""Reading the audit trail: filtered pages for administrators, one evaluation's history, CSV export."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from review.accounts.access import VIEW_AUDIT, require, require_call_visible
from review.errors import NotFound
from review.models import AuditEntry, Call, Comment, Evaluation, User
from review.reporting.spreadsheet_cells import csv_cell

CSV_COLUMNS = ("id", "at", "user", "action", "entity", "entity_id", "old", "new", "note")


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None  # matches the note


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str | None
    action: str
    entity: str
    entity_id: int | None
    old: dict | None
    new: dict | None
    note: str | None


_COLUMNS = (AuditEntry.id, AuditEntry.at, User.display_name, AuditEntry.action, AuditEntry.entity,
            AuditEntry.entity_id, AuditEntry.old, AuditEntry.new, AuditEntry.note)


def _filtered(statement: Select, flt: AuditFilter) -> Select:
    for column, value in ((AuditEntry.user_id, flt.user_id), (AuditEntry.action, flt.action),
                          (AuditEntry.entity, flt.entity), (AuditEntry.entity_id, flt.entity_id)):
        if value is not None and value != "":
            statement = statement.where(column == value)
    if flt.since is not None:
        statement = statement.where(AuditEntry.at >= flt.since)
    if flt.until is not None:
        statement = statement.where(AuditEntry.at <= flt.until)
    if flt.text:
        statement = statement.where(AuditEntry.note.ilike(f"%{flt.text}%"))
    return statement


def _rows(session: Session, statement: Select) -> list[AuditRow]:
    return [AuditRow(*row) for row in session.execute(statement)]


def audit_page(session: Session, actor: User, flt: AuditFilter, *, offset: int = 0, limit: int = 200) -> list[AuditRow]:
    """Newest first; administrators only."""
    require(actor, VIEW_AUDIT)
    statement = select(*_COLUMNS).select_from(AuditEntry).outerjoin(User, AuditEntry.user_id == User.id)
    statement = _filtered(statement, flt).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return _rows(session, statement.offset(max(offset, 0)).limit(max(min(limit, 10_000), 1)))


def count_audit(session: Session, actor: User, flt: AuditFilter) -> int:
    require(actor, VIEW_AUDIT)
    return session.scalar(_filtered(select(func.count(AuditEntry.id)), flt)) or 0


def audit_actions(session: Session, actor: User) -> list[str]:
    """The distinct actions in the trail, for the filter's choices."""
    require(actor, VIEW_AUDIT)
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def evaluation_history(session: Session, actor: User, evaluation_id: int) -> list[AuditRow]:
    """Everything recorded about one evaluation and its comments, oldest first, for anyone who may see it."""
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise NotFound("Evaluation #{id} does not exist.", id=evaluation_id)
    require_call_visible(actor, session.get(Call, evaluation.call_id))
    comment_ids = select(Comment.id).where(Comment.evaluation_id == evaluation_id)
    statement = (select(*_COLUMNS).select_from(AuditEntry).outerjoin(User, AuditEntry.user_id == User.id)
                 .where(or_(and_(AuditEntry.entity == "evaluations", AuditEntry.entity_id == evaluation_id),
                            and_(AuditEntry.entity == "comments", AuditEntry.entity_id.in_(comment_ids))))
                 .order_by(AuditEntry.at, AuditEntry.id))
    return _rows(session, statement)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return csv_cell(value)


def export_audit_csv(session: Session, actor: User, flt: AuditFilter, path: str | Path) -> int:
    """Write the filtered trail (oldest first) as UTF-8 CSV with a BOM so Excel reads Cyrillic; returns rows."""
    require(actor, VIEW_AUDIT)
    statement = select(*_COLUMNS).select_from(AuditEntry).outerjoin(User, AuditEntry.user_id == User.id)
    statement = _filtered(statement, flt).order_by(AuditEntry.at, AuditEntry.id)
    written = 0
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for row in session.execute(statement.execution_options(yield_per=1000)):
            writer.writerow([_cell(v) for v in row])
            written += 1
    return written
