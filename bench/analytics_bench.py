"""Conversation analytics at scale, each beside a baseline measured in the same run.

1. A 30-minute stereo call: its analytics from the stored transcript and the stored waveform envelope (what
   the review screen and `kalibra analytics` do), against only reading that transcript and envelope; and
   what storing a transcript adds in the queue worker (the envelope read from the recording, then the
   analytics), against decoding the recording once. Target: < 1 s from the stored transcript and envelope.
2. The library filtered by an analytics column at 100,000 calls ("silence over 30 s", "operator talk over
   70 %"): the library view's count and first page, against the same rows by plain SQL. Target: < 100 ms.
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
from sqlalchemy import insert, text  # noqa: E402
from timing import best_ms  # noqa: E402  (bench/, beside this script)

from review.workspace import Workspace

CALL_S = 30 * 60.0
RATE = 8000
CALLS = 100_000
OPERATORS = 200


def long_call(folder: Path):
    """A 30-minute stereo WAV (noise where each party talks, a few holds with music) and its transcript."""
    from transcription.transcript import Segment, Transcript, Word

    rng = np.random.default_rng(3)
    audio = rng.normal(0, 3e-5, (int(CALL_S * RATE), 2)).astype(np.float32)
    segments, t, speaker = [], 0.5, 0
    while t < CALL_S - 20:
        length = float(rng.uniform(2, 14))
        words, w = [], t
        while w < t + length:
            words.append(Word(w, w + 0.28, "слово", 0.9))
            w += 0.33
        party = ("operator", "customer")[speaker]
        segments.append(Segment(party, t, w, " ".join(x.text for x in words), -0.2, 0.01, words))
        audio[int(t * RATE):int(w * RATE), speaker] += rng.normal(0, 0.1, int(w * RATE) - int(t * RATE))
        gap = float(rng.choice([0.4, 0.8, 1.5, 4.0, -1.2], p=[0.4, 0.3, 0.15, 0.1, 0.05]))
        if rng.random() < 0.01:  # now and then a hold with music on the operator's side
            gap = float(rng.uniform(15, 150))
            music = np.arange(int(gap * RATE)) / RATE
            audio[int(w * RATE):int(w * RATE) + len(music), 0] += 0.05 * np.sin(2 * np.pi * 440 * music)
        t, speaker = max(w + gap, t + 0.5), 1 - speaker
    path = folder / "long_call.wav"
    sf.write(path, audio, RATE, subtype="PCM_16")
    return path, Transcript("ru", CALL_S, segments)


def bench_call(db, actor, folder: Path) -> list[tuple]:
    from review.analytics.stored import _stored_transcript, analytics_thresholds
    from review.library.importing import import_recordings
    from review.models import Call
    from review.transcripts.jobs import claim_next, complete
    from transcription.audio import Envelope
    from transcription.conversation import analyse, recording_envelope

    path, transcript = long_call(folder)
    words = sum(len(s.words) for s in transcript.segments)
    [call_id] = import_recordings(db, actor, [path]).call_ids
    with db.sessions() as session:
        job = claim_next(session, "bench", [call_id])
        started = time.perf_counter()
        assert complete(session, job, transcript, model="bench", processing_s=0.0)
        stored_ms = (time.perf_counter() - started) * 1000
    cache = folder / "envelope.npz"
    recording_envelope(path).save(cache)  # as the review screen caches it
    print(f"30-minute call: {len(transcript.segments):,} segments, {words:,} words; storing its transcript "
          f"with analytics took {stored_ms:.0f} ms")

    def read_only():
        with db.sessions() as session:
            _stored_transcript(session, session.get(Call, call_id))
        Envelope.load(cache)

    def from_stored():
        with db.sessions() as session:
            stored = _stored_transcript(session, session.get(Call, call_id))
            thresholds = analytics_thresholds(session)
        return analyse(stored, Envelope.load(cache), thresholds)

    result = from_stored()
    print(f"  talk {result.operator_talk_s:.0f} / {result.customer_talk_s:.0f} s, silences {result.silence_count}, "
          f"holds {result.hold_count} ({result.hold_longest_s:.0f} s longest), overtalk {result.overtalk_count}")

    def worker_part():
        analyse(transcript, recording_envelope(path))

    def decode_once():
        sf.read(path, dtype="float32")

    return [("analytics, stored transcript + envelope", best_ms(from_stored, 3), best_ms(read_only, 3), 1000),
            ("worker: envelope from audio + analytics", best_ms(worker_part, 3), best_ms(decode_once, 3), None)]


def fill(db) -> None:
    from review.models import Call, CallAnalytics, Operator

    rng = random.Random(7)
    start = datetime(2026, 1, 1)
    with db.engine.begin() as connection:
        connection.execute(insert(Operator), [{"name": f"Оператор {i:03d}", "created_at": start} for i in range(OPERATORS)])
        calls, figures = [], []
        for i in range(1, CALLS + 1):
            calls.append({
                "id": i, "path": f"/calls/{i}.wav", "sha256": f"{i:064x}", "size_bytes": 100_000,
                "duration_s": rng.uniform(10, 900), "sample_rate": 8000, "channels": 2, "codec": "PCM_16",
                "operator_channel": 0, "started_at": start + timedelta(minutes=rng.randrange(0, 300 * 24 * 60)),
                "direction": rng.choice(["in", "out"]), "channel_kind": "phone", "call_kind": "inbound_booking",
                "outcome": "booked", "tags": [], "operator_id": rng.randrange(1, OPERATORS + 1), "imported_at": start,
                "transcription_status": "done", "thanked": False, "version": 1,
            })
            silence = rng.expovariate(1 / 15)
            figures.append({
                "call_id": i, "duration_s": 300.0, "operator_talk_s": 150.0, "customer_talk_s": 100.0,
                "operator_share": rng.uniform(0.3, 0.9), "silence_count": 3, "silence_total_s": silence,
                "silence_longest_s": silence / 2, "hold_count": 0, "hold_total_s": 0.0, "hold_longest_s": 0.0,
                "long_holds": 0, "overtalk_count": rng.randrange(0, 6), "overtalk_total_s": 2.0,
                "operator_interruptions": 0, "customer_interruptions": 0, "operator_words": 400,
                "operator_wpm": 160.0, "operator_first_word_s": 0.8, "speakers_inferred": False,
                "energy_used": True, "stretches": [], "thresholds": {}, "computed_at": start,
            })
            if len(calls) == 10_000:
                connection.execute(insert(Call), calls)
                connection.execute(insert(CallAnalytics), figures)
                calls, figures = [], []


def bench_library(db, actor) -> list[tuple]:
    from app.call_table_model import CallTableModel
    from review.library.calls import CallFilter, MeasureRange

    started = time.perf_counter()
    fill(db)
    print(f"created {CALLS:,} measured calls for {OPERATORS} operators in {time.perf_counter() - started:.1f} s")
    model = CallTableModel(Workspace(db, actor))
    rows = []
    for name, measure, low, sql in (("filter: silence over 30 s", "silence_total_s", 30.0, "a.silence_total_s >= 30"),
                                    ("filter: operator talk over 70 %", "operator_share", 0.7, "a.operator_share >= 0.7"),
                                    ("filter: silence over 150 s", "silence_total_s", 150.0, "a.silence_total_s >= 150")):
        flt = CallFilter(ranges=(MeasureRange(measure, minimum=low),))

        def ours(flt=flt):
            model.set_filter(CallFilter())
            model.set_filter(flt)
            model.data(model.index(0, 0))

        def baseline(sql=sql):
            with db.engine.connect() as connection:
                connection.execute(text(f"SELECT count(*) FROM calls c JOIN call_analytics a ON a.call_id = c.id "
                                        f"WHERE {sql}")).scalar()
                connection.execute(text(f"SELECT c.* FROM calls c JOIN call_analytics a ON a.call_id = c.id "
                                        f"WHERE {sql} ORDER BY c.started_at DESC LIMIT 200")).fetchall()

        ours()
        rows.append((f"{name} ({model.rowCount():,} calls)", best_ms(ours), best_ms(baseline), 100))
    return rows


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from review.accounts.local_admin import ensure_local_admin
    from review.storage.db import open_database

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="kalibra-analytics-bench-"))
    os.environ["KALIBRA_DATA_DIR"] = str(folder / "data")
    rows = []
    db = open_database(f"sqlite:///{folder / 'call.sqlite3'}")
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    rows += bench_call(db, actor, folder)
    db.dispose()
    db = open_database(f"sqlite:///{folder / 'library.sqlite3'}")
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    rows += bench_library(db, actor)
    db.dispose()
    print(f"\n{'measure':48} {'kalibra ms':>11} {'baseline ms':>12} {'ratio':>7} {'target ms':>10}")
    for name, ours, base, target in rows:
        verdict = "" if target is None else "ok" if ours < target else "SLOW"
        print(f"{name:48} {ours:11.1f} {base:12.1f} {ours / base:7.1f} {target or '—':>10} {verdict}")
    app.quit()


if __name__ == "__main__":
    main()
