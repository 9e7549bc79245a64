"""Metadata of a recording: from a metadata spreadsheet beside it or from its file name through a template."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from review.library.metadata_table import MetadataError
from review.models import CHANNEL_KINDS
from review.library.telephony_presets import fields_from_recording_name, resolve_parties
from review.library.vocabularies import Vocabulary, code_for

__all__ = ["CallMetadata", "MetadataError", "metadata_from_fields", "metadata_from_filename", "template_regex"]

_DIRECTION_WORDS = {
    "in": "in", "inbound": "in", "incoming": "in", "вх": "in", "входящий": "in", "входящая": "in", "i": "in",
    "out": "out", "outbound": "out", "outgoing": "out", "исх": "out", "исходящий": "out", "исходящая": "out",
    "o": "out",
}
# A field that could not be read: (field, value, why); the caller decides how to report it.
FieldProblem = Callable[[str, str, MetadataError], None]


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


def parse_direction(value: str) -> str:
    key = value.strip().lower().rstrip(".")
    if key not in _DIRECTION_WORDS:
        raise MetadataError("direction {value} is not one of in/out", value=repr(value))
    return _DIRECTION_WORDS[key]


def _parse_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in allowed:
        raise MetadataError("{what} {value} is not one of {allowed}", what=what, value=repr(value),
                            allowed=", ".join(allowed))
    return key


_DATETIME_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M:%S", "%d.%m.%y %H:%M",
                     "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                     "%Y%m%d-%H%M%S", "%Y%m%d %H%M%S", "%Y%m%d%H%M%S")
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y/%m/%d")


# The Russian spelling, read without strptime (ten times faster: a spreadsheet may hold 100,000 rows).
_RUSSIAN_DATETIME = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_datetime(value: str) -> datetime:
    text = value.strip()
    russian = _RUSSIAN_DATETIME.fullmatch(text)
    if russian:
        day, month, year, hour, minute, second = (int(part or 0) for part in russian.groups())
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass  # 31.02.2025: said below in the usual words
    for candidate in (text, text.replace(" ", "T")):
        try:
            parsed = datetime.fromisoformat(candidate)
            return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed
        except ValueError:
            continue
    for fmt in (*_DATETIME_FORMATS, *_DATE_FORMATS):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise MetadataError("date/time {value} is not understood (use 2026-10-28 14:05 or 28.10.2026 14:05)",
                        value=repr(value))


def _parse_time(value: str) -> time:
    for fmt in ("%H-%M-%S", "%H%M%S", "%H:%M:%S", "%H-%M", "%H%M", "%H:%M", "%H.%M"):
        try:
            return datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    raise MetadataError("time {value} is not understood", value=repr(value))


def _term_code(value: str, what: str) -> str:
    if not code_for(value):
        raise MetadataError("{what} {value} has no letters or digits", what=what, value=repr(value))
    return value.strip()


def metadata_from_fields(fields: dict[str, str], on_problem: FieldProblem | None = None) -> CallMetadata:
    """Metadata from named text fields (spreadsheet columns or template groups). A value that cannot be
    read loses only itself: it goes to `on_problem` and the other fields are kept; without `on_problem`
    the first one raises MetadataError. Call kinds and outcomes stay as written (see `resolve_terms`)."""
    meta = CallMetadata()
    values = {name: (raw or "").strip() for name, raw in fields.items()}

    def read(name: str, parse: Callable[[str], object]) -> object | None:
        try:
            return parse(values[name])
        except MetadataError as exc:
            if on_problem is None:
                raise
            on_problem(name, values[name], exc)
            return None

    for name, value in values.items():
        if not value or name in ("file", "date", "time", "caller", "callee", "party_a", "party_b", "extension"):
            continue
        if name == "operator":
            meta.operator = value.replace("_", " ") if " " not in value else value
        elif name == "started_at":
            meta.started_at = read(name, parse_datetime)
        elif name == "direction":
            meta.direction = read(name, parse_direction)
        elif name == "channel":
            meta.channel_kind = read(name, lambda v: _parse_choice(v, CHANNEL_KINDS, "channel"))
        elif name in ("call_kind", "outcome"):
            setattr(meta, name, read(name, lambda v, n=name: _term_code(v, n.replace("_", " "))))
        elif name == "phone":
            meta.phone = value
        elif name == "operator_channel":
            side = read(name, lambda v: _parse_choice(v, ("left", "right"), "operator channel"))
            meta.operator_channel = None if side is None else int(side == "right")
        elif name == "language":
            meta.language = read(name, _parse_language)
        elif name == "tags":
            meta.tags.extend(t.strip() for t in value.split(";") if t.strip())
        else:
            meta.tags.append(f"{name}={value}")
    if values.get("date"):
        _read_date_and_time(meta, values, read)
    _read_parties(meta, values)
    return meta


def _parse_language(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}", value.lower()):
        raise MetadataError("language {value} is not a language code such as ru or en", value=repr(value))
    return value.lower()


def _read_date_and_time(meta: CallMetadata, values: dict[str, str], read) -> None:
    # A "date" column often holds the time as well (Excel's "11.03.2025 9:12").
    day = read("date", parse_datetime)
    if day is None:
        return
    clock = read("time", _parse_time) if values.get("time") else None
    if clock is not None:
        day = datetime.combine(day.date(), clock)
    if meta.started_at is None:
        meta.started_at = day


def _read_parties(meta: CallMetadata, values: dict[str, str]) -> None:
    """The patient's phone and the operator's extension from a CDR's source and destination."""
    if not any(values.get(n) for n in ("caller", "callee", "party_a", "party_b", "extension")):
        return
    direction, phone, extension = resolve_parties(meta.direction, values.get("caller"), values.get("callee"),
                                                  (values.get("party_a"), values.get("party_b")))
    meta.direction = meta.direction or direction
    meta.phone = meta.phone or phone
    extension = values.get("extension") or extension
    if extension:
        meta.tags.append(f"extension={extension}")
        # The telephony knows the operator by extension only; the name is corrected once in the details.
        meta.operator = meta.operator or extension


def resolve_terms(meta: CallMetadata, vocabulary: Vocabulary) -> dict[str, str]:
    """Replace the call kind and outcome as written by the workspace's codes; returns the values that
    the workspace's lists do not hold yet (field → code), kept on the call to be added or mapped."""
    unknown: dict[str, str] = {}
    for name in ("call_kind", "outcome"):
        value = getattr(meta, name)
        if value:
            code, known = vocabulary.resolve(name, value)
            setattr(meta, name, code)
            if not known:
                unknown[name] = code
    return unknown


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
        raise MetadataError("file name template {template} is not valid: {reason}", template=repr(template),
                            reason=str(exc)) from exc


def metadata_from_filename(path: Path, template: re.Pattern[str] | None) -> CallMetadata | None:
    """Metadata from the file name: the user's template, else the names telephony systems write
    (FreePBX's in-79161234567-101-20250311-091244-1741673564.123.wav); None when neither matches."""
    match = template.match(path.stem) if template is not None else None
    if match:
        return metadata_from_fields(match.groupdict())
    fields = fields_from_recording_name(path.stem)
    return metadata_from_fields(fields) if fields is not None else None
