"""Retention: old calls go completely (rows, search index, freed file pages); the purge is logged."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from review.accounts.local_admin import ensure_local_admin
from review.audit.trail import record
from review.errors import AccessDenied, ValidationError
from review.scoring.evaluations import add_comment, open_evaluation, rubric_for, set_answer
from review.models import (
    Answer,
    AuditEntry,
    Call,
    Comment,
    Evaluation,
    Segment,
    SessionCall,
    Transcript,
    TranscriptionJob,
    User,
)
from review.library.retention import (
    expired_call_count,
    purge_expired,
    retention_days,
    run_retention,
    set_retention_days,
)
from review.scoring.rubric_store import install_builtin_rubrics
from review.library.search import search_transcripts
from tests.review.people import add_call

OLD_WORD = "кардиомагнил"  # spoken only in the old call
NEW_WORD = "физиотерапия"
NOW = datetime(2026, 6, 1, 12, 0)


@pytest.fixture
def calls(db):
    with db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        old = add_call(session, None, "o", f"Мне назначили {OLD_WORD}, телефон 89161234567", NOW - timedelta(days=400))
        new = add_call(session, None, "n", f"Запишите на {NEW_WORD}", NOW - timedelta(days=10))
        ids = old.id, new.id
        for call in (old, new):
            record(session, admin, "import", call, new={"path": call.path, "phone": call.phone})
    with db.unit_of_work() as session:
        admin = session.get(User, admin.id)
        for call_id in ids:
            evaluation = open_evaluation(session, admin, call_id)
            question = next(rubric_for(session, evaluation).questions()).id
            set_answer(session, admin, evaluation.id, question, value=True)
            add_comment(session, admin, call_id, 0.5, f"про {OLD_WORD if call_id == ids[0] else NEW_WORD}",
                        evaluation_id=evaluation.id)
        set_retention_days(session, admin, 365)
    return admin, ids


def _rows_about(session, call_id: int) -> dict[str, int]:
    counts = {}
    for model in (Call, Segment, Transcript, TranscriptionJob, Evaluation, Comment, SessionCall):
        column = model.id if model is Call else model.call_id
        counts[model.__tablename__] = session.scalar(select(func.count()).select_from(model).where(column == call_id))
    return counts


def test_purge_removes_old_calls_completely_and_keeps_new_ones(db, calls):
    admin, (old_id, new_id) = calls
    with db.sessions() as session:
        assert retention_days(session) == 365
        assert expired_call_count(session, admin, now=NOW) == 1
        assert [h.call_id for h in search_transcripts(session, admin, OLD_WORD)] == [old_id]
    report = run_retention(db, admin, now=NOW)
    assert (report.calls, report.segments, report.evaluations, report.comments) == (1, 1, 1, 1)
    with db.sessions() as session:
        assert set(_rows_about(session, old_id).values()) == {0}
        kept = _rows_about(session, new_id)
        assert all(kept[name] for name in kept if name != "session_calls")
        # Each evaluation had one answer: the old one's went with it.
        assert [e.call_id for e in session.scalars(select(Evaluation))] == [new_id]
        assert session.scalar(select(func.count(Answer.id))) == 1
        assert search_transcripts(session, admin, OLD_WORD) == []
        assert [h.call_id for h in search_transcripts(session, admin, NEW_WORD)] == [new_id]
        if db.is_sqlite:
            # Not even the index's own tables hold the word any more.
            fts = session.execute(text("SELECT rowid FROM segments_fts WHERE segments_fts MATCH :w"),
                                  {"w": OLD_WORD[:8] + "*"}).all()
            assert fts == []
            session.execute(text("INSERT INTO segments_fts(segments_fts) VALUES ('integrity-check')"))
        else:
            hits = session.scalar(text("SELECT count(*) FROM segments WHERE to_tsvector('russian', text) "
                                       "@@ plainto_tsquery('russian', :w)"), {"w": OLD_WORD})
            assert hits == 0
        purge = session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert purge.user_id == admin.id and purge.new["calls"] == 1
        about_old = session.scalars(select(AuditEntry).where(AuditEntry.entity == "calls",
                                                             AuditEntry.entity_id == old_id)).all()
        assert about_old and all(e.old is None and e.new is None for e in about_old)
        comments = session.scalars(select(AuditEntry).where(AuditEntry.entity == "comments")).all()
        assert not any(OLD_WORD in repr((e.old, e.new, e.note)) for e in comments)
        assert any(NEW_WORD in repr(e.new) for e in comments)


def test_sqlite_file_keeps_no_trace_of_purged_words(sqlite_db):
    db = sqlite_db
    with db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        add_call(session, None, "x", f"секретное слово {OLD_WORD} и ещё {OLD_WORD}", NOW - timedelta(days=900))
        add_call(session, None, "y", f"свежий {NEW_WORD}", NOW)
        set_retention_days(session, admin, 30)
    database = Path(db.engine.url.database)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert OLD_WORD.encode() in database.read_bytes()
    run_retention(db, admin, now=NOW)
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists():
            assert OLD_WORD.encode() not in path.read_bytes(), path
    assert NEW_WORD.encode() in database.read_bytes()


def test_retention_is_for_administrators_and_validated(db, calls):
    admin, _ids = calls
    with db.unit_of_work() as session:
        supervisor = User(username="sv", display_name="Супервизор", role="supervisor")
        session.add(supervisor)
    with db.sessions() as session:
        for call in (lambda: set_retention_days(session, supervisor, 10), lambda: purge_expired(session, supervisor),
                     lambda: expired_call_count(session, supervisor)):
            with pytest.raises(AccessDenied):
                call()
        for bad in (0, -5, 10**7, True, 2.5):
            with pytest.raises(ValidationError):
                set_retention_days(session, admin, bad)
        set_retention_days(session, admin, None)
        with pytest.raises(ValidationError, match="No retention period"):
            purge_expired(session, admin)
