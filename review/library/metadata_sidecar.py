"""A metadata spreadsheet read for an import: its mapping, its rows keyed by recording, what it could not use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from review.library.metadata import CallMetadata, metadata_from_fields
from review.library.metadata_mapping import ColumnMapping, MappedRow, map_row, mapping_for
from review.library.metadata_table import MetadataError, Table, read_table
from review.library.telephony_presets import (
    Preset,
    apply_preset,
    detect_preset,
    preset_assignments,
    preset_named,
)

SIDECAR_NAMES = ("metadata.csv", "metadata.xlsx")
# What a folder's spreadsheet may be; .txt is left alone (a README beside recordings is common).
FOLDER_SPREADSHEETS = frozenset({".csv", ".tsv", ".xlsx", ".xlsm"})


@dataclass
class MetadataChoice:
    """How to read a metadata file: a preset by name, remembered (target, column) pairs, then `--map`."""

    preset: str | None = None
    remembered: list[tuple[str, str]] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)


@dataclass
class RowProblem:
    line: int
    column: str
    value: str
    reason: MetadataError  # app.i18n.error_text shows it in the interface's language


def _name_of(text: str) -> str:
    """A recording's name as a spreadsheet may write it: a bare name, a relative or a full path (any OS)."""
    return PureWindowsPath(text).name if "\\" in text else PurePosixPath(text).name


@dataclass
class Sidecar:
    """The rows of one metadata file, found by the recording's path, name or call id."""

    path: Path
    table: Table
    mapping: ColumnMapping
    preset: Preset | None
    rows: list[MappedRow]
    problems: list[tuple[int, MetadataError]] = field(default_factory=list)
    _by_key: dict[str, MappedRow] = field(default_factory=dict)
    _used: set[int] = field(default_factory=set)

    def index(self) -> None:
        for row in self.rows:
            for key in self._keys(row):
                self._by_key.setdefault(key, row)

    @staticmethod
    def _keys(row: MappedRow) -> Iterable[str]:
        if row.fields.get("file"):
            written = row.fields["file"].replace("\\", "/")
            yield f"file:{written}"
            yield f"name:{_name_of(row.fields['file'])}"
        if row.fields.get("call_id"):
            yield f"id:{row.fields['call_id']}"

    def lookup(self, recording: Path) -> MappedRow | None:
        try:
            relative = recording.relative_to(self.path.parent).as_posix()
        except ValueError:
            relative = recording.name
        keys = [f"file:{relative}", f"file:{recording.name}", f"name:{recording.name}"]
        # A CDR row names no file: the recording's name carries the call's unique id (…-1741673564.123.wav).
        keys += [f"id:{token}" for token in recording.stem.replace("_", "-").split("-")[::-1]]
        row = next((self._by_key[k] for k in keys if k in self._by_key), None)
        if row is not None:
            self._used.add(row.line)
        return row

    def unmatched(self) -> list[MappedRow]:
        return [row for row in self.rows if row.line not in self._used]


def read_sidecar(path: Path, choice: MetadataChoice | None = None) -> Sidecar:
    """Read a metadata file under a mapping (guessed, a preset's, remembered, overridden). Rows without a
    recording's name or call id are reported, the rest kept. Raises MetadataError when the file itself is
    unusable (unreadable, or no column names the recording)."""
    choice = choice or MetadataChoice()
    table = read_table(path)
    preset = preset_named(choice.preset) if choice.preset else detect_preset(table)
    table = apply_preset(table, preset)
    mapping = mapping_for(table, choice.overrides, [*preset_assignments(preset), *choice.remembered])
    if not mapping.has_key():
        raise MetadataError("{name} has no 'file' column naming the recording (nor a call id); its columns: "
                            "{columns}. Map one with --map file=COLUMN.", name=path.name,
                            columns=", ".join(table.headers))
    sidecar = Sidecar(path, table, mapping, preset, [])
    for source in table.rows:
        row = map_row(mapping, source.line, source.cells)
        if not (row.fields.get("file") or row.fields.get("call_id")):
            sidecar.problems.append((source.line, MetadataError("no recording named in this row (file name or call id)")))
            continue
        sidecar.rows.append(row)
    sidecar.index()
    return sidecar


def row_metadata(row: MappedRow) -> tuple[CallMetadata, list[RowProblem]]:
    """A row's metadata; each value that cannot be read is a problem of its own and the rest is kept."""
    problems: list[RowProblem] = []

    def note(name: str, value: str, exc: MetadataError) -> None:
        problems.append(RowProblem(row.line, row.columns.get(name, name), value, exc))

    meta = metadata_from_fields(row.fields, note)
    meta.tags.extend(tag for tag in row.tags if tag not in meta.tags)
    return meta, problems


def folder_spreadsheets(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir()
                      if p.is_file() and p.suffix.lower() in FOLDER_SPREADSHEETS and not p.name.startswith((".", "~$")))
    except OSError:
        return []


def folder_metadata_file(folder: Path) -> tuple[Path | None, list[Path]]:
    """The spreadsheet that describes a folder's recordings (metadata.csv, or the only spreadsheet there),
    and the others, which are reported as not used."""
    found = folder_spreadsheets(folder)
    named = [p for p in found if p.name.lower() in SIDECAR_NAMES]
    chosen = named[0] if named else (found[0] if len(found) == 1 else None)
    return chosen, [p for p in found if p != chosen]
