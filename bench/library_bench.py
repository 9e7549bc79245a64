"""Library at scale: 100,000 calls in a temporary SQLite database.

Prints the time until the library view shows its first page (read off the GUI thread), sort by duration, filter by operator + date range,
and import throughput for 1,000 small files — each beside a baseline measured in the same run.
Targets: first page < 300 ms, sort/filter < 100 ms.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from timing import best_ms  # noqa: E402  (bench/, beside this script)

from review.workspace import Workspace

CALLS = 100_000
OPERATORS = 200


def fill(db) -> None:
    from review.models import Call, Operator

    rng = random.Random(7)
    start = datetime(2026, 1, 1)
    with db.engine.begin() as connection:
        connection.execute(insert(Operator), [{"name": f"Оператор {i:03d}", "created_at": start} for i in range(OPERATORS)])
        rows = []
        for i in range(CALLS):
            rows.append({
                "path": f"/calls/{i}.wav", "sha256": f"{i:064x}", "size_bytes": 100_000, "duration_s": rng.uniform(10, 900),
                "sample_rate": 8000, "channels": 2, "codec": "PCM_16", "operator_channel": 0,
                "started_at": start + timedelta(minutes=rng.randrange(0, 300 * 24 * 60)),
                "direction": rng.choice(["in", "out"]), "channel_kind": "phone",
                "call_kind": rng.choice(["inbound_booking", "callback_checkup", "info_request"]),
                "outcome": rng.choice(["booked", "not_booked", "info_only"]), "tags": [],
                "operator_id": rng.randrange(1, OPERATORS + 1), "imported_at": start,
                "transcription_status": "done", "thanked": False, "version": 1,
            })
            if len(rows) == 10_000:
                connection.execute(insert(Call), rows)
                rows = []


def main() -> None:
    from app.call_table_model import CallTableModel
    from review.accounts.local_admin import ensure_local_admin
    from review.library.calls import CallFilter
    from review.library.importing import import_recordings
    from review.storage.db import open_database

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="kalibra-bench-"))
    os.environ["KALIBRA_DATA_DIR"] = str(folder / "data")
    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    started = time.perf_counter()
    fill(db)
    print(f"created {CALLS:,} calls for {OPERATORS} operators in {time.perf_counter() - started:.1f} s")
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)

    def baseline_page():
        with db.engine.connect() as connection:
            connection.execute(text("SELECT * FROM calls ORDER BY started_at DESC LIMIT 200")).fetchall()

    def settle(model) -> None:
        """The model reads off the GUI thread: run the event loop until the latest query's answer is in."""
        while model.loading:
            app.processEvents()
            time.sleep(0.0005)

    def first_page():
        model = CallTableModel(Workspace(db, actor))
        settle(model)
        for row in range(40):
            model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole)
        return model

    model = first_page()
    rows = [
        ("first page of the library view", best_ms(first_page), best_ms(baseline_page), 300),
    ]

    orders = iter([Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder] * 5)

    def sort_duration():  # by duration, either way in turn (the same sort again asks nothing)
        model.sort(2, next(orders))
        settle(model)
        model.data(model.index(0, 2))

    def baseline_sort():
        with db.engine.connect() as connection:
            connection.execute(text("SELECT * FROM calls ORDER BY duration_s DESC LIMIT 200")).fetchall()

    rows.append(("sort by duration", best_ms(sort_duration), best_ms(baseline_sort), 100))
    flt = CallFilter(operator_ids=(17,), started_from=datetime(2026, 3, 1), started_to=datetime(2026, 5, 31))

    def filter_operator_dates():
        model.set_filter(CallFilter())
        model.set_filter(flt)
        settle(model)
        model.data(model.index(0, 0))

    def baseline_filter():
        with db.engine.connect() as connection:
            connection.execute(text("SELECT * FROM calls WHERE operator_id = 17 AND started_at BETWEEN "
                                    "'2026-03-01' AND '2026-05-31' ORDER BY started_at DESC LIMIT 200")).fetchall()

    rows.append(("filter operator + date range", best_ms(filter_operator_dates), best_ms(baseline_filter), 100))

    print(f"\n{'measure':36} {'kalibra ms':>11} {'baseline ms':>12} {'ratio':>7} {'target ms':>10}")
    for name, ours, base, target in rows:
        verdict = "ok" if ours < target else "SLOW"
        print(f"{name:36} {ours:11.1f} {base:12.1f} {ours / base:7.1f} {target:>10} {verdict}")

    files = folder / "small"
    files.mkdir()
    tone = (0.2 * np.sin(np.linspace(0, 2000, 4000))).astype(np.float32)
    for i in range(1000):
        sf.write(files / f"{i:04d}.wav", tone * (1 + i / 1000), 8000)
    import hashlib

    def baseline_read():
        for path in sorted(files.iterdir()):
            hashlib.sha256(path.read_bytes()).hexdigest()
            sf.info(path)

    start = time.perf_counter()
    baseline_read()
    base_s = time.perf_counter() - start
    start = time.perf_counter()
    report = import_recordings(db, actor, [files])
    ours_s = time.perf_counter() - start
    assert report.imported == 1000, report.problems[:3]
    print(f"\nimport of 1,000 small files: {1000 / ours_s:,.0f} files/s ({ours_s:.2f} s); "
          f"baseline hash+probe only: {1000 / base_s:,.0f} files/s; ratio {ours_s / base_s:.1f}x")
    db.dispose()
    app.quit()


if __name__ == "__main__":
    main()
