"""The layering contract: domain packages import no Qt and no app code (checked by import-linter)."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def test_domain_packages_keep_the_contract():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Domain packages know nothing of Qt KEPT" in result.stdout


def test_contract_catches_qt_in_the_domain(tmp_path):
    for package in ("app", "review", "rubrics", "transcription"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "rubrics" / "editor.py").write_text("from PySide6 import QtWidgets\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "Domain packages know nothing of Qt BROKEN" in result.stdout
