"""Fuzzing what people type: sign-in and every text field that services store.

No input may crash a service with anything but the domain's own errors, change the schema or other rows
(no injection), or be stored differently from what was typed (apart from trimmed outer spaces where the
service says so). NUL characters and the like are refused with a clear error.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from review.accounts import users as auth
from review.accounts.local_admin import ensure_local_admin
from review.errors import KalibraError
from review.scoring.evaluations import add_comment
from review.models import Comment, Operator, Team, User
from review.accounts.operators import operator_named
from tests.review.people import build_clinic

NASTY = st.sampled_from([
    "'; DROP TABLE users; --", "\" OR 1=1 --", "admin'--", "%", "_", "\\", "\x00", "a\x00b", "Robert'); --",
    "ё́", "🙂", "\u202e", "\ufeff", " ", "\t", "\n", "=cmd|' /C calc'!A0", "<script>", "NULL", "*", "segments_fts",
])
TEXT = st.one_of(st.text(max_size=80), NASTY, st.lists(NASTY, max_size=4).map("".join),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def clinic(db):
    return db, build_clinic(db)


def _snapshot(db) -> tuple:
    with db.sessions() as session:
        tables = tuple(sorted(inspect(db.engine).get_table_names()))
        return tables, session.scalar(select(func.count(User.id))), session.scalar(select(func.count(Team.id)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(username=TEXT, password=TEXT)
def test_sign_in_never_crashes_nor_lets_anyone_in(clinic, username, password):
    db, _c = clinic
    before = _snapshot(db)
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(db, username, password)
    assert _snapshot(db) == before


@FUZZ
@given(display_name=TEXT, username=TEXT)
def test_user_names_are_stored_exactly_or_refused(clinic, display_name, username):
    db, c = clinic
    tables, users, teams = _snapshot(db)
    try:
        with db.unit_of_work() as session:
            user = auth.create_user(session, session.get(User, c.admin.id), username, display_name, "manager")
            user_id = user.id
    except KalibraError as refused:
        assert str(refused)
        assert _snapshot(db) == (tables, users, teams)
        return
    with db.sessions() as session:
        stored = session.get(User, user_id)
        assert (stored.username, stored.display_name) == (username.strip(), display_name.strip())
    assert _snapshot(db) == (tables, users + 1, teams)


@FUZZ
@given(name=TEXT)
def test_team_names_are_stored_exactly_or_refused(clinic, name):
    db, c = clinic
    tables, users, teams = _snapshot(db)
    try:
        with db.unit_of_work() as session:
            team_id = auth.create_team(session, session.get(User, c.admin.id), name).id
    except KalibraError:
        assert _snapshot(db) == (tables, users, teams)
        return
    with db.sessions() as session:
        assert session.get(Team, team_id).name == name.strip()
    assert _snapshot(db) == (tables, users, teams + 1)


@FUZZ
@given(name=TEXT)
def test_operator_names_from_imports_are_stored_exactly_or_refused(clinic, name):
    db, _c = clinic
    before = _snapshot(db)
    try:
        with db.unit_of_work() as session:
            operator_id = operator_named(session, name).id
    except KalibraError:
        assert _snapshot(db) == before
        return
    with db.sessions() as session:
        assert session.get(Operator, operator_id).name == name
    assert _snapshot(db) == before


@FUZZ
@given(text=TEXT)
def test_comments_are_stored_exactly_or_refused(clinic, text):
    db, c = clinic
    before = _snapshot(db)
    try:
        with db.unit_of_work() as session:
            comment_id = add_comment(session, session.get(User, c.sup_b.id), c.call_b, 2.5, text).id
    except KalibraError:
        assert _snapshot(db) == before
        return
    with db.sessions() as session:
        stored = session.get(Comment, comment_id).text
        assert stored in (text, text.strip())
    assert _snapshot(db) == before


@FUZZ
@given(note=TEXT)
def test_rubric_notes_are_stored_exactly_or_refused(clinic, note):
    from review.scoring.rubric_store import draft_of, publish, save_draft
    from rubrics import builtin_rubrics

    db, c = clinic
    before = _snapshot(db)
    rubric = builtin_rubrics()[0]
    try:
        with db.unit_of_work() as session:
            admin = ensure_local_admin(session)
            if draft_of(session, rubric.id) is None:
                save_draft(session, admin, rubric)
            version = publish(session, admin, rubric.id, note)
            version_id, stored = version.id, version.note
    except KalibraError:
        assert _snapshot(db) == before
        return
    assert version_id and stored == note.strip()
    assert _snapshot(db) == before
