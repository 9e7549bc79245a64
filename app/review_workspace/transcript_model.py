"""The transcript as turns of words with times, and a thin Qt list model over it (one row per turn).

`turns_from_segments` and `TranscriptTimeline` are plain Python; `TranscriptModel` only adapts them to Qt.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from transcription.transcript import Word as SpokenWord

# Below this probability whisper was unsure of a word: it is marked for the reviewer to listen.
UNSURE_BELOW = 0.5
# Segments of one speaker closer than this are shown as one turn.
TURN_GAP_S = 1.0

TurnRole = Qt.ItemDataRole.UserRole + 1


class Word(NamedTuple):  # a tuple: ten thousand of them are built in milliseconds
    start: float
    end: float
    text: str
    probability: float
    masked: str = ""  # the kind of personal data this word hides ("phone"...); its text is then the mask label

    @property
    def unsure(self) -> bool:
        return self.probability < UNSURE_BELOW


@dataclass(frozen=True)
class Turn:
    speaker: str
    start: float
    end: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _words_of(segment) -> list[Word]:
    # The segment's words as the pipeline made them (transcription.transcript.Word), or as stored (its JSON).
    spoken = [w if isinstance(w, SpokenWord) else SpokenWord.from_stored(w) for w in segment.words or ()]
    words = [Word(w.start, w.end, w.text.strip(), w.probability) for w in spoken]
    words = [w for w in words if w.text]
    if words:
        return words
    # No word times (an old or imported transcript): spread the segment's words over its duration.
    tokens = segment.text.split()
    if not tokens:
        return []
    step = (segment.end_s - segment.start_s) / len(tokens)
    return [Word(segment.start_s + i * step, segment.start_s + (i + 1) * step, token, 1.0)
            for i, token in enumerate(tokens)]


def turns_from_segments(segments: Iterable) -> list[Turn]:
    """Stored segments (speaker, start_s, end_s, text, words) in time order -> turns of one speaker each."""
    turns: list[Turn] = []
    for segment in sorted(segments, key=lambda s: s.start_s):
        words = _words_of(segment)
        if not words:
            continue
        last = turns[-1] if turns else None
        if last is not None and last.speaker == segment.speaker and segment.start_s - last.end < TURN_GAP_S:
            turns[-1] = Turn(last.speaker, last.start, max(last.end, segment.end_s), last.words + tuple(words))
        else:
            turns.append(Turn(segment.speaker, segment.start_s, segment.end_s, tuple(words)))
    return turns


def mask_personal_data(turns: list[Turn], stretches: Iterable, labels: dict[str, str]) -> list[Turn]:
    """Turns with the words inside each personal-data stretch (kind, speaker, start_s, end_s) replaced by one
    masked word spanning them, whose text is `labels[kind]`. Clicking it still seeks to where it was said."""
    by_speaker: dict[str, list] = {}
    for stretch in stretches:
        by_speaker.setdefault(stretch.speaker, []).append(stretch)
    masked_turns = []
    for turn in turns:
        first, last = turn.words[0].start, turn.words[-1].end
        own = [s for s in by_speaker.get(turn.speaker, ()) if s.start_s <= last and s.end_s >= first]
        if not own:
            masked_turns.append(turn)
            continue
        words: list[Word] = []
        current = None
        for word in turn.words:
            middle = (word.start + word.end) / 2
            hit = next((s for s in own if s.start_s - 0.01 <= middle <= s.end_s + 0.01), None)
            if hit is None:
                words.append(word)
                current = None
            elif hit is current:
                words[-1] = words[-1]._replace(end=word.end)
            else:
                words.append(Word(word.start, word.end, labels.get(hit.kind, hit.kind), 1.0, hit.kind))
                current = hit
        masked_turns.append(Turn(turn.speaker, turn.start, turn.end, tuple(words)))
    return masked_turns


class TranscriptTimeline:
    """Which turn and word are playing at a moment (bisect over start times: O(log n) per playhead tick)."""

    def __init__(self, turns: list[Turn]) -> None:
        self.turns = turns
        # A word may start a hair before its segment (rounding): the turn begins at whichever is first.
        self._turn_starts = [min(t.start, t.words[0].start) for t in turns]
        self._word_starts = [[w.start for w in t.words] for t in turns]

    def locate(self, seconds: float) -> tuple[int, int]:
        """(turn row, word index) of the word being spoken at `seconds`; word -1 between words; (-1, -1) before
        the first turn."""
        row = bisect_right(self._turn_starts, seconds) - 1
        if row < 0:
            return -1, -1
        turn = self.turns[row]
        index = bisect_right(self._word_starts[row], seconds) - 1
        if index >= 0 and seconds <= turn.words[index].end + 0.05:
            return row, index
        return row, -1


class TranscriptModel(QAbstractListModel):
    """Rows are turns. Highlight, selection and comment badges are view state: a change repaints the rows named
    in `rows_restyled` instead of emitting dataChanged, which would make QListView lay out every row again."""

    rows_restyled = Signal(list)  # row numbers; an empty list means all rows

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.timeline = TranscriptTimeline([])
        self.current: tuple[int, int] = (-1, -1)
        self.selection: tuple[tuple[int, int], tuple[int, int]] | None = None
        self.comment_counts: dict[int, int] = {}

    @property
    def turns(self) -> list[Turn]:
        return self.timeline.turns

    def set_turns(self, turns: list[Turn]) -> None:
        self.beginResetModel()
        self.timeline = TranscriptTimeline(turns)
        self.current, self.selection, self.comment_counts = (-1, -1), None, {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.timeline.turns)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.timeline.turns):
            return None
        turn = self.timeline.turns[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return turn.text
        if role == TurnRole:
            return turn
        return None

    def set_position(self, seconds: float) -> tuple[int, int]:
        """Move the highlight to the word playing at `seconds`; repaints only the rows that changed."""
        found = self.timeline.locate(seconds)
        if found != self.current:
            old, self.current = self.current, found
            self.rows_restyled.emit([row for row in {old[0], found[0]} if row >= 0])
        return found

    def set_selection(self, first: tuple[int, int] | None, last: tuple[int, int] | None = None) -> None:
        old = self.selection
        self.selection = None if first is None else (min(first, last or first), max(first, last or first))
        rows = set()
        for sel in (old, self.selection):
            if sel is not None:
                rows.update(range(sel[0][0], sel[1][0] + 1))
        self.rows_restyled.emit(sorted(rows))

    def selection_times(self) -> tuple[float, float] | None:
        if self.selection is None:
            return None
        (r1, w1), (r2, w2) = self.selection
        return self.turns[r1].words[w1].start, self.turns[r2].words[w2].end

    def set_comment_times(self, times: Iterable[float]) -> None:
        counts: dict[int, int] = {}
        for t in times:
            row = max(0, bisect_right(self.timeline._turn_starts, t) - 1)
            if self.turns:
                counts[row] = counts.get(row, 0) + 1
        self.comment_counts = counts
        self.rows_restyled.emit([])
