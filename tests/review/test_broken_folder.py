"""A whole messy folder in one `kalibra import`: nothing escapes, every file is in the report with its reason."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from sqlalchemy import select

from review.storage.db import open_database
from review.models import Call, Operator
from tests.conftest import REPO
from tests.review.broken_corpus import build_corpus
from transcription.probe import display_name


def _kalibra(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True,
                          env=env, timeout=600, errors="backslashreplace")


def _sections(stdout: str) -> dict[str, list[str]]:
    """The report's sections: title -> its lines ("path: reason")."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in stdout.splitlines():
        if re.fullmatch(r"[a-z][a-z ]+:", line):
            current = sections.setdefault(line[:-1], [])
        elif line.startswith("  ") and current is not None:
            current.append(line[2:])
    return sections


def _reason(section: list[str], path) -> str:
    shown = display_name(path) + ": "
    [line] = [line for line in section if line.startswith(shown)] or [""]
    assert line, f"{shown} missing from the report"
    assert line[len(shown):].strip(), f"{shown} has no reason"
    return line[len(shown):]


def test_a_messy_folder_imports_in_one_command(tmp_path):
    corpus = build_corpus(tmp_path)
    assert corpus.broken >= 50
    result = _kalibra("import", str(corpus.folder))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stderr
    sections = _sections(result.stdout)
    for path, expected in corpus.rejected.items():
        assert expected.lower() in _reason(sections["not imported"], path).lower()
    for path, expected in corpus.skipped.items():
        assert expected.lower() in _reason(sections["skipped"], path).lower(), path
    for path, expected in corpus.duplicates.items():
        assert expected in _reason(sections["already in the library"], path)
    for path, expected in corpus.warned.items():
        assert expected.lower() in _reason(sections["imported with a warning"], path).lower()
    problems = sections["not imported"]
    for csv_path in corpus.metadata_problems:
        assert any(line.startswith(display_name(csv_path)) for line in problems), csv_path
    db = open_database()
    with db.sessions() as session:
        stored = {call.path for call in session.scalars(select(Call))}
        operators = set(session.scalars(select(Operator.name)))
    db.dispose()
    assert stored == {str(path) for path in corpus.good}  # every good file, byte-exact names included
    assert operators == {"Анна Смирнова"}  # from the UTF-16 CSV; the broken CSVs gave none
    counts = re.search(r"imported: (\d+), already in the library: (\d+)", result.stdout)
    assert (int(counts[1]), int(counts[2])) == (len(corpus.good), len(corpus.duplicates))
