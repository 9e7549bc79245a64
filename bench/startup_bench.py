"""Time from process start to the main window shown, beside `python -c 'import PySide6.QtWidgets'`.

Both are whole processes timed from outside (interpreter start included), best of several runs, on an
embedded database with the demo workspace loaded. Target: under 1.5 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOW_WINDOW = """
from app.application import create_application, open_main_window
app = create_application()
window = open_main_window()
window.show()
app.processEvents()
assert window.isVisible()
heavy = [m for m in ('faster_whisper', 'ctranslate2', 'av', 'openpyxl', 'reportlab') if m in __import__('sys').modules]
print('heavy modules imported at start-up:', heavy or 'none')
"""


def run(code: str, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip()


def main(repeat: int = 5) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kalibra-startup-"))
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "KALIBRA_DATA_DIR": str(folder / "data"), "KALIBRA_CONFIG_DIR": str(folder / "config"),
           "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, str(REPO / "main.py"), "demo"], env=env, check=True, capture_output=True)
    run(SHOW_WINDOW, env)  # warm the file cache and compile bytecode once
    ours = [run(SHOW_WINDOW, env) for _ in range(repeat)]
    base = [run("import PySide6.QtWidgets", env) for _ in range(repeat)]
    ours_s, base_s = min(t for t, _ in ours), min(t for t, _ in base)
    print(ours[0][1])
    print(f"{'measure':40} {'seconds':>8}")
    print(f"{'kalibra: process start to window shown':40} {ours_s:8.2f}")
    print(f"{'baseline: import PySide6.QtWidgets':40} {base_s:8.2f}")
    print(f"ratio {ours_s / base_s:.1f}x; target 1.5 s: {'ok' if ours_s < 1.5 else 'SLOW'}")


if __name__ == "__main__":
    main()
