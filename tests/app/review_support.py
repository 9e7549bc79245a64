"""A demo call ready for review: imported from resources/demo with its metadata, and a transcript built from the
call's script (the turns' real times; word times spread over each turn), stored as the transcription queue would."""

from __future__ import annotations

from pathlib import Path

import yaml

from resources import DEMO_CALLS
from review.storage.db import Database
from review.library.importing import import_recordings
from review.models import Call, Segment, Transcript, User
from review.scoring.rubric_store import install_builtin_rubrics

SCRIPTS = DEMO_CALLS.parent / "scripts"
# Every 9th word is stored as unsure, so the screen has low-confidence words to mark.
UNSURE_EVERY = 9


def script_segments(name: str) -> list[dict]:
    script = yaml.safe_load((SCRIPTS / f"{name}.yaml").read_text(encoding="utf-8"))
    segments = []
    counter = 0
    for turn in script["turns"]:
        tokens = turn["text"].split()
        weights = [len(t) + 2 for t in tokens]
        span, total, at = turn["end"] - turn["start"], sum(weights), turn["start"]
        words = []
        for token, weight in zip(tokens, weights, strict=True):
            length = span * weight / total
            counter += 1
            words.append({"start": round(at, 3), "end": round(at + length * 0.9, 3), "word": token,
                          "p": 0.35 if counter % UNSURE_EVERY == 0 else 0.93})
            at += length
        segments.append({"speaker": turn["speaker"], "start_s": turn["start"], "end_s": turn["end"],
                         "text": turn["text"], "words": words})
    return segments


def reviewable_demo_call(db: Database, actor: User, name: str = "ru01_booking_cardiology") -> int:
    """Import one demo recording (with its sidecar metadata) and store its transcript; returns the call id."""
    report = import_recordings(db, actor, [DEMO_CALLS / f"{name}.flac"])
    assert report.call_ids, report.problems
    call_id = report.call_ids[0]
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, actor)
        for position, segment in enumerate(script_segments(name)):
            session.add(Segment(call_id=call_id, position=position, avg_logprob=-0.2, no_speech_prob=0.01,
                                **segment))
        session.add(Transcript(call_id=call_id, language=name[:2], model="script"))
        session.get(Call, call_id).transcription_status = "done"
    return call_id


def demo_audio(name: str) -> Path:
    return DEMO_CALLS / f"{name}.flac"
