"""The layering contracts: domain packages import no Qt and no app code, screens no storage (import-linter)."""

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


def _made_up_tree(root: Path) -> None:
    for package in ("app", "review", "review/storage", "rubrics", "transcription"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("")
    for module in ("db", "migrate"):
        (root / "review" / "storage" / f"{module}.py").write_text("")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")


def test_contract_catches_qt_in_the_domain(tmp_path):
    _made_up_tree(tmp_path)
    (tmp_path / "rubrics" / "editor.py").write_text("from PySide6 import QtWidgets\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "Domain packages know nothing of Qt BROKEN" in result.stdout


def test_contract_catches_a_screen_reaching_into_storage(tmp_path):
    _made_up_tree(tmp_path)
    (tmp_path / "review" / "workspace.py").write_text("from review.storage.db import Database\n")
    (tmp_path / "app" / "page.py").write_text("from review.workspace import Workspace\n")  # the one way in
    result = _lint(tmp_path)
    assert "The interface reaches storage only through core operations KEPT" in result.stdout, result.stdout
    for reaching in ("from review.storage.db import Database\n",  # not even the handle: screens take a Workspace
                     "from review.storage import migrate\n", "import sqlalchemy\n"):
        (tmp_path / "app" / "page.py").write_text(reaching)
        result = _lint(tmp_path)
        assert result.returncode != 0, reaching
        assert "The interface reaches storage only through core operations BROKEN" in result.stdout
