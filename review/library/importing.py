"""Import recordings into the library: scan, hash, probe, read metadata, one transaction per file.

Recordings are only ever read. A file already in the library (same SHA-256) is skipped; if it was moved,
its stored path is updated. Every file that cannot be imported is reported with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from review.accounts.access import IMPORT_CALLS, require
from review.accounts.operators import operator_named
from review.audit.trail import record
from review.errors import DatabaseError, KalibraError
from review.library.metadata import (
    CallMetadata,
    MetadataError,
    metadata_from_filename,
    resolve_terms,
    template_regex,
)
from review.library.metadata_sidecar import (
    MetadataChoice,
    Sidecar,
    folder_metadata_file,
    read_sidecar,
    row_metadata,
)
from review.library.source_layouts import source_layouts, source_of
from review.library.vocabularies import Vocabulary, load_vocabulary
from review.models import Call, TranscriptionJob, User
from review.storage.database_errors import describe_database_error
from review.storage.db import Database
from review.text_keys import phone_key
from review.written.conversation import WrittenFormatError
from review.written.written_import import WRITTEN_EXTENSIONS, import_written_file, looks_written
from review.written.written_settings import remember_identities
from transcription.audio import levels, probe
from transcription.errors import AudioDecodeError, UnsupportedCodecError
from transcription.probe import display_name

AUDIO_EXTENSIONS = frozenset({".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".mp4", ".webm", ".wma"})
# Files commonly found beside recordings that are not worth a complaint.
QUIET_EXTENSIONS = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".txt", ".json", ".md", ".yaml", ".yml", ".xml", ".ini", ".db", ".log"})
# Odd but valid audio gets a warning: shorter than this is rarely a real call.
SHORT_CALL_S = 1.0
# Below -80 dBFS a recording holds no sound anyone could hear.
SILENT_PEAK = 1e-4

Progress = Callable[[int, int, str], None]
log = logging.getLogger("kalibra.import")


class ImportNote(KalibraError):
    """What happened to one file, as a sentence the interface shows in its language (context "Errors")."""


@dataclass
class ImportIssue:
    path: str  # as printable text: bytes of a name that are not UTF-8 shown as \xNN
    reason: str  # in English, as the command line prints it
    note: KalibraError | None = None  # the same sentence as a template the interface translates

    @classmethod
    def of(cls, path: str, note: KalibraError) -> ImportIssue:
        return cls(path, str(note), note)


@dataclass
class ImportReport:
    """Every file met, accounted for: imported, already there, moved, skipped, rejected (plus warnings)."""

    imported: int = 0
    already_present: int = 0
    relocated: int = 0
    problems: list[ImportIssue] = field(default_factory=list)  # rejected: could not be imported
    skipped: list[ImportIssue] = field(default_factory=list)  # left out on purpose, and why
    duplicates: list[ImportIssue] = field(default_factory=list)  # already in the library: which call
    warnings: list[ImportIssue] = field(default_factory=list)  # imported, but odd
    imported_paths: list[str] = field(default_factory=list)
    cancelled: bool = False
    stopped: str | None = None  # the database failed: nothing more could be imported
    call_ids: list[int] = field(default_factory=list)

    @property
    def examined(self) -> int:
        return self.imported + self.already_present + self.relocated + len(self.problems)

    @property
    def failed(self) -> bool:
        """Something could not be imported (or the import did not finish)."""
        return bool(self.problems) or self.stopped is not None


def find_recordings(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Every audio file under the given files and folders, sorted; what is left out goes to the report."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).absolute()
        if path.is_dir():
            _walk(path, found, report)
        elif path.exists() or path.is_symlink():
            _consider(path, found, report, chosen=True)
        else:
            report.problems.append(ImportIssue.of(display_name(path), ImportNote("no such file or folder")))
    return found


def _walk(top: Path, found: list[Path], report: ImportReport) -> None:
    for folder, dirs, files in os.walk(top, onerror=lambda exc: _unreadable_folder(exc, report)):
        kept = []
        for name in sorted(dirs):
            place = Path(folder) / name
            if name.startswith("."):
                report.skipped.append(ImportIssue.of(display_name(place), ImportNote("hidden folder")))
            elif Path(name).suffix.lower() in AUDIO_EXTENSIONS:
                report.skipped.append(ImportIssue.of(display_name(place), ImportNote("a folder, not a recording")))
                kept.append(name)  # its name is odd, its contents may still be recordings
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            _consider(Path(folder) / name, found, report)


def _unreadable_folder(exc: OSError, report: ImportReport) -> None:
    report.problems.append(ImportIssue.of(display_name(exc.filename),
                                          ImportNote("folder cannot be read: {detail}", detail=exc.strerror)))


def _consider(path: Path, found: list[Path], report: ImportReport, chosen: bool = False) -> None:
    suffix = path.suffix.lower()
    shown = display_name(path)
    if path.name.startswith("."):
        if suffix in AUDIO_EXTENSIONS:  # ._x.wav (macOS) and .x.wav are not calls; say so
            report.skipped.append(ImportIssue.of(shown, ImportNote("hidden file")))
        return
    written = suffix in WRITTEN_EXTENSIONS and (chosen or looks_written(path))
    if suffix in QUIET_EXTENSIONS and not written:
        return
    if suffix not in AUDIO_EXTENSIONS and not written:
        report.skipped.append(ImportIssue.of(shown, ImportNote("not a supported audio format ({suffix})", suffix=suffix)
                              if suffix else ImportNote("not a supported audio format (no extension)")))
        return
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        report.problems.append(ImportIssue.of(shown, ImportNote("cannot be read: {detail}", detail=exc.strerror)))
        return
    if not stat.S_ISREG(mode):  # a pipe or device named .wav would block the import for ever
        report.skipped.append(ImportIssue.of(shown, ImportNote("not a regular file")))
        return
    found.append(path)


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
            self._report.problems.append(ImportIssue.of(display_name(path), exc))
            return None
        except (OSError, ValueError, csv.Error) as exc:  # csv.Error and decoding errors: the recordings still import
            self._report.problems.append(ImportIssue.of(
                display_name(path), ImportNote("cannot be read as CSV ({detail})", detail=str(exc))))
            return None
        for line, reason in sidecar.problems:
            self._report.problems.append(ImportIssue.of(f"{display_name(path)}:{line}", reason))
        self._loaded.append(sidecar)
        return sidecar

    def for_recording(self, recording: Path) -> Sidecar | None:
        folder = recording.parent
        if folder not in self._by_folder:
            chosen, others = folder_metadata_file(folder)
            used = self._explicit.path if self._explicit is not None else chosen
            for other in others + ([chosen] if chosen and used != chosen else []):
                if other != used:
                    self._report.problems.append(ImportIssue.of(str(other), ImportNote(
                        "metadata file not used; choose it as the metadata file to read it")))
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
            self._report.problems.append(ImportIssue.of(f"{sidecar.path}:{problem.line}", ImportNote(
                "column {column}, value {value}: {reason}; {recording} keeps the row's other fields",
                column=repr(problem.column), value=repr(problem.value), reason=problem.reason,
                recording=recording.name)))
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
                self._report.problems.append(ImportIssue.of(str(sidecar.path), ImportNote(
                    "rows that match no recording: {count} (the first on line {line})", count=len(rows),
                    line=rows[0].line)))


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
    operator_identities: dict[str, str] | None = None,
) -> ImportReport:
    """Import every recording under `paths`. Each file is its own unit and its own transaction: whatever
    goes wrong with one file is reported with it and the next file is looked at; a failure never leaves
    half a call behind. Cancelling (or Ctrl+C) keeps what was already imported and still returns the
    report; a database failure stops the import and is reported in `stopped`. `metadata_csv` is the
    metadata file (default: the one beside each folder's recordings), `metadata` how to read it.
    WhatsApp exports and mail files are imported as written interactions (review.written); `operator_identities`
    (address or chat name -> operator) are remembered for this import and the next."""
    require(actor, IMPORT_CALLS)
    report = ImportReport()
    try:
        if operator_identities:
            with db.sessions() as session, session.begin():
                remember_identities(session, actor, operator_identities)
        _import_all(db, actor, paths, report, filename_template, metadata_csv, metadata, progress, should_cancel)
    except KeyboardInterrupt:
        report.cancelled = True
    except (SQLAlchemyError, DatabaseError) as exc:
        report.stopped = str(describe_database_error(exc, db.url))
    return report


def _import_all(db, actor, paths, report, filename_template, metadata_csv, metadata, progress, should_cancel) -> None:
    template = None
    if filename_template:
        try:
            template = template_regex(filename_template)
        except MetadataError as exc:
            report.problems.append(ImportIssue.of(filename_template, exc))
    paths = [Path(p) for p in paths]  # walked once for recordings, once more for the metadata report
    recordings = find_recordings(paths, report)
    with db.sessions() as session:
        vocabulary = load_vocabulary(session)
        layouts = source_layouts(session)  # a source's layout is forced on its new calls (review.library.source_layouts)
    sidecars = _SidecarCache(report, Path(metadata_csv) if metadata_csv else None, metadata, vocabulary)
    total = len(recordings)
    for index, recording in enumerate(recordings):
        if should_cancel and should_cancel():
            report.cancelled = True
            break
        if progress:
            progress(index, total, display_name(recording.name))
        try:
            if recording.suffix.lower() in WRITTEN_EXTENSIONS:
                _import_written(db, actor, recording, report)
                continue
            meta = _metadata(recording, template, sidecars, vocabulary, report)
            source = source_of(recording, layouts)
            _import_one(db, actor, recording, meta, report, layouts[source] if source else None)
        except (SQLAlchemyError, DatabaseError):
            raise  # not this file's fault: every later file would fail the same way
        except KalibraError as exc:  # e.g. an operator name no one can have: this file only
            report.problems.append(ImportIssue.of(display_name(recording), exc))
        except Exception as exc:  # one bad file never stops the import; the traceback goes to the log
            log.error("import of %s failed", display_name(recording), exc_info=exc)
            report.problems.append(ImportIssue.of(display_name(recording), ImportNote(
                "cannot be imported ({detail})", detail=f"{exc.__class__.__name__}: {exc}")))
    if not report.cancelled:
        sidecars.report_unmatched([p for p in paths if p.is_dir()])
    if progress:
        progress(total if not report.cancelled else report.examined, total, "")


def _metadata(recording: Path, template, sidecars: _SidecarCache, vocabulary: Vocabulary,
              report: ImportReport) -> CallMetadata:
    meta = CallMetadata()
    try:
        meta = metadata_from_filename(recording, template) or meta
    except MetadataError as exc:
        report.problems.append(ImportIssue.of(display_name(recording), ImportNote(
            "file name: {reason}; imported without it", reason=exc)))
    resolve_terms(meta, vocabulary)
    from_csv = sidecars.metadata(recording)
    if from_csv is not None:
        meta = from_csv.merged_over(meta)
    return meta


def _import_one(db: Database, actor: User, recording: Path, meta: CallMetadata, report: ImportReport,
                layout: str | None = None) -> None:
    shown = display_name(recording)
    try:
        size = recording.stat().st_size
        sha = file_sha256(recording)
    except OSError as exc:
        report.problems.append(ImportIssue.of(shown, ImportNote("cannot be read: {detail}", detail=exc.strerror)))
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
                report.duplicates.append(ImportIssue.of(shown, _already_there(existing, stored, recording)))
            return
    try:
        info = probe(recording)
        odd = _oddities(recording, info)
    except UnsupportedCodecError as exc:
        report.skipped.append(ImportIssue.of(shown, ImportNote(exc.template, **exc.params)))
        return
    except AudioDecodeError as exc:
        report.problems.append(ImportIssue.of(shown, ImportNote(exc.template, **exc.params)))
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
                channel_layout=layout, channel_layout_forced=layout is not None,
            )
            session.add(call)
            session.flush()
            session.add(TranscriptionJob(call_id=call.id))
            record(session, actor, "import", call, new={"path": str(recording), "sha256": sha})
            report.call_ids.append(call.id)
    except IntegrityError:
        # Another desktop imported the same recording a moment ago.
        report.already_present += 1
        report.duplicates.append(ImportIssue.of(shown, ImportNote("already in the library (imported from another desktop just now)")))
        return
    report.imported += 1
    report.imported_paths.append(shown)
    report.warnings.extend(ImportIssue.of(shown, note) for note in odd)


def _import_written(db: Database, actor: User, path: Path, report: ImportReport) -> None:
    shown = display_name(path)
    try:
        result = import_written_file(db, actor, path)
    except OSError as exc:
        report.problems.append(ImportIssue.of(shown, ImportNote("cannot be read: {detail}", detail=exc.strerror)))
        return
    except WrittenFormatError as exc:  # the sentence says the line
        report.problems.append(ImportIssue.of(shown, exc))
        return
    report.call_ids.extend(result.imported + result.extended)
    if result.imported or result.extended:
        report.imported += 1
        report.imported_paths.append(shown)
    else:
        report.already_present += 1
        report.duplicates.append(ImportIssue.of(shown, ImportNote(
            "already in the library as interaction {numbers}", numbers=", ".join(f"#{i}" for i in result.present))))
    if result.extended:
        report.warnings.append(ImportIssue.of(shown, ImportNote(
            "new messages added to interaction {numbers}", numbers=", ".join(f"#{i}" for i in result.extended))))
    if result.left_out:
        report.warnings.append(ImportIssue.of(shown, ImportNote(
            "threads left out: {count} (no known operator wrote in them or was written to)", count=result.left_out)))


def _already_there(existing: Call, stored: Path, recording: Path) -> ImportNote:
    if stored == recording:
        return ImportNote("already in the library as call #{call}", call=existing.id)
    return ImportNote("already in the library as call #{call} ({file}, same content)", call=existing.id,
                      file=display_name(stored))


def _oddities(recording: Path, info) -> list[ImportNote]:
    """Warnings for audio that imports but may not be what was meant."""
    found = []
    if info.duration_s < SHORT_CALL_S:
        found.append(ImportNote("very short ({seconds} s)", seconds=f"{info.duration_s:.2f}"))
    if info.channels > 2:
        found.append(ImportNote("{channels} channels: only two speakers are told apart", channels=info.channels))
    measured = levels(recording)
    if measured.non_finite:
        found.append(ImportNote("{count} invalid samples (NaN or infinite), treated as silence",
                                count=measured.non_finite))
    if measured.peak < SILENT_PEAK:
        found.append(ImportNote("silent: no sound in the recording"))
    return found
