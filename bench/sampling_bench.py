"""Sampling 5 calls for each of 200 operators out of 100,000 calls in a temporary SQLite database.

Prints the sampling time beside a baseline in the same run: the plain SELECT of the candidate rows
(the same filters, no sampling). Target: sampling under 200 ms.

    python bench/sampling_bench.py [--calls 100000] [--operators 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from review.accounts.local_admin import ensure_local_admin  # noqa: E402
from review.storage.db import open_database  # noqa: E402
from review.models import Call, Operator  # noqa: E402
from review.sessions.sampling import SamplingRule, candidate_query, sample_calls  # noqa: E402

PERIOD_START = date(2026, 9, 1)
PERIOD_DAYS = 91


def fill(db, calls: int, operators: int) -> list[int]:
    rng = random.Random(7)
    with db.unit_of_work() as session:
        session.execute(insert(Operator), [{"name": f"Оператор {i:03d}"} for i in range(operators)])
        operator_ids = list(session.scalars(select(Operator.id).order_by(Operator.id)))
        rows = []
        for i in range(calls):
            started = datetime.combine(PERIOD_START, datetime.min.time()) + timedelta(
                seconds=rng.randrange(PERIOD_DAYS * 86400))
            rows.append({
                "path": f"/calls/{i}.wav", "sha256": f"{i:064x}", "size_bytes": 1000, "duration_s": rng.uniform(10, 600),
                "sample_rate": 8000, "channels": 2, "codec": "PCM_16", "started_at": started,
                "direction": rng.choice(("in", "out")), "channel_kind": "phone", "call_kind": "inbound_booking",
                "outcome": "booked", "operator_id": rng.choice(operator_ids), "transcription_status": "done",
                "tags": [], "thanked": False, "version": 1, "operator_channel": 0,
                "imported_at": datetime(2026, 12, 1), })
        session.execute(insert(Call), rows)
    return operator_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--operators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        started = time.perf_counter()
        operator_ids = fill(db, args.calls, args.operators)
        print(f"filled {args.calls:,} calls for {args.operators} operators in {time.perf_counter() - started:.1f} s")
        rule = SamplingRule(operator_ids=tuple(operator_ids), period_start=PERIOD_START,
                            period_end=PERIOD_START + timedelta(days=PERIOD_DAYS - 1), per_operator=5,
                            min_duration_s=15, exclude_reviewed=True, seed=2026)
        # The baseline: the plain SELECT of the candidate rows (same filters, start times as datetimes).
        baseline_query = candidate_query(rule).with_only_columns(Call.id, Call.operator_id, Call.started_at)
        baseline, sampling = [], []
        with db.sessions() as session:
            admin = ensure_local_admin(session)
            session.commit()
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                rows = session.execute(baseline_query).all()
                t1 = time.perf_counter()
                result = sample_calls(session, admin, rule)
                t2 = time.perf_counter()
                baseline.append((t1 - t0) * 1000)
                sampling.append((t2 - t1) * 1000)
        picked = sum(len(ids) for ids in result.picks.values())
        base_ms, sample_ms = statistics.median(baseline), statistics.median(sampling)
        print(f"baseline SELECT of {len(rows):,} candidate rows: {base_ms:7.1f} ms (median of {args.repeat})")
        print(f"sampling {picked} calls ({rule.per_operator} x {len(result.picks)} operators): "
              f"{sample_ms:7.1f} ms (median of {args.repeat}), {sample_ms / base_ms:.2f}x the baseline")
        print("target: sampling under 200 ms —", "MET" if sample_ms < 200 else "NOT MET")
        db.dispose()


if __name__ == "__main__":
    main()
