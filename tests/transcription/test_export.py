from __future__ import annotations

import json

from transcription.export import to_json, to_srt, to_txt
from transcription.transcript import Segment, Transcript, Word

TRANSCRIPT = Transcript(
    language="ru",
    duration_s=70.0,
    segments=[
        Segment(
            "operator",
            0.5,
            2.25,
            "Добрый день.",
            -0.2,
            0.01,
            [Word(0.5, 1.1, "Добрый", 0.9), Word(1.2, 2.25, "день.", 0.8)],
        ),
        Segment(
            "customer", 65.0, 66.5, "Здравствуйте.", -0.4, 0.02, [Word(65.0, 66.5, "Здравствуйте.", 0.7)]
        ),
    ],
)


def test_txt_has_speaker_and_time_per_line():
    assert to_txt(TRANSCRIPT) == "[00:00:00] Operator: Добрый день.\n[00:01:05] Customer: Здравствуйте.\n"
    assert to_txt(TRANSCRIPT, {"operator": "Оператор", "customer": "Клиент"}).splitlines()[1] == (
        "[00:01:05] Клиент: Здравствуйте."
    )


def test_srt_cues():
    assert to_srt(TRANSCRIPT) == (
        "1\n00:00:00,500 --> 00:00:02,250\nOperator: Добрый день.\n\n"
        "2\n00:01:05,000 --> 00:01:06,500\nCustomer: Здравствуйте.\n"
    )


def test_json_round_trip_keeps_words():
    data = json.loads(to_json(TRANSCRIPT))
    assert data["segments"][0]["words"][1] == {"start": 1.2, "end": 2.25, "text": "день.", "probability": 0.8,
                                                  "overlap": False}
    assert Transcript.from_dict(data) == TRANSCRIPT


def test_empty_transcript():
    empty = Transcript("ru", 3.0, [])
    assert to_txt(empty) == "" and to_srt(empty) == ""
