"""The audit trail: an entry for each kind of change, filters, per-evaluation history, CSV export."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from sqlalchemy import select

from review.accounts import users as auth
from review.errors import AccessDenied, NotFound, ValidationError
from review.library.retention import purge_before, set_retention_days
from review.models import AuditEntry, utcnow
from review.reporting.audit_log import (
    AuditFilter,
    audit_actions,
    audit_page,
    count_audit,
    evaluation_history,
    export_audit_csv,
)
from review.scoring.evaluations import reopen, set_answer, submit
from tests.review.people import build_clinic


@pytest.fixture
def clinic(db):
    return build_clinic(db)


def test_every_kind_of_change_is_recorded_with_old_and_new_values(db, clinic):
    c = clinic
    with db.unit_of_work() as session:
        set_answer(session, c.sup_b, c.evaluation_b, "greeting_clinic_and_name", value=True)
        auth.update_user(session, c.admin, c.oper_b.id, display_name="Борис П.")
        auth.deactivate_user(session, c.admin, c.manager.id)
        auth.set_active(session, c.admin, c.manager.id, True)
        auth.reset_password(session, c.admin, c.oper_b.id, "Password for B 1")
        auth.rename_team(session, c.admin, c.team_b, "Регистратура Б-2")
        auth.set_operator_team(session, c.admin, c.op_b, c.team_a)
        set_retention_days(session, c.admin, 400)
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(db, "oper_b", "not the password")
    auth.sign_in(db, "oper_b", "Password for B 1")
    with db.unit_of_work() as session:
        purge_before(session, c.admin, utcnow() - timedelta(days=10_000))
    with db.sessions() as session:
        entries = session.scalars(select(AuditEntry)).all()
    actions = {e.action for e in entries}
    assert actions >= {"create", "update", "deactivate", "activate", "reset_password", "set_retention", "answer",
                       "comment", "sign_in", "sign_in_failed", "purge"}
    renamed = next(e for e in entries if e.entity == "users" and e.action == "update")
    assert renamed.old["display_name"] == "Борис" and renamed.new["display_name"] == "Борис П."
    assert renamed.user_id == c.admin.id
    moved = next(e for e in entries if e.entity == "operators")
    assert (moved.old, moved.new) == ({"team_id": c.team_b}, {"team_id": c.team_a})


def test_filters_count_and_pages(db, clinic):
    c = clinic
    with db.sessions() as session:
        everything = count_audit(session, c.admin, AuditFilter())
        creates = audit_page(session, c.admin, AuditFilter(action="create", entity="users"))
        assert {r.new["username"] for r in creates} == {"sup_a", "sup_b", "oper_a", "oper_b", "manager"}
        assert all(r.user == "Administrator" for r in creates)
        assert count_audit(session, c.admin, AuditFilter(user_id=c.sup_b.id)) == 2  # evaluation + comment
        assert len(audit_page(session, c.admin, AuditFilter(), limit=3)) == 3
        assert everything > 3 and "create" in audit_actions(session, c.admin)
        assert count_audit(session, c.admin, AuditFilter(since=utcnow() + timedelta(hours=1))) == 0
        for who in (c.sup_a, c.sup_b, c.oper_a, c.manager):
            with pytest.raises(AccessDenied):
                audit_page(session, who, AuditFilter())


def test_evaluation_history_for_those_who_may_see_it(db, clinic):
    c = clinic
    with db.unit_of_work() as session:
        set_answer(session, c.sup_b, c.evaluation_b, "greeting_clinic_and_name", value=False)
    with db.unit_of_work() as session:
        try:
            submit(session, c.sup_b, c.evaluation_b)
            submitted = True
        except ValidationError:  # the rubric may require more answers; the history still shows what happened
            submitted = False
    if submitted:
        with db.unit_of_work() as session:
            reopen(session, c.sup_b, c.evaluation_b, "ошибка в ответе")
    with db.sessions() as session:
        history = evaluation_history(session, c.sup_b, c.evaluation_b)
        actions = [r.action for r in history]
        assert actions[0] == "create" and "answer" in actions and "comment" in actions
        if submitted:
            assert actions[-2:] == ["submit", "reopen"]
        assert history == evaluation_history(session, c.admin, c.evaluation_b)
        for who in (c.oper_a, c.sup_a):
            with pytest.raises(AccessDenied):
                evaluation_history(session, who, c.evaluation_b)
        with pytest.raises(NotFound):
            evaluation_history(session, c.admin, 10_000)


def test_csv_export_is_complete_and_safe_for_spreadsheets(db, clinic, tmp_path):
    c = clinic
    with db.unit_of_work() as session:
        auth.create_team(session, c.admin, "=HYPERLINK(\"http://x\")")
    path = tmp_path / "audit.csv"
    with db.sessions() as session:
        written = export_audit_csv(session, c.admin, AuditFilter(), path)
        assert written == count_audit(session, c.admin, AuditFilter())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Cyrillic with a BOM
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["id", "at", "user", "action", "entity", "entity_id", "old", "new", "note"]
    assert len(rows) == written + 1
    assert any("Регистратура А" in cell for row in rows for cell in row)
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert "$argon2" not in raw.decode("utf-8")


def test_an_imported_chat_reads_in_words_not_stored_keys():
    """"канал: эл. почта; сообщений: 3", not "channel: «email»; messages: 3"."""
    from datetime import datetime

    from review.reporting.audit_log import AuditRow
    from review.reporting.audit_text import describe_change

    row = AuditRow(1, datetime(2026, 11, 18, 10), "Администратор", "import", "calls", 14, None,
                   {"channel": "email", "messages": 3, "operator_id": 2}, None)
    assert describe_change(row, "ru") == "канал: эл. почта; сообщений: 3; оператор: 2"
    assert describe_change(row, "en") == "channel: e-mail; messages: 3; operator: 2"


def test_a_new_session_reads_with_the_operators_name_and_the_calls_numbers(db, admin):
    """Not "operator: 4; calls: 9, 14": the log names the operator and numbers the calls as the screens do."""
    from datetime import date, datetime

    from review.reporting.audit_text import describe_changes
    from review.scoring.rubric_store import install_builtin_rubrics
    from review.sessions.review_sessions import create_sessions
    from review.sessions.sampling import SamplingRule
    from tests.review.session_fixtures import add_call, add_operator, add_supervisor

    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        nadia = add_supervisor(session, "nadia", "Надежда")
        anna, _user = add_operator(session, "Анна Смирнова", username="anna")
        calls = [add_call(session, anna.id, datetime(2026, 10, 5, 9 + hour)) for hour in range(2)]
        session.flush()
        rule = SamplingRule(operator_ids=(anna.id,), period_start=date(2026, 10, 5), period_end=date(2026, 10, 5),
                            per_operator=2, seed=7)
        create_sessions(session, nadia, rule, rubric_slug="inbound_call")
    with db.sessions() as session:
        rows = [row for row in audit_page(session, admin, AuditFilter()) if row.action == "create"
                and row.entity == "review_sessions"]
        russian, english = describe_changes(session, rows, "ru")[0], describe_changes(session, rows, "en")[0]
    numbers = sorted(call.id for call in calls)
    assert "оператор: «Анна Смирнова»" in russian and f"№ {numbers[0]}" in russian, russian
    assert "operator: 'Анна Смирнова'" in english and f"#{numbers[0]}, #{numbers[1]}" in english, english
