"""What the rubric editor reads and writes, as plain data: the rubric list, one version opened, save, publish, files.

Each function works in the one session it is given, so the editor calls it off the GUI thread (reads in
`ws.reading()`, writes in `ws.changing()`) and gets back frozen dataclasses, never live ORM rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from review.errors import KalibraError, ValidationError
from review.models import User
from review.scoring.rubric_store import (
    RubricSummary,
    VersionInfo,
    draft_of,
    get_version,
    import_rubric_file,
    latest_published,
    list_rubrics,
    publish,
    rubric_of,
    save_draft,
    versions_of,
)
from rubrics import Rubric, RubricError


class RubricFileError(KalibraError):
    """A rubric file that cannot be written."""


@dataclass(frozen=True)
class RubricShelf:
    """The editor's left column: every rubric, and the versions of the one in focus."""

    summaries: tuple[RubricSummary, ...]
    slug: str | None  # the rubric in focus
    versions: tuple[VersionInfo, ...]  # its versions, newest first
    has_draft: bool  # it has a stored draft


@dataclass(frozen=True)
class OpenedVersion:
    """One stored version as the editor shows it, with the shelf read in the same session."""

    slug: str
    version_id: int
    number: int
    status: str  # draft | published
    rubric: Rubric
    shelf: RubricShelf


def _shelf(session, slug: str | None) -> RubricShelf:
    summaries = tuple(list_rubrics(session))
    if slug is None or slug not in {s.slug for s in summaries}:
        return RubricShelf(summaries, slug, (), False)
    return RubricShelf(summaries, slug, tuple(versions_of(session, slug)), draft_of(session, slug) is not None)


def _opened(session, version) -> OpenedVersion:
    try:
        rubric = rubric_of(version)
    except RubricError as exc:  # a body stored by an older build that no longer loads
        raise ValidationError(str(exc)) from exc
    slug = version.rubric.slug
    return OpenedVersion(slug, version.id, version.number, version.status, rubric, _shelf(session, slug))


def read_shelf(session: Session, slug: str | None) -> RubricShelf:
    """The rubric list, and the versions of `slug` when it is stored."""
    return _shelf(session, slug)


def open_rubric(session: Session, slug: str) -> OpenedVersion:
    """The rubric's draft when it has one, else its newest published version."""
    return _opened(session, draft_of(session, slug) or latest_published(session, slug))


def open_version(session: Session, version_id: int) -> OpenedVersion:
    return _opened(session, get_version(session, version_id))


def _taken(session, rubric: Rubric) -> None:
    if any(summary.slug == rubric.id for summary in list_rubrics(session)):
        raise ValidationError("A rubric with the id '{rubric}' already exists; choose another id on the Rubric tab.",
                              rubric=rubric.id)


def save_rubric(session: Session, actor: User, rubric: Rubric, *, new: bool) -> OpenedVersion:
    """Store `rubric` as its draft; a new rubric whose id someone has taken meanwhile is refused."""
    if new:
        _taken(session, rubric)
    return _opened(session, save_draft(session, actor, rubric))


def publish_rubric(session: Session, actor: User, slug: str, note: str, rubric: Rubric | None = None, *,
                   new: bool = False) -> OpenedVersion:
    """Publish the draft of `slug`, first saving `rubric` as it when given. Run it in one transaction: a refused
    publish then stores nothing."""
    if rubric is not None:
        if new:
            _taken(session, rubric)
        save_draft(session, actor, rubric)
    draft = draft_of(session, slug)
    if draft is not None:
        _opened(session, draft)  # a draft whose body does not load is refused in its own words
    return _opened(session, publish(session, actor, slug, note))


def import_rubric(session: Session, actor: User, path: str | Path) -> OpenedVersion:
    """A YAML file stored as a draft, whole or not at all."""
    return _opened(session, import_rubric_file(session, actor, path))


def export_version(session: Session, version_id: int, path: str | Path) -> None:
    """Write a stored version's YAML as stored; a file that cannot be written is one sentence."""
    body = get_version(session, version_id).body
    try:
        Path(path).write_text(body, encoding="utf-8")
    except OSError as exc:
        raise RubricFileError("Cannot write {path}: {reason}.", path=str(path), reason=exc.strerror or str(exc)) from exc
