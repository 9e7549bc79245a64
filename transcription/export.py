"""A transcript as TXT (speaker and time per line), SRT subtitles, or JSON with word times."""

from __future__ import annotations

import json
from collections.abc import Mapping

from transcription.transcript import Transcript

DEFAULT_LABELS = {"operator": "Operator", "customer": "Customer", "unknown": "Speaker"}


def speaker_name(code: str, labels: Mapping[str, str] = DEFAULT_LABELS) -> str:
    """The label of a speaker code; a third voice and beyond (speaker_3...) as "Speaker 3"."""
    if code.startswith("speaker_") and code[8:].isdigit():
        return f"{labels.get('unknown', 'Speaker')} {code[8:]}"
    return labels.get(code, code)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _srt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms % 3_600_000 // 60_000:02d}:{ms % 60_000 // 1000:02d},{ms % 1000:03d}"


def to_txt(transcript: Transcript, labels: Mapping[str, str] = DEFAULT_LABELS) -> str:
    """One line per segment: "[00:01:05] Operator: text". labels lets the app pass translated names."""
    lines = [f"[{_clock(s.start)}] {speaker_name(s.speaker, labels)}: {s.text}" for s in transcript.segments]
    return "\n".join(lines) + ("\n" if lines else "")


def to_srt(transcript: Transcript, labels: Mapping[str, str] = DEFAULT_LABELS) -> str:
    blocks = []
    for number, s in enumerate(transcript.segments, start=1):
        end = max(s.end, s.start + 0.001)  # players reject cues that end where they start
        blocks.append(
            f"{number}\n{_srt_time(s.start)} --> {_srt_time(end)}\n{speaker_name(s.speaker, labels)}: {s.text}\n"
        )
    return "\n".join(blocks)


def to_json(transcript: Transcript) -> str:
    """Everything, words included; Transcript.from_dict(json.loads(...)) reads it back."""
    return json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2)
