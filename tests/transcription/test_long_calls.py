"""A long call is transcribed a piece at a time: one transcript, times continuing across the pieces."""

from __future__ import annotations

import pytest

from transcription import long_calls
from transcription.audio import probe
from transcription.pipeline import TranscriptionOptions, transcribe_call

pytestmark = [pytest.mark.usefixtures("festival"), pytest.mark.model]


def test_pieces_make_one_transcript_with_continuing_times(dialogue_call, whisper, monkeypatch):
    path, turns = dialogue_call
    duration = probe(path).duration_s
    options = TranscriptionOptions(language="ru", beam_size=1)
    whole = transcribe_call(path, options, whisper)
    monkeypatch.setattr(long_calls, "PIECE_S", round(turns[3].start - 0.2, 1))  # a boundary in a pause
    assert long_calls.is_long(duration)
    seen = []
    pieced = long_calls.transcribe_in_pieces(path, options, whisper, seen.append)
    assert pieced.duration_s == pytest.approx(duration) and pieced.language == "ru"
    starts = [s.start for s in pieced.segments]
    assert starts == sorted(starts) and starts[-1] > long_calls.PIECE_S  # the second piece, shifted
    assert {s.speaker for s in pieced.segments} == {s.speaker for s in whole.segments}
    later = [w for s in pieced.segments for w in s.words if w.start > long_calls.PIECE_S]
    assert later and all(s.start <= w.start <= w.end <= s.end + 0.5 for s in pieced.segments for w in s.words)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    words_whole = len(whole.text.split())
    assert abs(len(pieced.text.split()) - words_whole) <= 3
