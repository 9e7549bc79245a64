"""The tree passes the project's linter (ruff, settings in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--no-cache", str(REPO)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:]
