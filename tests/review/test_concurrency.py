"""Optimistic locking on a shared PostgreSQL database: two desktops, two connections, one evaluation."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from review.concurrency import conflicts_reported, save_or_conflict
from review.db import create_database_engine, open_database
from review.errors import ConflictError
from review.models import Evaluation
from tests.conftest import _fresh_postgres_url, postgres_available
from tests.review.people import build_clinic


@pytest.fixture
def shared_postgres():
    if not postgres_available():
        pytest.skip("no PostgreSQL server")
    url, drop = _fresh_postgres_url()
    db = open_database(url)
    yield url, db
    db.dispose()
    drop()


@pytest.mark.postgres
def test_second_save_of_the_same_evaluation_is_a_conflict(shared_postgres):
    url, db = shared_postgres
    clinic = build_clinic(db)
    first_desktop, second_desktop = create_database_engine(url), create_database_engine(url)
    try:
        with Session(first_desktop) as mine, Session(second_desktop) as theirs:
            a = mine.get(Evaluation, clinic.evaluation_b)
            b = theirs.get(Evaluation, clinic.evaluation_b)
            assert a.version == b.version == 1
            a.explanation = "Первый супервизор"
            save_or_conflict(mine, "evaluation")
            b.explanation = "Второй супервизор"
            with pytest.raises(ConflictError, match="Someone else saved this evaluation"):
                save_or_conflict(theirs, "evaluation")
            # "Reload": the second desktop sees the first one's text and the new version, then saves on top.
            theirs.refresh(b)
            assert (b.explanation, b.version) == ("Первый супервизор", 2)
            b.explanation = "Второй, после перезагрузки"
            save_or_conflict(theirs, "evaluation")
        with Session(first_desktop) as check:
            stored = check.get(Evaluation, clinic.evaluation_b)
            assert (stored.explanation, stored.version) == ("Второй, после перезагрузки", 3)
    finally:
        first_desktop.dispose()
        second_desktop.dispose()


def test_conflicts_reported_translates_a_stale_flush(sqlite_db):
    clinic = build_clinic(sqlite_db)
    with Session(sqlite_db.engine) as mine, Session(sqlite_db.engine) as theirs:
        a = mine.get(Evaluation, clinic.evaluation_b)
        b = theirs.get(Evaluation, clinic.evaluation_b)
        a.explanation = "one"
        mine.commit()
        b.explanation = "two"
        with pytest.raises(ConflictError), conflicts_reported("evaluation"):
            theirs.flush()
