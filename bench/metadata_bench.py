"""The import dialog's preview of a large clinic spreadsheet: 10,000 rows, Windows-1251, `;`-separated.

Prints the time to read, map and check every row (what each change in the mapping step redoes) beside a
baseline in the same run: decoding the file and splitting it with csv.reader, nothing else.

    python bench/metadata_bench.py [--rows 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from review.storage.db import open_database  # noqa: E402
from review.library.metadata_preview import preview_metadata  # noqa: E402
from review.library.vocabularies import load_vocabulary  # noqa: E402


def write_sheet(path: Path, rows: int) -> None:
    lines = ["Файл;Оператор;Дата и время;Направление;Вид звонка;Телефон"]
    lines += [f"c{i}.wav;Оператор {i % 40};11.03.2025 09:{i % 60:02d}:00;вх;kind_{i % 25};+7 916 {i:07d}"
              for i in range(rows)]
    path.write_bytes("\r\n".join(lines).encode("cp1251"))


def timed(work, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    sheet = folder / "calls.csv"
    write_sheet(sheet, args.rows)
    db = open_database(f"sqlite:///{folder / 'kalibra.sqlite3'}")
    with db.sessions() as session:
        vocabulary = load_vocabulary(session)
    preview = timed(lambda: preview_metadata(sheet, None, vocabulary), args.repeat)
    baseline = timed(lambda: list(csv.reader(io.StringIO(sheet.read_bytes().decode("cp1251")), delimiter=";")),
                     args.repeat)
    print(f"preview of {args.rows:,} rows: {preview * 1000:.0f} ms "
          f"(baseline, decode + csv.reader: {baseline * 1000:.0f} ms)")
    db.dispose()


if __name__ == "__main__":
    main()
