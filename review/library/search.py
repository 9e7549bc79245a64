"""Find calls by the words spoken in them, and chats and e-mails by the words written in their messages.

Hits come newest call first (a call's own hits in the order they were said or written), optionally kept to
one operator and a period. SQLite indexes stemmed words (Snowball, Russian and English) in an FTS5 table and matches query stems as
prefixes, so "перезвоните" finds "перезвонить". PostgreSQL uses its own `russian` text-search config.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import column, func, literal_column, select, table
from sqlalchemy.orm import Session

from review.accounts.access import visible_calls
from review.models import Call, Message, Operator, Segment, User
from review.text_keys import WORD as _WORD
from review.text_keys import stem_word, stems

_FTS = table("segments_fts", column("rowid"), column("rank"))
_MESSAGES_FTS = table("messages_fts", column("rowid"), column("rank"))
_SPEAKER_OF_ROLE = {"operator": "operator", "patient": "customer", "system": "unknown"}


def _found(word: str, terms: list[str]) -> bool:
    stem = stem_word(word.lower().replace("ё", "е"))
    return any(stem.startswith(term) for term in terms)


def matched_spans(text_: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of the words in `text_` that the query found, by the same rule as the index: a word
    whose stem begins with a query word's stem ("записаться" for "запись")."""
    terms = stems(query)
    return [found.span() for found in _WORD.finditer(text_) if _found(found.group(), terms)]


def _found_at(words: list[dict], terms: list[str], segment_start_s: float) -> float:
    """When the first word the query found is said (its stored word time), else the segment's start."""
    for word in words or ():
        if any(_found(part, terms) for part in _WORD.findall(str(word.get("text", "")))):
            return float(word.get("start", segment_start_s))
    return segment_start_s


@dataclass(frozen=True)
class SearchScope:
    """Which calls a search looks in: one operator's, started within a period (either end may be open)."""

    operator_id: int | None = None
    started_from: datetime | None = None
    started_to: datetime | None = None

    def conditions(self) -> list:
        conditions = []
        if self.operator_id is not None:
            conditions.append(Call.operator_id == self.operator_id)
        if self.started_from is not None:
            conditions.append(Call.started_at >= self.started_from)
        if self.started_to is not None:
            conditions.append(Call.started_at <= self.started_to)
        return conditions


_NEWEST_FIRST = (Call.started_at.desc().nulls_last(), Call.id.desc())


@dataclass(frozen=True)
class SearchHit:
    call_id: int
    segment_id: int | None  # None for a message's hit
    speaker: str
    start_s: float  # a message's: seconds from the conversation's first message
    text: str
    operator: str | None
    started_at: datetime | None
    message_id: int | None = None
    found_s: float | None = None  # when the found word is said (a call's hit): where to open the call


def _matching(session: Session, statement, query: str, terms: list[str], fts, fts_name: str, row_id, text_column):
    """`statement` kept to rows whose text matches every query word: SQLite's FTS5 index of stems (each stem
    quoted, so no FTS syntax can slip in, and matched as a prefix), or PostgreSQL's `russian` text search
    over the text itself."""
    if session.get_bind().dialect.name == "sqlite":
        match = " ".join(f'"{term}"*' for term in terms)
        return statement.join(fts, fts.c.rowid == row_id).where(literal_column(fts_name).op("MATCH")(match))
    return statement.where(func.to_tsvector("russian", text_column).op("@@")(func.plainto_tsquery("russian", query)))


def search_transcripts(session: Session, actor: User, query: str, limit: int = 200,
                       scope: SearchScope = SearchScope()) -> list[SearchHit]:  # noqa: B008 (frozen)
    """Segments whose words match every word of `query`, newest call first, only in calls the actor may see
    (and in `scope`); each hit says when its found word is said."""
    terms = stems(query)
    if not terms:
        return []
    columns = (Segment.call_id, Segment.id, Segment.speaker, Segment.start_s, Segment.text, Operator.name,
               Call.started_at, Segment.words)
    statement = (select(*columns).select_from(Segment).join(Call, Call.id == Segment.call_id)
                 .outerjoin(Operator, Operator.id == Call.operator_id).where(visible_calls(actor), *scope.conditions()))
    statement = _matching(session, statement, query, terms, _FTS, "segments_fts", Segment.id, Segment.text)
    statement = statement.order_by(*_NEWEST_FIRST, Segment.start_s).limit(limit)
    return [SearchHit(call_id, segment_id, speaker, start_s, text_, operator, started_at,
                      found_s=_found_at(words, terms, start_s))
            for call_id, segment_id, speaker, start_s, text_, operator, started_at, words in session.execute(statement)]


def search_messages(session: Session, actor: User, query: str, limit: int = 200,
                    scope: SearchScope = SearchScope()) -> list[SearchHit]:  # noqa: B008 (frozen)
    """Messages of chats and e-mails whose words match every word of `query`, by the same rules and order."""
    terms = stems(query)
    if not terms:
        return []
    columns = (Message.call_id, Message.id, Message.role, Message.sent_at, Message.text, Operator.name,
               Call.started_at)
    statement = (select(*columns).select_from(Message).join(Call, Call.id == Message.call_id)
                 .outerjoin(Operator, Operator.id == Call.operator_id).where(visible_calls(actor), *scope.conditions()))
    statement = _matching(session, statement, query, terms, _MESSAGES_FTS, "messages_fts", Message.id, Message.text)
    statement = statement.order_by(*_NEWEST_FIRST, Message.position).limit(limit)
    return [SearchHit(call_id, None, _SPEAKER_OF_ROLE.get(role, "unknown"),
                      (sent_at - started_at).total_seconds() if started_at else 0.0, text_, operator, started_at,
                      message_id)
            for call_id, message_id, role, sent_at, text_, operator, started_at in session.execute(statement)]


def search_everything(session: Session, actor: User, query: str, limit: int = 200,
                      scope: SearchScope = SearchScope()) -> list[SearchHit]:  # noqa: B008 (frozen)
    """What was said in calls and written in chats and e-mails, newest conversation first (the `limit` newest
    hits), a conversation's hits in their order."""
    hits = search_transcripts(session, actor, query, limit, scope) + search_messages(session, actor, query, limit,
                                                                                     scope)
    # Stable: each list is already in its conversations' own order.
    hits.sort(key=lambda hit: (hit.started_at is None, -(hit.started_at.timestamp() if hit.started_at else 0),
                               -hit.call_id))
    return hits[:limit]
