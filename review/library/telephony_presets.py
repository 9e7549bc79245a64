"""What telephony systems write: Asterisk/FreePBX CDR files and recording names, as column mappings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from review.library.metadata_mapping import IGNORE, TAG
from review.library.metadata_table import MetadataError, Table, as_headerless

# Asterisk's cdr_csv writes Master.csv without a header, in this order (uniqueid and userfield when
# loguniqueid/loguserfield are on, as FreePBX sets them; newer versions may append more).
ASTERISK_CDR_COLUMNS = ("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
                        "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
                        "uniqueid", "userfield", "peeraccount", "linkedid", "sequence")
_UNIQUEID = re.compile(r"^\d{9,}\.\d+$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
# FreePBX names recordings {kind}-{number}-{number}-{yyyymmdd}-{hhmmss}-{uniqueid}; which number is the
# patient's depends on the kind and the version, so the caller/extension split is decided by length.
FREEPBX_RECORDING = re.compile(
    r"^(?P<direction>in|out|q|rg|exten|internal|external|ondemand|force)-(?P<party_a>[^-]*)-(?P<party_b>[^-]*)"
    r"-(?P<date>\d{8})-(?P<time>\d{6})-(?P<call_id>\d+\.\d+)$")
RECORDING_DIRECTIONS = {"in": "in", "q": "in", "rg": "in", "external": "in", "out": "out"}


@dataclass(frozen=True)
class Preset:
    """A known export: column names for a headerless file, and what each column is stored as."""

    name: str
    headers: tuple[str, ...] | None  # None: the file has its own header row
    columns: dict[str, str] = field(default_factory=dict)  # field or TAG/IGNORE → column

    def base_mapping(self) -> dict[str, str]:
        return dict(self.columns)


# Plumbing a reviewer has no use for, and caller-id names (personal data that belongs in no tag).
_CDR_NOISE = {f"{IGNORE}:{c}": c for c in ("accountcode", "dcontext", "channel", "dstchannel", "lastapp",
                                            "lastdata", "answer", "end", "amaflags", "peeraccount", "sequence",
                                            "clid", "cnam", "outbound_cnam", "cnum", "outbound_cnum")}
PRESETS: dict[str, Preset] = {
    "asterisk": Preset("asterisk", ASTERISK_CDR_COLUMNS, {
        "started_at": "start", "caller": "src", "callee": "dst", "call_id": "uniqueid", **_CDR_NOISE,
    }),
    "freepbx": Preset("freepbx", None, {
        "started_at": "calldate", "caller": "src", "callee": "dst", "call_id": "uniqueid", "file": "recordingfile",
        **_CDR_NOISE,
    }),
}


def preset_named(name: str) -> Preset:
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise MetadataError("There is no preset {name}; the presets are: {presets}.", name=repr(name),
                            presets=", ".join(PRESETS)) from None


def detect_preset(table: Table) -> Preset | None:
    """The preset a table evidently comes from: a header row that is really a CDR record (Asterisk's
    Master.csv), or a FreePBX CDR report's header."""
    first = table.headers
    if (len(first) >= 16 and any(_UNIQUEID.match(cell) for cell in first)
            and any(_DATETIME.match(cell) for cell in first)):
        return PRESETS["asterisk"]
    keys = {h.strip().lower() for h in first}
    if {"calldate", "uniqueid", "src", "dst"} <= keys:
        return PRESETS["freepbx"]
    return None


def apply_preset(table: Table, preset: Preset | None) -> Table:
    """The table as the preset reads it (a headerless CDR gets its column names)."""
    if preset is None or preset.headers is None or table.headerless:
        return table
    width = max([len(table.headers), *(len(r.cells) for r in table.rows)])
    names = list(preset.headers[:width]) + [f"column{i + 1}" for i in range(len(preset.headers), width)]
    return as_headerless(table, names)


def preset_assignments(preset: Preset | None) -> list[tuple[str, str]]:
    """(target, column) pairs to apply in order: IGNORE/TAG may apply to many columns."""
    if preset is None:
        return []
    return [(IGNORE if key.startswith(f"{IGNORE}:") else TAG if key.startswith(f"{TAG}:") else key, column)
            for key, column in preset.columns.items()]


def _number(text: str | None) -> str | None:
    if not text:
        return None
    inner = re.search(r"<([^>]*)>", text)  # Asterisk's clid: "Анна" <79161234567>
    digits = re.sub(r"[^\d+]", "", inner.group(1) if inner else text)
    return digits or None


def _is_external(number: str | None) -> bool:
    return number is not None and len(number.lstrip("+")) >= 7


def resolve_parties(direction: str | None, caller: str | None, callee: str | None,
                    parties: tuple[str | None, str | None] = (None, None)) -> tuple[str | None, str | None, str | None]:
    """(direction, patient's phone, operator's extension) from a CDR's source and destination: an
    inbound call comes from the patient, an outbound one goes to them; without a direction, the long
    number is the patient's and the short one the extension."""
    caller, callee = _number(caller), _number(callee)
    if caller is None and callee is None:
        numbers = [n for n in map(_number, parties) if n]
        phone = next((n for n in numbers if _is_external(n)), None)
        return direction, phone, next((n for n in numbers if not _is_external(n)), None)
    if direction is None:
        if _is_external(caller) and not _is_external(callee):
            direction = "in"
        elif _is_external(callee) and not _is_external(caller):
            direction = "out"
    if direction == "in":
        return direction, caller, callee if not _is_external(callee) else None
    if direction == "out":
        return direction, callee, caller if not _is_external(caller) else None
    return direction, None, None


def fields_from_recording_name(stem: str) -> dict[str, str] | None:
    """Fields from a recording name FreePBX writes, or None for any other name."""
    match = FREEPBX_RECORDING.match(stem)
    if not match:
        return None
    fields = match.groupdict()
    direction = RECORDING_DIRECTIONS.get(fields.pop("direction"))
    return {**fields, "direction": direction} if direction else fields
