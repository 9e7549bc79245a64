"""Import recordings into the library: scan, hash, probe, read metadata, one transaction per file.

Recordings are only ever read. A file already in the library (same SHA-256) is skipped; if it was moved,
its stored path is updated. Every file that cannot be imported is reported with the reason.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from review.access import IMPORT_CALLS, require
from review.audit import record
from review.call_metadata import (
    CallMetadata,
    MetadataError,
    metadata_from_filename,
    resolve_terms,
    template_regex,
)
from review.db import Database
from review.metadata_sidecar import MetadataChoice, Sidecar, folder_metadata_file, read_sidecar, row_metadata
from review.models import Call, TranscriptionJob, User
from review.operators import operator_named
from review.patient_thread import phone_key
from review.vocabularies import Vocabulary, load_vocabulary
from transcription.audio import probe
from transcription.errors import AudioDecodeError

AUDIO_EXTENSIONS = frozenset({".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".mp4", ".webm", ".wma"})
# Files commonly found beside recordings that are not worth a complaint.
QUIET_EXTENSIONS = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".txt", ".json", ".md", ".yaml", ".yml", ".xml", ".ini", ".db", ".log"})

Progress = Callable[[int, int, str], None]


@dataclass
class ImportIssue:
    path: str
    reason: str


@dataclass
class ImportReport:
    imported: int = 0
    already_present: int = 0
    relocated: int = 0
    problems: list[ImportIssue] = field(default_factory=list)
    cancelled: bool = False
    call_ids: list[int] = field(default_factory=list)

    @property
    def examined(self) -> int:
        return self.imported + self.already_present + self.relocated + len(self.problems)


def find_recordings(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Every audio file under the given files and folders, sorted; unreadable places go to the report."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            _consider(path, found, report)
        elif path.is_dir():
            for folder, dirs, files in os.walk(path, onerror=lambda exc: _unreadable_folder(exc, report)):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        _consider(Path(folder) / name, found, report)
        else:
            report.problems.append(ImportIssue(str(path), "no such file or folder"))
    return found


def _unreadable_folder(exc: OSError, report: ImportReport) -> None:
    report.problems.append(ImportIssue(str(exc.filename), f"folder cannot be read: {exc.strerror}"))


def _consider(path: Path, found: list[Path], report: ImportReport) -> None:
    suffix = path.suffix.lower()
    if suffix in AUDIO_EXTENSIONS:
        found.append(path)
    elif suffix not in QUIET_EXTENSIONS:
        report.problems.append(ImportIssue(str(path), f"not a supported audio format ({suffix or 'no extension'})"))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _SidecarCache:
    """The metadata file of each folder (or the one given), read once; an unusable one is reported once,
    and so is every spreadsheet beside the recordings that was not used."""

    def __init__(self, report: ImportReport, explicit: Path | None, choice: MetadataChoice | None,
                 vocabulary: Vocabulary) -> None:
        self._report = report
        self._choice = choice
        self._vocabulary = vocabulary
        self._by_folder: dict[Path, Sidecar | None] = {}
        self._loaded: list[Sidecar] = []
        self._reported_rows: set[tuple[Path, int]] = set()  # a row two recordings share is reported once
        self._explicit = self._load(explicit) if explicit else None

    def _load(self, path: Path) -> Sidecar | None:
        try:
            sidecar = read_sidecar(path, self._choice)
        except MetadataError as exc:
            self._report.problems.append(ImportIssue(str(path), str(exc)))
            return None
        for line, reason in sidecar.problems:
            self._report.problems.append(ImportIssue(f"{path}:{line}", reason))
        self._loaded.append(sidecar)
        return sidecar

    def for_recording(self, recording: Path) -> Sidecar | None:
        folder = recording.parent
        if folder not in self._by_folder:
            chosen, others = folder_metadata_file(folder)
            used = self._explicit.path if self._explicit is not None else chosen
            for other in others + ([chosen] if chosen and used != chosen else []):
                if other != used:
                    self._report.problems.append(ImportIssue(
                        str(other), "metadata file not used; choose it as the metadata file to read it"))
            self._by_folder[folder] = None if self._explicit is not None or chosen is None else self._load(chosen)
        return self._explicit if self._explicit is not None else self._by_folder[folder]

    def metadata(self, recording: Path) -> CallMetadata | None:
        sidecar = self.for_recording(recording)
        row = sidecar.lookup(recording) if sidecar else None
        if row is None:
            return None
        meta, problems = row_metadata(row)
        if (sidecar.path, row.line) in self._reported_rows:
            problems = []
        self._reported_rows.add((sidecar.path, row.line))
        for problem in problems:
            self._report.problems.append(ImportIssue(
                f"{sidecar.path}:{problem.line}",
                f"column {problem.column!r}, value {problem.value!r}: {problem.reason}; "
                f"{recording.name} keeps the row's other fields"))
        resolve_terms(meta, self._vocabulary)
        return meta

    def report_unmatched(self, scanned_folders: list[Path]) -> None:
        """Rows of a folder's own metadata file that name no recording there (a misspelt name, most often).
        A file given explicitly is left alone: a PBX's Master.csv holds every call ever made."""
        for sidecar in self._loaded:
            if sidecar is self._explicit or not any(sidecar.path.parent.is_relative_to(f) for f in scanned_folders):
                continue
            rows = sidecar.unmatched()
            if rows:
                self._report.problems.append(ImportIssue(
                    str(sidecar.path), f"{len(rows)} row(s) match no recording (the first on line {rows[0].line})"))


def import_recordings(
    db: Database,
    actor: User,
    paths: Iterable[str | Path],
    *,
    filename_template: str | None = None,
    metadata_csv: str | Path | None = None,
    metadata: MetadataChoice | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import every recording under `paths`. Each file is its own transaction: a failure never leaves
    half a call behind, and cancelling keeps what was already imported. `metadata_csv` is the metadata file
    (default: the one beside each folder's recordings), `metadata` how to read it (preset, mapping)."""
    require(actor, IMPORT_CALLS)
    report = ImportReport()
    template = None
    if filename_template:
        try:
            template = template_regex(filename_template)
        except MetadataError as exc:
            report.problems.append(ImportIssue(filename_template, str(exc)))
    paths = [Path(p) for p in paths]  # walked once for recordings, once more for the metadata report
    recordings = find_recordings(paths, report)
    with db.sessions() as session:
        vocabulary = load_vocabulary(session)
    sidecars = _SidecarCache(report, Path(metadata_csv) if metadata_csv else None, metadata, vocabulary)
    total = len(recordings)
    for index, recording in enumerate(recordings):
        if should_cancel and should_cancel():
            report.cancelled = True
            break
        if progress:
            progress(index, total, recording.name)
        meta = CallMetadata()
        try:
            meta = metadata_from_filename(recording, template) or meta
        except MetadataError as exc:
            report.problems.append(ImportIssue(str(recording), f"file name: {exc}; imported without it"))
        resolve_terms(meta, vocabulary)
        from_csv = sidecars.metadata(recording)
        if from_csv is not None:
            meta = from_csv.merged_over(meta)
        _import_one(db, actor, recording, meta, report)
    if not report.cancelled:
        sidecars.report_unmatched([p for p in paths if p.is_dir()])
    if progress:
        progress(total if not report.cancelled else report.examined, total, "")
    return report


def _import_one(db: Database, actor: User, recording: Path, meta: CallMetadata, report: ImportReport) -> None:
    try:
        size = recording.stat().st_size
        sha = file_sha256(recording)
    except OSError as exc:
        report.problems.append(ImportIssue(str(recording), f"cannot be read: {exc.strerror}"))
        return
    with db.sessions() as session:
        existing = session.scalar(select(Call).where(Call.sha256 == sha))
        if existing is not None:
            stored = Path(existing.path)
            if stored != recording and not stored.exists():
                record(session, actor, "relocate", existing, old={"path": existing.path}, new={"path": str(recording)})
                existing.path = str(recording)
                session.commit()
                report.relocated += 1
            else:
                report.already_present += 1
            return
    try:
        info = probe(recording)
    except AudioDecodeError as exc:
        report.problems.append(ImportIssue(str(recording), exc.reason))
        return
    try:
        with db.sessions() as session, session.begin():
            operator = operator_named(session, meta.operator, actor) if meta.operator else None
            call = Call(
                path=str(recording), sha256=sha, size_bytes=size, duration_s=info.duration_s,
                sample_rate=info.sample_rate, channels=info.channels, codec=info.codec,
                operator_channel=meta.operator_channel or 0, started_at=meta.started_at,
                direction=meta.direction, channel_kind=meta.channel_kind or "phone", call_kind=meta.call_kind,
                outcome=meta.outcome, phone=meta.phone, phone_key=phone_key(meta.phone), language=meta.language, tags=meta.tags, operator=operator,
            )
            session.add(call)
            session.flush()
            session.add(TranscriptionJob(call_id=call.id))
            record(session, actor, "import", call, new={"path": str(recording), "sha256": sha})
            report.call_ids.append(call.id)
    except IntegrityError:
        # Another desktop imported the same recording a moment ago.
        report.already_present += 1
        return
    report.imported += 1
