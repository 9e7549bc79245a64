"""Every public service, called by the wrong people on operator B's data, is refused.

Services are found, not listed by hand: every public function in a `review` module whose first parameters
are (session, actor) or (db, actor). Each needs a row in SERVICES saying how to call it on operator B's
data and who must be refused. A new service without a row fails `test_every_service_has_a_row` — add one:

    "module.function": Row(lambda s, c, actor: function(s, actor, c.call_b), REFUSED_DATA),

`s` is a session (or the Database for (db, actor) services), `c` the Clinic from tests/review/people.py,
`actor` the user under test. The roles in the set must get AccessDenied (or NotFound, which reveals nothing).
For listings use Hidden(check): `check(result, c)` is true when nothing of operator B's shows.
For what is not about people's data, Exempt("why").
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

import review
from review.reporting.audit_log import AuditFilter
from review.errors import AccessDenied, NotFound, ValidationError
from review.library.calls import CallFilter
from tests.review.people import SECRET_WORD_B, Clinic, build_clinic

OPERATOR, OTHER_TEAM, MANAGER = "oper_a", "sup_a", "manager"
REFUSED_DATA = frozenset({OPERATOR, OTHER_TEAM})  # reading B's data: only B's own team (and admin, manager)
REFUSED_WRITE = frozenset({OPERATOR, OTHER_TEAM, MANAGER})  # changing B's data
ADMIN_ONLY = frozenset({OPERATOR, OTHER_TEAM, MANAGER})
NOT_OPERATORS = frozenset({OPERATOR, MANAGER})  # permissions without operator data (rubrics, import)
SKIP_MODULES = {"access", "audit"}  # the rules and the trail themselves


def _plan_b(session, c, actor):
    """A draft of call B planned on session B's rubric version, as the review screen plans it."""
    from review.scoring.evaluations import DraftPlan
    from review.models import ReviewSession

    kind = "self" if actor.role == "operator" else "supervisor"
    return DraftPlan(c.call_b, kind, session.get(ReviewSession, c.session_b).rubric_version_id)


@dataclass(frozen=True)
class Row:
    call: Callable
    refused: frozenset[str]
    known_gaps: frozenset[str] = frozenset()  # roles not refused yet: strict xfail until the service is fixed
    errors: tuple = (AccessDenied, NotFound)


@dataclass(frozen=True)
class Hidden:
    """A listing: for these roles it leaves operator B's rows out (or refuses the actor altogether)."""

    call: Callable
    check: Callable
    roles: frozenset[str] = REFUSED_DATA


@dataclass(frozen=True)
class Exempt:
    why: str


def _hidden_or_refused(result, hides_b: Callable):
    """For listings checked as a Row: leaving B out counts as a refusal."""
    if hides_b(result):
        raise AccessDenied("left out")
    return result


def _rule(c: Clinic):
    from review.sessions.sampling import SamplingRule

    return SamplingRule(operator_ids=(c.op_b,), period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))


def _scope(c: Clinic):
    from review.reporting.report_data import ReportScope

    return ReportScope(start=date(2026, 1, 1), end=date(2026, 12, 31), operator_id=c.op_b)


def _rubric():
    from rubrics import builtin_rubrics

    return builtin_rubrics()[0]


def _m(name: str):
    return importlib.import_module(f"review.{name}")


SERVICES: dict[str, Row | Hidden | Exempt] = {
    # audit trail
    "audit_query.audit_actions": Row(lambda s, c, a: _m("audit_query").audit_actions(s, a), ADMIN_ONLY),
    "audit_query.audit_page": Row(lambda s, c, a: _m("audit_query").audit_page(s, a, AuditFilter()), ADMIN_ONLY),
    "audit_query.count_audit": Row(lambda s, c, a: _m("audit_query").count_audit(s, a, AuditFilter()), ADMIN_ONLY),
    "audit_query.export_audit_csv": Row(lambda s, c, a: _m("audit_query").export_audit_csv(
        s, a, AuditFilter(), Path("/nonexistent/audit.csv")), ADMIN_ONLY),
    "audit_query.evaluation_history": Row(lambda s, c, a: _m("audit_query").evaluation_history(
        s, a, c.evaluation_b), REFUSED_DATA),
    # accounts
    "auth.change_own_password": Exempt("changes the actor's own password only"),
    "auth.create_team": Row(lambda s, c, a: _m("auth").create_team(s, a, "Новая"), ADMIN_ONLY),
    "auth.create_user": Row(lambda s, c, a: _m("auth").create_user(s, a, "x", "X", "admin"), ADMIN_ONLY),
    "auth.deactivate_user": Row(lambda s, c, a: _m("auth").deactivate_user(s, a, c.oper_b.id), ADMIN_ONLY),
    "auth.list_teams": Row(lambda s, c, a: _m("auth").list_teams(s, a), ADMIN_ONLY),
    "auth.list_users": Row(lambda s, c, a: _m("auth").list_users(s, a), ADMIN_ONLY),
    "auth.rename_team": Row(lambda s, c, a: _m("auth").rename_team(s, a, c.team_b, "Другая"), ADMIN_ONLY),
    "auth.reset_password": Row(lambda s, c, a: _m("auth").reset_password(s, a, c.oper_b.id, "new password 1"),
                               ADMIN_ONLY),
    "auth.set_active": Row(lambda s, c, a: _m("auth").set_active(s, a, c.oper_b.id, False), ADMIN_ONLY),
    "auth.set_operator_team": Row(lambda s, c, a: _m("auth").set_operator_team(s, a, c.op_b, c.team_a), ADMIN_ONLY),
    "auth.update_user": Row(lambda s, c, a: _m("auth").update_user(s, a, c.oper_b.id, role="admin"), ADMIN_ONLY),
    # calls
    "call_edits.update_call_metadata": Row(lambda s, c, a: _m("call_edits").update_call_metadata(
        s, a, c.call_b, outcome="booked"), REFUSED_WRITE),
    "demo.create_demo_workspace": Row(lambda db, c, a: _m("demo").create_demo_workspace(db, a), NOT_OPERATORS),
    "library.call_page": Hidden(lambda s, c, a: _m("library").call_page(s, a, CallFilter()),
                                lambda rows, c: c.call_b not in [r.id for r in rows]),
    "library.count_calls": Hidden(lambda s, c, a: _m("library").count_calls(s, a, CallFilter()),
                                  lambda n, c: n == 1),
    "library.call_segments": Row(lambda s, c, a: _m("library").call_segments(s, a, c.call_b), REFUSED_DATA),
    "library.get_call": Row(lambda s, c, a: _m("library").get_call(s, a, c.call_b), REFUSED_DATA),
    "library.list_operators": Row(lambda s, c, a: _hidden_or_refused(
        _m("library").list_operators(s, a), lambda ops: c.op_b not in [o.id for o in ops]), REFUSED_DATA),
    "library_import.import_recordings": Row(lambda db, c, a: _m("library_import").import_recordings(
        db, a, ["/nonexistent"]), NOT_OPERATORS),
    "search.search_transcripts": Hidden(lambda s, c, a: _m("search").search_transcripts(s, a, SECRET_WORD_B),
                                        lambda hits, c: not hits),
    "transcripts.stored_transcript": Row(lambda s, c, a: _m("transcripts").stored_transcript(s, a, c.call_b),
                                         REFUSED_DATA),
    "transcripts.export_transcript": Row(lambda s, c, a: _m("transcripts").export_transcript(
        s, a, c.call_b, Path("/nonexistent/t.txt"), "txt"), REFUSED_DATA),
    "audio_exports.export_excerpt": Row(lambda s, c, a: _m("audio_exports").export_excerpt(
        s, a, c.call_b, 0.0, 1.0, Path("/nonexistent/excerpt.wav")), REFUSED_DATA),
    "my_queue.assigned_calls": Hidden(lambda s, c, a: _m("my_queue").assigned_calls(s, a),
                                      lambda items, c: c.call_b not in [i.call_id for i in items]),
    "source_layouts.calls_from_source": Hidden(lambda s, c, a: _m("source_layouts").calls_from_source(
        s, a, "/recordings"), lambda ids, c: c.call_b not in ids),
    # a source's layout is set for every call from it that the actor may see; B's stays as it was
    "source_layouts.set_source_layout": Row(lambda s, c, a: _hidden_or_refused(
        _m("source_layouts").set_source_layout(s, a, "/recordings", "mono"), lambda r: c.call_b not in r.call_ids),
        REFUSED_WRITE),
    "transcription_queue.requeue": Row(lambda s, c, a: _m("transcription_queue").requeue(s, a, [c.call_b]),
                                       REFUSED_WRITE),
    "transcription_runner.run_worker": Exempt("a worker process run by the CLI; it only transcribes queued calls"),
    "transcription_runner.transcribe_now": Exempt("runs the queue for calls already queued by `requeue`"),
    # evaluations
    "evaluations.add_comment": Row(lambda s, c, a: _m("evaluations").add_comment(s, a, c.call_b, 1.0, "x"),
                                   REFUSED_WRITE),
    "evaluations.call_comments": Row(lambda s, c, a: _m("evaluations").call_comments(s, a, c.call_b), REFUSED_DATA),
    "evaluations.delete_comment": Row(lambda s, c, a: _m("evaluations").delete_comment(s, a, c.comment_b),
                                      REFUSED_WRITE),
    "evaluations.evaluations_of_call": Row(lambda s, c, a: _m("evaluations").evaluations_of_call(s, a, c.call_b),
                                           REFUSED_DATA),
    "evaluations.get_evaluation": Row(lambda s, c, a: _m("evaluations").get_evaluation(s, a, c.evaluation_b),
                                      REFUSED_DATA),
    "evaluations.open_evaluation": Row(lambda s, c, a: _m("evaluations").open_evaluation(s, a, c.call_b),
                                       REFUSED_WRITE),
    "transcription_choices.hearing_of": Row(lambda s, c, a: _m("transcription_choices").hearing_of(s, a, c.call_b),
                                            REFUSED_DATA),
    "transcription_choices.set_hearing": Row(lambda s, c, a: _m("transcription_choices").set_hearing(
        s, a, c.call_b, language="en"), REFUSED_WRITE),
    "evaluations.plan_evaluation": Row(lambda s, c, a: _m("evaluations").plan_evaluation(s, a, c.call_b),
                                       REFUSED_WRITE),
    "evaluations.start_evaluation": Row(lambda s, c, a: _m("evaluations").start_evaluation(s, a, _plan_b(s, c, a)),
                                        REFUSED_WRITE),
    "evaluations.reopen": Row(lambda s, c, a: _m("evaluations").reopen(s, a, c.evaluation_b, "why"), REFUSED_WRITE),
    "evaluations.set_answer": Row(lambda s, c, a: _m("evaluations").set_answer(
        s, a, c.evaluation_b, c.question_b, na=True), REFUSED_WRITE),
    "evaluations.set_answer_comment": Row(lambda s, c, a: _m("evaluations").set_answer_comment(
        s, a, c.evaluation_b, c.question_b, "x"), REFUSED_WRITE),
    "evaluations.submit": Row(lambda s, c, a: _m("evaluations").submit(s, a, c.evaluation_b), REFUSED_WRITE),
    # settings and retention
    "retention.expired_call_count": Row(lambda s, c, a: _m("retention").expired_call_count(s, a), ADMIN_ONLY),
    "retention.purge_before": Row(lambda s, c, a: _m("retention").purge_before(s, a, datetime(2100, 1, 1)),
                                  ADMIN_ONLY),
    "retention.purge_expired": Row(lambda s, c, a: _m("retention").purge_expired(s, a), ADMIN_ONLY),
    "retention.run_retention": Row(lambda db, c, a: _m("retention").run_retention(db, a), ADMIN_ONLY),
    "retention.set_retention_days": Row(lambda s, c, a: _m("retention").set_retention_days(s, a, 1), ADMIN_ONLY),
    # review sessions and sampling
    "review_sessions.acknowledge": Row(lambda s, c, a: _m("review_sessions").acknowledge(s, a, c.session_b),
                                       REFUSED_WRITE),
    "review_sessions.add_note": Row(lambda s, c, a: _m("review_sessions").add_note(
        s, a, c.session_b, "strength", "x"), REFUSED_WRITE),
    "review_sessions.close_session": Row(lambda s, c, a: _m("review_sessions").close_session(s, a, c.session_b),
                                         REFUSED_WRITE),
    # Sampling refuses another team's operators with ValidationError ("not in your team").
    "review_sessions.create_sessions": Row(lambda s, c, a: _m("review_sessions").create_sessions(
        s, a, _rule(c), rubric_slug="inbound_call"), REFUSED_WRITE, errors=(AccessDenied, NotFound, ValidationError)),
    "review_sessions.get_review_session": Row(lambda s, c, a: _m("review_sessions").get_review_session(
        s, a, c.session_b), REFUSED_DATA),
    "review_sessions.plan_session_evaluation": Row(lambda s, c, a: _m("review_sessions").plan_session_evaluation(
        s, a, c.session_b, c.call_b), REFUSED_WRITE),
    "review_sessions.open_session_evaluation": Row(lambda s, c, a: _m("review_sessions").open_session_evaluation(
        s, a, c.session_b, c.call_b), REFUSED_WRITE),
    "review_sessions.remove_note": Row(lambda s, c, a: _m("review_sessions").remove_note(s, a, c.note_b),
                                       REFUSED_WRITE),
    "review_sessions.session_calls": Row(lambda s, c, a: _m("review_sessions").session_calls(s, a, c.session_b),
                                         REFUSED_DATA),
    "review_sessions.session_notes": Row(lambda s, c, a: _m("review_sessions").session_notes(s, a, c.session_b),
                                         REFUSED_DATA),
    "review_sessions.set_discussion_notes": Row(lambda s, c, a: _m("review_sessions").set_discussion_notes(
        s, a, c.session_b, "x"), REFUSED_WRITE),
    "review_sessions.status_board": Hidden(lambda s, c, a: _m("review_sessions").status_board(s, a),
                                           lambda cards, c: c.session_b not in [card.id for card in cards]),
    "review_sessions.swap_call": Row(lambda s, c, a: _m("review_sessions").swap_call(
        s, a, c.session_call_b, "why"), REFUSED_WRITE),
    "sampling.sample_calls": Row(lambda s, c, a: _m("sampling").sample_calls(s, a, _rule(c)), REFUSED_WRITE,
                                 errors=(AccessDenied, NotFound, ValidationError)),
    # calibration, disputes, goals, recognition
    "calibration.calibration_calls": Hidden(lambda s, c, a: _m("calibration").calibration_calls(s, a),
                                            lambda pairs, c: c.call_b not in [p[0] for p in pairs]),
    "calibration.calibration_report": Row(lambda s, c, a: _m("calibration").calibration_report(s, a, [c.call_b]),
                                          REFUSED_DATA),
    "calibration.open_calibration": Row(lambda s, c, a: _m("calibration").open_calibration(s, a, c.call_b),
                                        REFUSED_WRITE),
    "disputes.accept_dispute": Row(lambda s, c, a: _m("disputes").accept_dispute(
        s, a, c.dispute_b, value=True, reason="x"), REFUSED_WRITE),
    "disputes.decline_dispute": Row(lambda s, c, a: _m("disputes").decline_dispute(s, a, c.dispute_b, "x"),
                                    REFUSED_WRITE),
    "disputes.list_disputes": Hidden(lambda s, c, a: _m("disputes").list_disputes(s, a),
                                     lambda rows, c: c.dispute_b not in [r.id for r in rows]),
    "disputes.raise_dispute": Row(lambda s, c, a: _m("disputes").raise_dispute(
        s, a, c.evaluation_b, c.question_b, "x"), REFUSED_WRITE),
    "disputes.set_dispute_window": Row(lambda s, c, a: _m("disputes").set_dispute_window(s, a, 7), NOT_OPERATORS),
    "goals.decide_goal": Row(lambda s, c, a: _m("goals").decide_goal(s, a, c.goal_b, "met"), REFUSED_WRITE),
    "goals.get_goal": Row(lambda s, c, a: _m("goals").get_goal(s, a, c.goal_b), REFUSED_DATA),
    "goals.goal_progress": Row(lambda s, c, a: _m("goals").goal_progress(s, a, c.goal_b), REFUSED_DATA),
    "goals.goals_of_operator": Row(lambda s, c, a: _m("goals").goals_of_operator(s, a, c.op_b), REFUSED_DATA),
    "goals.session_goals": Row(lambda s, c, a: _m("goals").session_goals(s, a, c.session_b), REFUSED_DATA),
    "goals.set_goal": Row(lambda s, c, a: _m("goals").set_goal(s, a, c.session_b, metric="x", target=0.9),
                          REFUSED_WRITE),
    "recognition.mark_thanked": Row(lambda s, c, a: _m("recognition").mark_thanked(s, a, c.call_b), REFUSED_WRITE),
    "recognition.thanks_per_operator": Hidden(lambda s, c, a: _m("recognition").thanks_per_operator(s, a),
                                              lambda rows, c: c.op_b not in [r.operator_id for r in rows]),
    "session_comparison.compare": Row(lambda s, c, a: _m("session_comparison").compare(s, a, c.session_b),
                                      REFUSED_DATA),
    # reports and their exports, scoped to operator B
    "reports.growth_area_summary": Row(lambda s, c, a: _m("reports").growth_area_summary(s, a, _scope(c)),
                                       REFUSED_DATA),
    "reports.operator_scorecards": Row(lambda s, c, a: _m("reports").operator_scorecards(s, a, _scope(c)),
                                       REFUSED_DATA),
    "reports.question_trend": Row(lambda s, c, a: _m("reports").question_trend(s, a, _scope(c)), REFUSED_DATA),
    "reports.score_trend": Row(lambda s, c, a: _m("reports").score_trend(s, a, _scope(c)), REFUSED_DATA),
    "reports.report_choices": Hidden(lambda s, c, a: _m("reports").report_choices(s, a),
                                     lambda choices, c: c.op_b not in [o[0] for o in choices.operators]),
    "exports.report_table": Row(lambda s, c, a: _m("exports").report_table(s, a, "scorecards", _scope(c)),
                                REFUSED_DATA),
    "exports.export_report": Row(lambda s, c, a: _m("exports").export_report(
        s, a, "scorecards", _scope(c), Path("/nonexistent/report.csv")), REFUSED_DATA),
    # rubrics: not about people, but only those who manage rubrics may change them
    "rubric_store.import_rubric_file": Row(lambda s, c, a: _m("rubric_store").import_rubric_file(
        s, a, "/nonexistent.yaml"), NOT_OPERATORS),
    "rubric_store.install_builtin_rubrics": Exempt("idempotent start-up step: adds only missing shipped rubrics"),
    "rubric_store.publish": Row(lambda s, c, a: _m("rubric_store").publish(s, a, "inbound_call", "x"), NOT_OPERATORS),
    "rubric_store.save_draft": Row(lambda s, c, a: _m("rubric_store").save_draft(s, a, _rubric()), NOT_OPERATORS),
    # the workspace's call kinds and outcomes: an administrator's
    "vocabularies.add_term": Row(lambda s, c, a: _m("vocabularies").add_term(
        s, a, "call_kind", "booking_cardiologist", "Запись к кардиологу", "Cardiologist booking"), ADMIN_ONLY),
    "vocabularies.update_term": Row(lambda s, c, a: _m("vocabularies").update_term(
        s, a, "call_kind", "complaint", label_ru="Претензия", label_en="Complaint"), ADMIN_ONLY),
    "vocabularies.map_value": Row(lambda s, c, a: _m("vocabularies").map_value(
        s, a, "call_kind", "booking_cardiologist", "inbound_booking"), ADMIN_ONLY),
    "patient_thread.patient_thread": Row(lambda s, c, a: _m("patient_thread").patient_thread(s, a, c.call_b),
                                         REFUSED_DATA),
}


def discovered_services() -> dict[str, bool]:
    """'module.function' -> whether it takes a Database (True) or a session (False)."""
    found = {}
    for info in pkgutil.iter_modules(review.__path__):
        if info.ispkg or info.name in SKIP_MODULES:
            continue
        module = importlib.import_module(f"review.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            params = list(inspect.signature(function).parameters)
            if len(params) >= 2 and params[0] in ("session", "db") and params[1] == "actor":
                found[f"{info.name}.{name}"] = params[0] == "db"
    return found


def test_every_service_has_a_row():
    missing = sorted(set(discovered_services()) - set(SERVICES))
    assert not missing, ("New services need a row in SERVICES of tests/review/test_access_matrix.py "
                         f"(how to call them on another operator's data, and who is refused): {missing}")
    stale = sorted(set(SERVICES) - set(discovered_services()))
    assert not stale, f"Rows for services that no longer exist: {stale}"


@pytest.fixture(scope="module")
def clinic_db(tmp_path_factory):
    from review.storage.db import open_database

    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'kalibra.sqlite3'}")
    clinic = build_clinic(database)
    yield database, clinic
    database.dispose()


def _cases():
    cases = []
    for name, row in sorted(SERVICES.items()):
        if isinstance(row, Row):
            for role in sorted(row.refused):
                marks = [pytest.mark.xfail(strict=True, reason="known gap: service does not check this yet")] \
                    if role in row.known_gaps else []
                cases.append(pytest.param(name, role, id=f"{name}-{role}", marks=marks))
        elif isinstance(row, Hidden):
            cases += [pytest.param(name, role, id=f"{name}-{role}") for role in sorted(row.roles)]
    return cases


@pytest.mark.parametrize(("name", "role"), _cases())
def test_service_refuses_other_operators_data(clinic_db, name, role):
    db, clinic = clinic_db
    row = SERVICES[name]
    takes_db = discovered_services().get(name, False)
    actor = clinic.actor(role)
    # Each call in its own rolled-back transaction: a service that wrongly succeeds changes nothing for the rest.
    with db.sessions() as session:
        target = db if takes_db else session
        if isinstance(row, Hidden):
            try:
                result = row.call(target, clinic, actor)
            except AccessDenied:
                result = None
            assert result is None or row.check(result, clinic), f"{name} shows operator B's data to {role}"
        else:
            with pytest.raises(row.errors):
                row.call(target, clinic, actor)
        session.rollback()


def test_owners_and_their_supervisor_are_not_refused(clinic_db):
    """The same calls succeed for operator B and team B's supervisor: the refusals above are about who asks."""
    from review.scoring.evaluations import get_evaluation
    from review.library.calls import call_page, get_call
    from review.sessions.review_sessions import get_review_session
    from review.library.search import search_transcripts

    db, c = clinic_db
    with db.sessions() as session:
        assert get_evaluation(session, c.sup_b, c.evaluation_b).id == c.evaluation_b
        for actor in (c.oper_b, c.sup_b, c.admin):
            assert get_call(session, actor, c.call_b).id == c.call_b
            assert c.call_b in [r.id for r in call_page(session, actor, CallFilter())]
            assert [h.call_id for h in search_transcripts(session, actor, SECRET_WORD_B)] == [c.call_b]
        assert get_review_session(session, c.oper_b, c.session_b).id == c.session_b
        assert get_call(session, c.manager, c.call_b).id == c.call_b
        session.rollback()
