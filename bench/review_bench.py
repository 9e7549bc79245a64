"""The review screen's speed on a 30-minute stereo call, each figure beside a baseline measured in this run.

  open      ReviewWindow built, shown and painted (transcript, scorecard, player ready) for a 30-minute stereo
            call with ~10,000 transcribed words; cold (no waveform cache: the envelope is computed in the
            background, its arrival timed separately) and warm (cached envelope).
            Baselines: an empty window painted (the Qt floor) and the naive way to show a transcript, one
            QTextEdit holding all of it (not virtualised).
  seek      a mouse click on a word -> playback position moved, the word lit and repainted.
            Baseline: Player.seek alone (QMediaPlayer.setPosition, no UI).
  score     rubrics.score + explanation for a 60-question rubric with every question answered.
            Baseline: summing the 60 answers' points in a plain loop (the floor of any recompute).
            Also: the scorecard's refresh with that result (60 question cards).

Targets from the issue: open under 1 s once transcribed, seek under 50 ms, recompute under 5 ms.
Usage: QT_QPA_PLATFORM=offscreen python bench/review_bench.py [--minutes 30] [--words 10000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["KALIBRA_DATA_DIR"] = tempfile.mkdtemp(prefix="kalibra-bench-")

RATE = 8000


def make_call_audio(path: Path, minutes: float, seed: int = 7) -> None:
    """Stereo speech-like bursts: operator and customer take turns, with pauses and one hold."""
    rng = np.random.default_rng(seed)
    n = int(minutes * 60 * RATE)
    audio = np.zeros((n, 2), dtype=np.float32)
    at, channel = 0.5, 0
    while at < minutes * 60 - 2:
        length = rng.uniform(1.5, 6.0)
        start, end = int(at * RATE), min(n, int((at + length) * RATE))
        t = np.arange(end - start) / RATE
        syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2
        audio[start:end, channel] = 0.3 * syllables * np.sin(2 * np.pi * rng.uniform(120, 260) * t) + \
            0.02 * rng.standard_normal(end - start)
        at += length + rng.uniform(0.3, 1.2) + (25.0 if rng.random() < 0.005 else 0.0)
        channel = 1 - channel
    sf.write(path, audio, RATE, subtype="PCM_16", format="FLAC")


def make_segments(minutes: float, words: int) -> list[dict]:
    vocabulary = ("добрый день клиника запись врач кардиолог четверг время пациент анализы направление давление "
                  "удобно подтверждаю адрес паспорт спасибо пожалуйста").split()
    per_turn = 12
    turns = words // per_turn
    span = minutes * 60 / turns
    segments = []
    for number in range(turns):
        start = number * span
        step = span * 0.9 / per_turn
        items = [{"start": round(start + i * step, 3), "end": round(start + (i + 0.8) * step, 3),
                  "word": vocabulary[(number * 7 + i) % len(vocabulary)],
                  "probability": 0.4 if (number + i) % 11 == 0 else 0.92} for i in range(per_turn)]
        segments.append({"speaker": "operator" if number % 2 == 0 else "customer", "start_s": start,
                         "end_s": start + span * 0.9, "text": " ".join(w["word"] for w in items), "words": items})
    return segments


def sixty_question_rubric():
    from rubrics import rubric_from_data

    sections = []
    for s in range(6):
        questions = []
        for q in range(10):
            qid = f"s{s}_q{q}"
            kind = ("yes_no", "scale", "choice")[q % 3]
            question = {"id": qid, "type": kind, "text": {"ru": f"Вопрос {s}.{q}", "en": f"Question {s}.{q}"},
                        "na_allowed": q % 4 == 0, "critical": q == 1, "comment_required_below": 0.5}
            if kind == "scale":
                question["levels"] = [{"value": v, "label": str(v)} for v in range(4)]
            if kind == "choice":
                question["options"] = [{"key": k, "label": k, "points": p} for k, p in (("a", 2), ("b", 1), ("c", 0))]
            questions.append(question)
        sections.append({"id": f"s{s}", "title": f"Раздел {s}", "weight": 1 + s, "questions": questions})
    return rubric_from_data({"id": "sixty", "title": "60 вопросов", "sections": sections})


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def wait_painted(app, widget) -> None:
    widget.repaint()
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--words", type=int, default=10000)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLabel, QTextEdit

    from app.application import create_application
    from app.review_workspace import ReviewWindow
    from app.review_workspace.player import Player
    from app.review_workspace.rubric_form import ScorecardForm
    from review.accounts.local_admin import ensure_local_admin
    from review.models import Call, Segment
    from review.scoring.rubric_store import install_builtin_rubrics
    from review.storage.db import open_database
    from review.workspace import Workspace
    from rubrics import Answer, earned_points, score

    app = create_application()
    work = Path(os.environ["KALIBRA_DATA_DIR"])
    audio = work / "call30.flac"
    t = time.perf_counter()
    make_call_audio(audio, args.minutes)
    print(f"setup: {args.minutes:g}-minute stereo FLAC written in {time.perf_counter() - t:.1f} s")
    db = open_database(f"sqlite:///{work / 'bench.sqlite3'}")
    segments = make_segments(args.minutes, args.words)
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
        call = Call(path=str(audio), sha256=hashlib.sha256(audio.read_bytes()).hexdigest(),
                    size_bytes=audio.stat().st_size, duration_s=args.minutes * 60, sample_rate=RATE, channels=2,
                    codec="FLAC", call_kind="inbound_booking", direction="in", transcription_status="done")
        session.add(call)
        session.flush()
        for position, segment in enumerate(segments):
            session.add(Segment(call_id=call.id, position=position, **segment))
        call_id = call.id
    words = sum(len(s["words"]) for s in segments)
    print(f"setup: {len(segments)} turns, {words} words in a temp SQLite database\n")

    # ---------------------------------------------------------------- open
    t = time.perf_counter()
    floor = QLabel("Kalibra")
    floor.resize(1366, 768)
    floor.show()
    wait_painted(app, floor)
    floor_ms = (time.perf_counter() - t) * 1000
    floor.close()
    text = "\n".join(s["text"] for s in segments)
    t = time.perf_counter()
    naive = QTextEdit()
    naive.setPlainText(text)
    naive.resize(1366, 768)
    naive.show()
    wait_painted(app, naive)
    naive_ms = (time.perf_counter() - t) * 1000
    naive.close()

    def open_window() -> tuple[ReviewWindow, float, float]:
        start = time.perf_counter()
        window = ReviewWindow(Workspace(db, actor), call_id)
        window.resize(1366, 768)
        window.show()
        wait_painted(app, window)
        interactive = time.perf_counter() - start
        while window.waveform._envelope is None and time.perf_counter() - start < 60:
            app.processEvents()
            time.sleep(0.002)
        return window, interactive * 1000, (time.perf_counter() - start) * 1000

    from app.review_workspace.waveform_data import cache_path

    first, first_ms, first_wave_ms = open_window()
    first.close()
    with db.sessions() as session:
        cache_path(session.get(Call, call_id).sha256).unlink()
    cold, cold_ms, cold_wave_ms = open_window()
    cold.close()
    warm, warm_ms, warm_wave_ms = open_window()
    print("open a 30-minute call (window built, shown, painted; transcript + scorecard ready)")
    print(f"  baseline: empty window painted          {floor_ms:8.1f} ms")
    print(f"  baseline: QTextEdit with the transcript {naive_ms:8.1f} ms  (not virtualised, no times, no scoring)")
    print(f"  review window, first in this process    {first_ms:8.1f} ms  (one-time Qt Multimedia/FFmpeg start-up)")
    print(f"  review window, no waveform cache        {cold_ms:8.1f} ms  waveform drawn at {cold_wave_ms:.0f} ms")
    print(f"  review window, cached waveform          {warm_ms:8.1f} ms  waveform drawn at {warm_wave_ms:.0f} ms")
    print(f"  target < 1000 ms: {'met' if warm_ms < 1000 and cold_ms < 1000 else 'NOT met'}\n")

    # ---------------------------------------------------------------- seek
    window = warm
    window.activateWindow()
    view, model = window.transcript, window.model
    settle = time.perf_counter()
    while time.perf_counter() - settle < 0.5:  # the transcript finishes laying out its rows in slices
        app.processEvents()
    rng = np.random.default_rng(3)
    clicks, direct = [], []
    bare = Player()
    bare.load(audio, args.minutes * 60)
    for _ in range(60):
        row = int(rng.integers(0, model.rowCount()))
        word = int(rng.integers(0, len(model.turns[row].words)))
        view.scrollTo(model.index(row))
        app.processEvents()
        point = view.word_rect(row, word).center().toPoint()
        start = time.perf_counter()
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        view.viewport().repaint()
        window.waveform.repaint()
        clicks.append(time.perf_counter() - start)
        assert model.current == (row, word), (model.current, row, word)
        target = model.turns[row].words[word].start
        start = time.perf_counter()
        bare.seek(target)
        direct.append(time.perf_counter() - start)
    print("seek after a word click (click -> position set -> word lit and repainted), median of 60")
    print(f"  baseline: Player.seek alone             {median_ms(direct):8.2f} ms")
    print(f"  word click in the transcript            {median_ms(clicks):8.2f} ms  (max {max(clicks) * 1000:.1f})")
    print(f"  target < 50 ms: {'met' if max(clicks) < 0.05 else 'NOT met'}\n")
    bare.stop()
    warm.close()

    # ---------------------------------------------------------------- score
    rubric = sixty_question_rubric()
    questions = list(rubric.questions())
    answers = {}
    for number, question in enumerate(questions):
        value = {"yes_no": number % 5 != 0, "scale": number % 4, "choice": "ab"[number % 2]}[question.type]
        answers[question.id] = Answer(value)
    comments = {q.id: "комментарий" for q in questions}
    runs = 2000
    t = time.perf_counter()
    for _ in range(runs):
        total = 0.0
        for question in questions:
            total += earned_points(question, answers[question.id]) or 0.0
    floor_score = (time.perf_counter() - t) / runs
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = score(rubric, answers, None, comments)
        result.explain("ru")
        samples.append(time.perf_counter() - start)
    form = ScorecardForm()
    form.resize(520, 700)
    form.set_rubric(rubric, None, "ru")
    form.show()
    refresh = []
    for _ in range(50):
        start = time.perf_counter()
        form.set_score(result, "Черновик", False)
        app.processEvents()
        refresh.append(time.perf_counter() - start)
    print(f"score recompute, 60-question rubric, all answered (median of {runs})")
    print(f"  baseline: plain sum of 60 answers' points {floor_score * 1000:6.3f} ms")
    print(f"  rubrics.score + explanation             {median_ms(samples):8.3f} ms  "
          f"(score {result.overall:.1f} %)")
    print(f"  scorecard refresh with the new score    {median_ms(refresh):8.3f} ms")
    print(f"  target < 5 ms: {'met' if median_ms(samples) < 5 else 'NOT met'}")
    form.close()
    db.dispose()


if __name__ == "__main__":
    main()
