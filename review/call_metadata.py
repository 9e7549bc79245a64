"""Metadata of a recording: from a sidecar CSV or from its file name through a user template."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from review.models import CALL_KINDS, CHANNEL_KINDS, OUTCOMES

SIDECAR_NAME = "metadata.csv"
# Documented sidecar columns; any other column is kept as a "column=value" tag.
KNOWN_COLUMNS = ("file", "operator", "started_at", "direction", "channel", "call_kind", "outcome", "tags", "phone",
                 "operator_channel", "language")

_DIRECTION_WORDS = {
    "in": "in", "inbound": "in", "incoming": "in", "вх": "in", "входящий": "in",
    "out": "out", "outbound": "out", "outgoing": "out", "исх": "out", "исходящий": "out",
}


@dataclass
class CallMetadata:
    operator: str | None = None
    started_at: datetime | None = None
    direction: str | None = None
    channel_kind: str | None = None
    call_kind: str | None = None
    outcome: str | None = None
    phone: str | None = None
    operator_channel: int | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)

    def merged_over(self, base: CallMetadata) -> CallMetadata:
        """This metadata, with gaps filled from `base` (the sidecar wins over the file name)."""
        merged = CallMetadata(**{k: getattr(self, k) if getattr(self, k) is not None else getattr(base, k)
                                 for k in ("operator", "started_at", "direction", "channel_kind", "call_kind",
                                           "outcome", "phone", "operator_channel", "language")})
        merged.tags = list(dict.fromkeys([*base.tags, *self.tags]))
        return merged


class MetadataError(ValueError):
    pass


def parse_direction(value: str) -> str:
    key = value.strip().lower()
    if key not in _DIRECTION_WORDS:
        raise MetadataError(f"direction {value!r} is not one of in/out")
    return _DIRECTION_WORDS[key]


def _parse_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in allowed:
        raise MetadataError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return key


def parse_datetime(value: str) -> datetime:
    text = value.strip()
    for candidate in (text, text.replace(" ", "T")):
        try:
            parsed = datetime.fromisoformat(candidate)
            return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed
        except ValueError:
            continue
    for fmt in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise MetadataError(f"date/time {value!r} is not understood (use 2026-10-28T14:05:00)")


def _parse_date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise MetadataError(f"date {value!r} is not understood")


def _parse_time(value: str) -> time:
    for fmt in ("%H-%M-%S", "%H%M%S", "%H:%M:%S", "%H-%M", "%H%M"):
        try:
            return datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    raise MetadataError(f"time {value!r} is not understood")


def metadata_from_fields(fields: dict[str, str]) -> CallMetadata:
    """Build metadata from named text fields (CSV columns or template groups); raises MetadataError."""
    meta = CallMetadata()
    for name, raw in fields.items():
        value = (raw or "").strip()
        if not value or name == "file":
            continue
        if name == "operator":
            meta.operator = value.replace("_", " ") if " " not in value else value
        elif name == "started_at":
            meta.started_at = parse_datetime(value)
        elif name == "direction":
            meta.direction = parse_direction(value)
        elif name == "channel":
            meta.channel_kind = _parse_choice(value, CHANNEL_KINDS, "channel")
        elif name == "call_kind":
            meta.call_kind = _parse_choice(value, CALL_KINDS, "call kind")
        elif name == "outcome":
            meta.outcome = _parse_choice(value, OUTCOMES, "outcome")
        elif name == "phone":
            meta.phone = value
        elif name == "operator_channel":
            meta.operator_channel = _parse_choice(value, ("left", "right"), "operator channel") == "right"
            meta.operator_channel = int(meta.operator_channel)
        elif name == "language":
            if not re.fullmatch(r"[a-z]{2,3}", value.lower()):
                raise MetadataError(f"language {value!r} is not a language code such as ru or en")
            meta.language = value.lower()
        elif name == "tags":
            meta.tags.extend(t.strip() for t in value.split(";") if t.strip())
        elif name not in ("date", "time"):
            meta.tags.append(f"{name}={value}")
    if fields.get("date"):
        day = _parse_date(fields["date"].strip())
        clock = _parse_time(fields["time"].strip()) if fields.get("time") else time()
        meta.started_at = datetime.combine(day, clock)
    return meta


@dataclass
class SidecarRow:
    line: int
    fields: dict[str, str]


@dataclass
class Sidecar:
    """Rows of a metadata CSV keyed by file name (relative path or bare name)."""

    path: Path
    rows: dict[str, SidecarRow]
    problems: list[tuple[int, str]]

    def lookup(self, recording: Path) -> SidecarRow | None:
        try:
            relative = recording.relative_to(self.path.parent).as_posix()
        except ValueError:
            relative = recording.name
        return self.rows.get(relative) or self.rows.get(recording.name)


def _sidecar_text(raw: bytes) -> str:
    """The CSV's text: UTF-8 or UTF-16 by its byte-order mark; a workbook or binary file is refused."""
    if not raw.strip():
        raise MetadataError("the file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"PK\x03\x04"):
        raise MetadataError("this is an Excel workbook or another archive, not a CSV: save it as CSV (UTF-8)")
    if b"\x00" in raw[:4096]:
        raise MetadataError("this is not a text file: save the metadata as CSV (UTF-8)")
    return raw.decode("utf-8-sig", errors="replace")


def read_sidecar(path: Path) -> Sidecar:
    """Read a metadata CSV; rows without a file name are reported, the rest kept. Raises MetadataError
    when the file itself is unusable (unreadable, no `file` column)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MetadataError(f"cannot read: {exc.strerror}") from exc
    text = _sidecar_text(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # strict: an unclosed quote is an error at its line, not one field that swallows the rest of the file
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, strict=True)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise MetadataError(f"the header line cannot be read ({exc})") from exc
    if not fieldnames or "file" not in [f.strip().lower() for f in fieldnames]:
        raise MetadataError("no 'file' column (expected: file,operator,started_at,direction,channel,call_kind,outcome,tags)")
    rows: dict[str, SidecarRow] = {}
    problems: list[tuple[int, str]] = []
    line_no = 1
    try:
        for row in reader:
            line_no += 1
            fields = {(k or "").strip().lower(): (v if isinstance(v, str) else "") for k, v in row.items() if k}
            name = fields.get("file", "").strip()
            if not name:
                problems.append((line_no, "no file name"))
                continue
            rows[name.replace("\\", "/")] = SidecarRow(line_no, fields)
    except csv.Error as exc:
        problems.append((line_no + 1, f"{exc} (an unclosed quote or a very long field?); this row and the "
                                      f"rows after it are not read"))
    return Sidecar(path, rows, problems)


_FIELD = re.compile(r"\{(\w+)\}")
# Fields with a known shape get a tight pattern, so a free field (an operator's name with underscores)
# cannot swallow its neighbours.
_FIELD_PATTERNS = {
    "date": r"\d{4}-?\d{2}-?\d{2}|\d{2}\.\d{2}\.\d{4}",
    "time": r"\d{2}[-:.]?\d{2}(?:[-:.]?\d{2})?",
    "direction": r"[^\W_]+",
    "phone": r"\+?\d+",
    "call_kind": r"[a-z_]+",
    "outcome": r"[a-z_]+",
}


def template_regex(template: str) -> re.Pattern[str]:
    """`{date}_{time}_{operator}` → a regex with one named group per field, matched against the file stem."""
    pattern, pos = "", 0
    for match in _FIELD.finditer(template):
        pattern += re.escape(template[pos:match.start()]) + f"(?P<{match.group(1)}>{_FIELD_PATTERNS.get(match.group(1), '.+?')})"
        pos = match.end()
    pattern += re.escape(template[pos:])
    try:
        return re.compile(f"^{pattern}$")
    except re.error as exc:
        raise MetadataError(f"file name template {template!r} is not valid: {exc}") from exc


def metadata_from_filename(path: Path, template: re.Pattern[str]) -> CallMetadata | None:
    """Metadata from the file name, or None when the name does not follow the template."""
    match = template.match(path.stem)
    if not match:
        return None
    return metadata_from_fields(match.groupdict())
