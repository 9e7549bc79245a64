"""Find calls by the words spoken in them, and chats and e-mails by the words written in their messages.

SQLite indexes stemmed words (Snowball, Russian and English) in an FTS5 table and matches query stems as
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


def matched_spans(text_: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of the words in `text_` that the query found, by the same rule as the index: a word
    whose stem begins with a query word's stem ("записаться" for "запись")."""
    terms = stems(query)
    spans = []
    for found in _WORD.finditer(text_):
        stem = stem_word(found.group().lower().replace("ё", "е"))
        if any(stem.startswith(term) for term in terms):
            spans.append(found.span())
    return spans


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


def _matching(session: Session, statement, query: str, terms: list[str], fts, fts_name: str, row_id, text_column):
    """`statement` kept to rows whose text matches every query word, best first: SQLite's FTS5 index of stems
    (each stem quoted, so no FTS syntax can slip in, and matched as a prefix), or PostgreSQL's `russian`
    text search over the text itself."""
    if session.get_bind().dialect.name == "sqlite":
        match = " ".join(f'"{term}"*' for term in terms)
        return (statement.join(fts, fts.c.rowid == row_id)
                .where(literal_column(fts_name).op("MATCH")(match)).order_by(fts.c.rank))
    vector = func.to_tsvector("russian", text_column)
    tsquery = func.plainto_tsquery("russian", query)
    return statement.where(vector.op("@@")(tsquery)).order_by(func.ts_rank(vector, tsquery).desc())


def search_transcripts(session: Session, actor: User, query: str, limit: int = 200) -> list[SearchHit]:
    """Segments whose words match every word of `query`, best first, only in calls the actor may see."""
    terms = stems(query)
    if not terms:
        return []
    columns = (Segment.call_id, Segment.id, Segment.speaker, Segment.start_s, Segment.text, Operator.name,
               Call.started_at)
    statement = (select(*columns).select_from(Segment).join(Call, Call.id == Segment.call_id)
                 .outerjoin(Operator, Operator.id == Call.operator_id).where(visible_calls(actor)))
    statement = _matching(session, statement, query, terms, _FTS, "segments_fts", Segment.id, Segment.text)
    statement = statement.order_by(Segment.call_id, Segment.start_s).limit(limit)
    return [SearchHit(*row) for row in session.execute(statement)]


def search_messages(session: Session, actor: User, query: str, limit: int = 200) -> list[SearchHit]:
    """Messages of chats and e-mails whose words match every word of `query`, best first, by the same rules."""
    terms = stems(query)
    if not terms:
        return []
    columns = (Message.call_id, Message.id, Message.role, Message.sent_at, Message.text, Operator.name,
               Call.started_at)
    statement = (select(*columns).select_from(Message).join(Call, Call.id == Message.call_id)
                 .outerjoin(Operator, Operator.id == Call.operator_id).where(visible_calls(actor)))
    statement = _matching(session, statement, query, terms, _MESSAGES_FTS, "messages_fts", Message.id, Message.text)
    statement = statement.order_by(Message.call_id, Message.position).limit(limit)
    return [SearchHit(call_id, None, _SPEAKER_OF_ROLE.get(role, "unknown"),
                      (sent_at - started_at).total_seconds() if started_at else 0.0, text_, operator, started_at,
                      message_id)
            for call_id, message_id, role, sent_at, text_, operator, started_at in session.execute(statement)]


def search_everything(session: Session, actor: User, query: str, limit: int = 200) -> list[SearchHit]:
    """What was said in calls, then what was written in chats and e-mails."""
    spoken = search_transcripts(session, actor, query, limit)
    return spoken + search_messages(session, actor, query, max(0, limit - len(spoken)))
