"""The library by its conversation analytics: columns, range filters ("silence over 30 s", "operator talk over
70 %"), sorting, and `kalibra export calls` writing them for a spreadsheet."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from review.analytics.stored import record_analytics
from review.errors import ValidationError
from review.library.calls import CallFilter, MeasureRange, call_page, count_calls
from review.library.importing import import_recordings
from review.reporting.call_export import calls_table
from tests.conftest import REPO, write_tone_call
from transcription.transcript import Segment, Transcript, Word

# Call A: four silences of 9 s (36 s), the operator 45.5 s of 53.5 s of talk (85 %).
TALKY = [("operator", 0.5, 10.0), ("customer", 19.0, 25.0), ("operator", 34.0, 50.0), ("customer", 59.0, 61.0),
         ("operator", 70.0, 90.0)]
# Call B: silences of 4 and 6 s (10 s), the operator 18.5 s of 34.5 s (54 %).
BALANCED = [("operator", 0.5, 10.0), ("customer", 14.0, 30.0), ("operator", 36.0, 45.0)]


def _transcript(turns, duration: float) -> Transcript:
    segments = []
    for speaker, start, end in turns:
        n = round((end - start) / 0.5)
        words = [Word(start + i * (end - start) / n, start + (i + 1) * (end - start) / n, "да", 0.9) for i in range(n)]
        segments.append(Segment(speaker, start, end, " ".join(w.text for w in words), -0.2, 0.01, words))
    return Transcript("ru", duration, segments)


def measured_library(db, admin, folder):
    """Three calls: A and B measured from their transcripts, C not transcribed."""
    paths = [write_tone_call(folder / f"{name}.wav", seconds=seconds) for name, seconds in
             (("a_79161234567", 95.0), ("b", 50.0), ("c", 20.0))]
    ids = import_recordings(db, admin, paths).call_ids
    with db.unit_of_work() as session:
        record_analytics(session, ids[0], _transcript(TALKY, 95.0), None)
        record_analytics(session, ids[1], _transcript(BALANCED, 50.0), None)
    return ids


def _ids(session, admin, *ranges, **order):
    return [row.id for row in call_page(session, admin, CallFilter(ranges=ranges), **order)]


def test_rows_carry_the_analytics_and_ranges_filter_them(db, admin, tmp_path):
    a, b, c = measured_library(db, admin, tmp_path)
    with db.sessions() as session:
        rows = {row.id: row for row in call_page(session, admin, CallFilter())}
        assert rows[a].silence_total_s == pytest.approx(36.0) and rows[a].operator_share == pytest.approx(45.5 / 53.5,
                                                                                                        abs=0.001)
        assert rows[b].silence_total_s == pytest.approx(10.0) and rows[b].hold_total_s == 0.0
        assert (rows[c].silence_total_s, rows[c].operator_share, rows[c].overtalk_count) == (None, None, None)
        assert _ids(session, admin, MeasureRange("silence_total_s", minimum=30)) == [a]
        assert _ids(session, admin, MeasureRange("operator_share", minimum=0.7)) == [a]
        assert _ids(session, admin, MeasureRange("operator_share", maximum=0.7)) == [b]  # C is not measured
        assert _ids(session, admin, MeasureRange("silence_total_s", 5, 40),
                    MeasureRange("operator_share", maximum=0.6)) == [b]
        assert count_calls(session, admin, CallFilter(ranges=(MeasureRange("silence_longest_s", minimum=8.5),))) == 1
        assert _ids(session, admin, MeasureRange("silence_total_s", minimum=0), sort="silence_total_s",
                    descending=False) == [b, a]


def test_a_wrong_range_says_what_is_wrong():
    with pytest.raises(ValidationError, match="no call measure"):
        MeasureRange("loudness", minimum=1)
    with pytest.raises(ValidationError, match="ends below"):
        MeasureRange("silence_total_s", 30, 10)


def test_the_calls_table_masks_file_names_and_writes_shares_in_per_cent(db, admin, tmp_path):
    a, b, c = measured_library(db, admin, tmp_path)
    with db.sessions() as session:
        table = calls_table(session, admin, lang="en")
    titles = [column.title for column in table.columns]
    by_id = {row[0]: dict(zip(titles, row, strict=True)) for row in table.rows}
    assert by_id[a]["Operator talk share, %"] == pytest.approx(100 * 45.5 / 53.5, abs=0.1)
    assert by_id[a]["Silences"] == 4 and by_id[a]["Longest silence, s"] == pytest.approx(9.0)
    assert "79161234567" not in by_id[a]["File"] and by_id[a]["Speakers inferred"] == "no"
    assert by_id[c]["Silence total, s"] is None and by_id[c]["Speakers inferred"] is None


def _kalibra(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_export_calls_writes_the_analytics_columns_for_a_spreadsheet(sqlite_db, tmp_path):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    a, b, _c = measured_library(sqlite_db, admin, tmp_path / "calls")
    url = str(sqlite_db.engine.url)
    out = tmp_path / "calls.csv"
    done = _kalibra("--database", url, "export", "calls", "--format", "csv", "--lang", "en", "-o", str(out),
                    "--range", "silence_total_s=30..")
    assert done.returncode == 0, done.stderr
    assert "1 calls written" in done.stdout
    with out.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["ID"] == str(a) and row["Silence total, s"] == "36" and row["Silences"] == "4"
    assert row["Operator talk share, %"] == "85.05"
    russian = tmp_path / "calls_ru.csv"
    done = _kalibra("--database", url, "export", "calls", "-o", str(russian), "--range", "operator_share=..70%")
    assert done.returncode == 0, done.stderr
    lines = russian.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and "Доля речи оператора, %" in lines[0] and ";53,62;" in lines[1]
    wrong = _kalibra("--database", url, "export", "calls", "-o", str(russian), "--range", "silence_total_s>30")
    assert wrong.returncode == 1 and wrong.stderr.startswith("kalibra: A range is") and "Traceback" not in wrong.stderr


def test_kalibra_analytics_measures_calls_transcribed_before(sqlite_db, tmp_path):
    from review.accounts.local_admin import ensure_local_admin
    from review.models import CallAnalytics
    from review.transcripts.jobs import claim_next, complete

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    [call_id] = import_recordings(sqlite_db, admin, [write_tone_call(tmp_path / "t.wav", seconds=50.0)]).call_ids
    with sqlite_db.sessions() as session:
        assert complete(session, claim_next(session, "w", [call_id]), _transcript(BALANCED, 50.0), model="m",
                        processing_s=0.1)
    with sqlite_db.unit_of_work() as session:
        session.query(CallAnalytics).delete()
    done = _kalibra("--database", str(sqlite_db.engine.url), "analytics")
    assert done.returncode == 0, done.stderr
    assert "calls measured: 1" in done.stdout
    with sqlite_db.sessions() as session:
        assert session.get(CallAnalytics, call_id).operator_talk_s == pytest.approx(18.5)


def test_both_query_plans_give_the_same_rows(db, admin, tmp_path, monkeypatch):
    from review.library import calls

    a, b, _c = measured_library(db, admin, tmp_path)
    ranges = (MeasureRange("silence_total_s", minimum=5), MeasureRange("operator_share", maximum=0.9))
    with db.sessions() as session:
        through_index = _ids(session, admin, *ranges, sort="silence_total_s")
        monkeypatch.setattr(calls, "_MANY_MATCHES", 0)  # as if most of 100,000 calls matched
        along_the_order = _ids(session, admin, *ranges, sort="silence_total_s")
    assert through_index == along_the_order == [a, b]
