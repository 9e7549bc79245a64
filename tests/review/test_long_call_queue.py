"""The queue worker transcribes a long call in pieces and stores one transcript."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.library.importing import import_recordings
from review.models import Segment
from review.transcripts.worker import process_next
from tests.transcription.synth import DIALOGUE, make_call
from transcription import long_calls
from transcription.pipeline import TranscriptionOptions

pytestmark = [pytest.mark.model,
              pytest.mark.usefixtures("festival")]


def test_a_long_call_is_stored_once_from_its_pieces(db, admin, whisper_folder, tmp_path, monkeypatch):
    turns = make_call(DIALOGUE[:4], tmp_path / "long.flac")
    [call_id] = import_recordings(db, admin, [tmp_path / "long.flac"]).call_ids
    monkeypatch.setattr(long_calls, "PIECE_S", round(turns[2].start - 0.2, 1))
    events = []
    [outcome] = process_next(db, TranscriptionOptions(language="ru", beam_size=1, model_folder=str(whisper_folder)),
                             emit=events.append)
    assert outcome.ok, outcome.reason
    progress = [e[2] for e in events if e[0] == "progress"]
    assert progress and progress == sorted(progress)
    with db.sessions() as session:
        segments = list(session.scalars(select(Segment).where(Segment.call_id == call_id).order_by(Segment.position)))
    assert segments and segments[-1].start_s > long_calls.PIECE_S
    assert [s.start_s for s in segments] == sorted(s.start_s for s in segments)
