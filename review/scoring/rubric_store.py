"""Stored rubrics: immutable published versions, one editable draft, YAML import/export.

An evaluation pins the exact version it was made with, so a new version never changes an old score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.access import MANAGE_RUBRICS, require
from review.audit.trail import record
from review.errors import NotFound, ValidationError
from review.models import Call, RubricRecord, RubricVersion, User, utcnow
from review.library.vocabularies import rubric_call_kind
from rubrics import Rubric, RubricError, builtin_rubrics, dump_rubric, load_rubric, loads_rubric

WRITTEN_CHANNELS = ("whatsapp", "email")


@dataclass(frozen=True)
class RubricSummary:
    slug: str
    title: str
    builtin: bool
    published_version_id: int | None
    published_number: int | None
    has_draft: bool


@lru_cache(maxsize=64)
def _parse(body: str, source: str) -> Rubric:
    return loads_rubric(body, source)


def rubric_of(version: RubricVersion) -> Rubric:
    """The validated rubric a version holds (parsed once per distinct body)."""
    return _parse(version.body, f"{version.rubric.slug} v{version.number}")


def install_builtin_rubrics(session: Session, actor: User) -> int:
    """Publish the built-in rubrics as version 1 where they are not stored yet; returns how many were added."""
    added = 0
    for rubric in builtin_rubrics():
        if session.scalar(select(RubricRecord).where(RubricRecord.slug == rubric.id)) is None:
            _store_new(session, actor, rubric, builtin=True, note="Built-in rubric")
            added += 1
    return added


def _store_new(session: Session, actor: User, rubric: Rubric, *, builtin: bool, note: str) -> RubricVersion:
    record_row = RubricRecord(slug=rubric.id, title=rubric.title.ru, builtin=builtin)
    version = RubricVersion(number=1, status="published", body=dump_rubric(rubric), note=note,
                            published_at=utcnow(), published_by=actor.id)
    record_row.versions.append(version)
    session.add(record_row)
    session.flush()
    record(session, actor, "publish", version, new={"rubric": rubric.id, "number": 1})
    return version


def _record(session: Session, slug: str) -> RubricRecord:
    found = session.scalar(select(RubricRecord).where(RubricRecord.slug == slug))
    if found is None:
        raise NotFound("Rubric '{rubric}' is not in this workspace.", rubric=slug)
    return found


def list_rubrics(session: Session) -> list[RubricSummary]:
    summaries = []
    for rubric_row in session.scalars(select(RubricRecord).where(RubricRecord.archived.is_(False))
                                      .order_by(RubricRecord.title)):
        published = [v for v in rubric_row.versions if v.status == "published"]
        latest = published[-1] if published else None
        summaries.append(RubricSummary(rubric_row.slug, rubric_row.title, rubric_row.builtin,
                                       latest.id if latest else None, latest.number if latest else None,
                                       any(v.status == "draft" for v in rubric_row.versions)))
    return summaries


def latest_published(session: Session, slug: str) -> RubricVersion:
    version = session.scalar(
        select(RubricVersion).join(RubricRecord).where(RubricRecord.slug == slug, RubricVersion.status == "published")
        .order_by(RubricVersion.number.desc()).limit(1))
    if version is None:
        raise NotFound("Rubric '{rubric}' has no published version yet.", rubric=slug)
    return version


def draft_of(session: Session, slug: str) -> RubricVersion | None:
    return session.scalar(select(RubricVersion).join(RubricRecord)
                          .where(RubricRecord.slug == slug, RubricVersion.status == "draft"))


def save_draft(session: Session, actor: User, rubric: Rubric) -> RubricVersion:
    """Create or replace the one draft of `rubric.id` (a new rubric gets its record here)."""
    require(actor, MANAGE_RUBRICS)
    body = dump_rubric(rubric)
    rubric_row = session.scalar(select(RubricRecord).where(RubricRecord.slug == rubric.id))
    if rubric_row is None:
        rubric_row = RubricRecord(slug=rubric.id, title=rubric.title.ru)
        session.add(rubric_row)
        session.flush()
    draft = draft_of(session, rubric.id)
    if draft is None:
        number = (session.scalar(select(func.max(RubricVersion.number))
                                 .where(RubricVersion.rubric_id == rubric_row.id)) or 0) + 1
        draft = RubricVersion(rubric_id=rubric_row.id, number=number, status="draft", body=body)
        session.add(draft)
    else:
        draft.body = body
    rubric_row.title = rubric.title.ru
    session.flush()
    record(session, actor, "save_draft", draft, new={"rubric": rubric.id, "number": draft.number})
    return draft


def publish(session: Session, actor: User, slug: str, note: str) -> RubricVersion:
    """Freeze the draft as the newest published version."""
    require(actor, MANAGE_RUBRICS)
    draft = draft_of(session, slug)
    if draft is None:
        raise ValidationError("Rubric '{rubric}' has no draft to publish.", rubric=slug)
    if not note.strip():
        raise ValidationError("Describe what changed in this version.")
    draft.status, draft.note, draft.published_at, draft.published_by = "published", note.strip(), utcnow(), actor.id
    session.flush()
    record(session, actor, "publish", draft, new={"rubric": slug, "number": draft.number}, note=note)
    return draft


def import_rubric_file(session: Session, actor: User, path: str | Path) -> RubricVersion:
    """Validate a YAML file whole and store it as a draft; an invalid file changes nothing."""
    require(actor, MANAGE_RUBRICS)
    try:
        rubric = load_rubric(path)
    except RubricError as exc:
        raise ValidationError(str(exc)) from exc
    return save_draft(session, actor, rubric)


def export_rubric_file(version: RubricVersion, path: str | Path) -> None:
    Path(path).write_text(version.body, encoding="utf-8")


def rubric_slug_for_call(session: Session, call: Call, default_slug: str | None = None) -> str:
    """Written conversations get the written-reply rubric; calls the rubric whose call kinds include theirs."""
    summaries = {s.slug: s for s in list_rubrics(session) if s.published_version_id}
    if call.channel_kind in WRITTEN_CHANNELS and "written_reply" in summaries:
        return "written_reply"
    kind = rubric_call_kind(session, call.call_kind)
    if kind:
        for slug, summary in summaries.items():
            rubric = rubric_of(session.get(RubricVersion, summary.published_version_id))
            if kind in rubric.applies_to:
                return slug
    if default_slug in summaries:
        return default_slug
    if not summaries:
        raise NotFound("No published rubric in this workspace.")
    return next(iter(summaries))


@dataclass(frozen=True)
class VersionInfo:
    """One line of a rubric's history, for the editor's version list."""

    id: int
    number: int
    status: str  # draft | published
    note: str | None
    created_at: datetime
    published_at: datetime | None
    published_by: str | None  # the publisher's display name


def versions_of(session: Session, slug: str) -> list[VersionInfo]:
    """Every version of a rubric, newest first (the draft, when there is one, leads)."""
    rubric_row = _record(session, slug)
    names = {user.id: user.display_name for user in session.scalars(
        select(User).where(User.id.in_({v.published_by for v in rubric_row.versions if v.published_by})))}
    return [VersionInfo(v.id, v.number, v.status, v.note, v.created_at, v.published_at, names.get(v.published_by))
            for v in sorted(rubric_row.versions, key=lambda v: v.number, reverse=True)]


def get_version(session: Session, version_id: int) -> RubricVersion:
    """A stored version by id; NotFound when it was removed."""
    version = session.get(RubricVersion, version_id)
    if version is None:
        raise NotFound("Rubric version {id} is not in this workspace.", id=version_id)
    return version
