"""The first rows of a metadata file as they will be stored, and the call kinds and outcomes it brings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from review.library.metadata import resolve_terms
from review.library.metadata_sidecar import MetadataChoice, RowProblem, Sidecar, read_sidecar, row_metadata
from review.library.vocabularies import Vocabulary

# What the preview shows of a call, in this order.
PREVIEW_FIELDS = ("file", "operator", "started_at", "direction", "phone", "call_kind", "outcome", "tags")


@dataclass
class NewTerm:
    """A call kind or outcome the workspace's list lacks: its code, as written in the file, how often."""

    vocabulary: str
    code: str
    written: str
    count: int


@dataclass
class PreviewRow:
    line: int
    values: dict[str, str]
    problems: list[RowProblem]


@dataclass
class MetadataPreview:
    sidecar: Sidecar
    rows: list[PreviewRow]
    problem_count: int
    new_terms: list[NewTerm] = field(default_factory=list)


def preview_metadata(path: Path, choice: MetadataChoice | None, vocabulary: Vocabulary,
                     limit: int = 20) -> MetadataPreview:
    """Read `path` as the import would and show its first `limit` rows as stored; the new terms and the
    problem count cover the whole file. Raises MetadataError when the file is unusable."""
    sidecar = read_sidecar(path, choice)
    rows: list[PreviewRow] = []
    problems = len(sidecar.problems)
    counts: Counter[tuple[str, str]] = Counter()
    written: dict[tuple[str, str], str] = {}
    for row in sidecar.rows:
        meta, row_problems = row_metadata(row)
        raw = {"call_kind": meta.call_kind, "outcome": meta.outcome}
        for name, code in resolve_terms(meta, vocabulary).items():
            counts[(name, code)] += 1
            written.setdefault((name, code), raw[name] or code)
        problems += len(row_problems)
        if len(rows) < limit:
            rows.append(PreviewRow(row.line, {
                "file": row.fields.get("file") or row.fields.get("call_id", ""),
                "operator": meta.operator or "",
                "started_at": meta.started_at.isoformat(sep=" ", timespec="minutes") if meta.started_at else "",
                "direction": meta.direction or "",
                "phone": meta.phone or "",
                "call_kind": meta.call_kind or "",
                "outcome": meta.outcome or "",
                "tags": "; ".join(meta.tags),
            }, row_problems))
    new_terms = [NewTerm(name, code, written[(name, code)], count) for (name, code), count in counts.items()]
    return MetadataPreview(sidecar, rows, problems, new_terms)
