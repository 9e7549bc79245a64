"""Find calls by the words spoken in them.

SQLite indexes stemmed words (Snowball, Russian and English) in an FTS5 table and matches query stems as
prefixes, so "перезвоните" finds "перезвонить". PostgreSQL uses its own `russian` text-search config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import snowballstemmer
from sqlalchemy import column, func, literal_column, select, table
from sqlalchemy.orm import Session

from review.accounts.access import visible_calls
from review.models import Call, Operator, Segment, User

_FTS = table("segments_fts", column("rowid"), column("rank"))
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _stemmer("russian" if _CYRILLIC.search(word) else "english").stemWord(word)


def stems(text_: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text_.lower().replace("ё", "е"))]


def index_text(text_: str) -> str:
    """What a segment stores in `search_text` for the SQLite index."""
    return " ".join(stems(text_))


def matched_spans(text_: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of the words in `text_` that the query found, by the same rule as the index: a word
    whose stem begins with a query word's stem ("записаться" for "запись")."""
    terms = stems(query)
    spans = []
    for found in _WORD.finditer(text_):
        stem = _stem(found.group().lower().replace("ё", "е"))
        if any(stem.startswith(term) for term in terms):
            spans.append(found.span())
    return spans


@dataclass(frozen=True)
class SearchHit:
    call_id: int
    segment_id: int
    speaker: str
    start_s: float
    text: str
    operator: str | None
    started_at: datetime | None


def search_transcripts(session: Session, actor: User, query: str, limit: int = 200) -> list[SearchHit]:
    """Segments whose words match every word of `query`, best first, only in calls the actor may see."""
    terms = stems(query)
    if not terms:
        return []
    columns = (Segment.call_id, Segment.id, Segment.speaker, Segment.start_s, Segment.text, Operator.name,
               Call.started_at)
    statement = (select(*columns).select_from(Segment).join(Call, Call.id == Segment.call_id)
                 .outerjoin(Operator, Operator.id == Call.operator_id).where(visible_calls(actor)))
    if session.get_bind().dialect.name == "sqlite":
        # Each stem quoted (no FTS syntax can slip in) and matched as a prefix; all must occur.
        match = " ".join(f'"{term}"*' for term in terms)
        statement = (statement.join(_FTS, _FTS.c.rowid == Segment.id)
                     .where(literal_column("segments_fts").op("MATCH")(match)).order_by(_FTS.c.rank))
    else:
        vector = func.to_tsvector("russian", Segment.text)
        tsquery = func.plainto_tsquery("russian", query)
        statement = statement.where(vector.op("@@")(tsquery)).order_by(func.ts_rank(vector, tsquery).desc())
    statement = statement.order_by(Segment.call_id, Segment.start_s).limit(limit)
    return [SearchHit(*row) for row in session.execute(statement)]
