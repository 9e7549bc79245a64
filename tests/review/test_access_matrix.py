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
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

import review
from review.errors import AccessDenied, NotFound, ValidationError
from review.library.calls import CallFilter
from review.reporting.audit_log import AuditFilter
from tests.review.people import SECRET_WORD_B, Clinic, build_clinic

OPERATOR, OTHER_TEAM, MANAGER = "oper_a", "sup_a", "manager"
REFUSED_DATA = frozenset({OPERATOR, OTHER_TEAM})  # reading B's data: only B's own team (and admin, manager)
REFUSED_WRITE = frozenset({OPERATOR, OTHER_TEAM, MANAGER})  # changing B's data
ADMIN_ONLY = frozenset({OPERATOR, OTHER_TEAM, MANAGER})
NOT_OPERATORS = frozenset({OPERATOR, MANAGER})  # permissions without operator data (rubrics, import)
SKIP_MODULES = {"accounts.access", "audit.trail"}  # the rules and the trail themselves


def _plan_b(session, c, actor):
    """A draft of call B planned on session B's rubric version, as the review screen plans it."""
    from review.models import ReviewSession
    from review.scoring.evaluations import DraftPlan

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


def _round_b(session, c):
    """A calibration round of team B's supervisor and the administrator on call B (rolled back with the test)."""
    return _m("sessions.calibration_rounds").start_calibration(session, c.admin, [c.call_b], "inbound_call",
                                                                [c.sup_b.id, c.admin.id])


def _refused():
    raise AccessDenied("no round asks this user to score the call")


SERVICES: dict[str, Row | Hidden | Exempt] = {
    # audit trail
    "reporting.audit_log.audit_actions": Row(lambda s, c, a: _m("reporting.audit_log").audit_actions(s, a), ADMIN_ONLY),
    "reporting.audit_log.audit_page": Row(lambda s, c, a: _m("reporting.audit_log").audit_page(s, a, AuditFilter()), ADMIN_ONLY),
    "reporting.audit_log.count_audit": Row(lambda s, c, a: _m("reporting.audit_log").count_audit(s, a, AuditFilter()), ADMIN_ONLY),
    "reporting.audit_log.export_audit_csv": Row(lambda s, c, a: _m("reporting.audit_log").export_audit_csv(
        s, a, AuditFilter(), Path("/nonexistent/audit.csv")), ADMIN_ONLY),
    "reporting.audit_log.evaluation_history": Row(lambda s, c, a: _m("reporting.audit_log").evaluation_history(
        s, a, c.evaluation_b), REFUSED_DATA),
    # accounts
    "accounts.users.change_own_password": Exempt("changes the actor's own password only"),
    "accounts.users.create_team": Row(lambda s, c, a: _m("accounts.users").create_team(s, a, "Новая"), ADMIN_ONLY),
    "accounts.users.create_user": Row(lambda s, c, a: _m("accounts.users").create_user(s, a, "x", "X", "admin"), ADMIN_ONLY),
    "accounts.users.deactivate_user": Row(lambda s, c, a: _m("accounts.users").deactivate_user(s, a, c.oper_b.id), ADMIN_ONLY),
    "accounts.users.list_teams": Row(lambda s, c, a: _m("accounts.users").list_teams(s, a), ADMIN_ONLY),
    "accounts.users.list_users": Row(lambda s, c, a: _m("accounts.users").list_users(s, a), ADMIN_ONLY),
    "accounts.users.rename_team": Row(lambda s, c, a: _m("accounts.users").rename_team(s, a, c.team_b, "Другая"), ADMIN_ONLY),
    "accounts.users.reset_password": Row(lambda s, c, a: _m("accounts.users").reset_password(s, a, c.oper_b.id, "new password 1"),
                               ADMIN_ONLY),
    "accounts.users.set_active": Row(lambda s, c, a: _m("accounts.users").set_active(s, a, c.oper_b.id, False), ADMIN_ONLY),
    "accounts.users.set_operator_team": Row(lambda s, c, a: _m("accounts.users").set_operator_team(s, a, c.op_b, c.team_a), ADMIN_ONLY),
    "accounts.users.update_user": Row(lambda s, c, a: _m("accounts.users").update_user(s, a, c.oper_b.id, role="admin"), ADMIN_ONLY),
    # calls
    "library.call_edits.update_call_metadata": Row(lambda s, c, a: _m("library.call_edits").update_call_metadata(
        s, a, c.call_b, outcome="booked"), REFUSED_WRITE),
    "demo.create_demo_workspace": Row(lambda db, c, a: _m("demo").create_demo_workspace(db, a), NOT_OPERATORS),
    "library.calls.call_page": Hidden(lambda s, c, a: _m("library.calls").call_page(s, a, CallFilter()),
                                lambda rows, c: c.call_b not in [r.id for r in rows]),
    "library.calls.count_calls": Hidden(lambda s, c, a: _m("library.calls").count_calls(s, a, CallFilter()),
                                  lambda n, c: n == 1),
    "library.calls.call_segments": Row(lambda s, c, a: _m("library.calls").call_segments(s, a, c.call_b), REFUSED_DATA),
    "library.calls.call_messages": Row(lambda s, c, a: _m("library.calls").call_messages(s, a, c.call_b),
                                       REFUSED_DATA),
    "library.calls.get_call": Row(lambda s, c, a: _m("library.calls").get_call(s, a, c.call_b), REFUSED_DATA),
    "library.calls.list_operators": Row(lambda s, c, a: _hidden_or_refused(
        _m("library.calls").list_operators(s, a), lambda ops: c.op_b not in [o.id for o in ops]), REFUSED_DATA),
    "library.importing.import_recordings": Row(lambda db, c, a: _m("library.importing").import_recordings(
        db, a, ["/nonexistent"]), NOT_OPERATORS),
    "written.written_import.import_written_file": Row(lambda db, c, a: _m("written.written_import").import_written_file(
        db, a, Path("/nonexistent/chat.txt")), NOT_OPERATORS),
    "written.storage.store_conversation": Exempt("called only by import_written_file, after its import check"),
    "written.written_settings.remember_identities": Row(lambda s, c, a: _m("written.written_settings").remember_identities(
        s, a, {"Клиника": "Оператор Б"}), NOT_OPERATORS),
    "written.written_settings.set_working_hours": Row(lambda s, c, a: _m("written.written_settings").set_working_hours(
        s, a, _m("written.working_hours").DEFAULT_HOURS), ADMIN_ONLY),
    "library.search.search_transcripts": Hidden(lambda s, c, a: _m("library.search").search_transcripts(s, a, SECRET_WORD_B),
                                        lambda hits, c: not hits),
    "library.search.search_messages": Hidden(lambda s, c, a: _m("library.search").search_messages(s, a, SECRET_WORD_B),
                                             lambda hits, c: not hits),
    "library.search.search_everything": Hidden(lambda s, c, a: _m("library.search").search_everything(
        s, a, SECRET_WORD_B), lambda hits, c: not hits),
    "transcripts.stored.stored_transcript": Row(lambda s, c, a: _m("transcripts.stored").stored_transcript(s, a, c.call_b),
                                         REFUSED_DATA),
    "transcripts.stored.export_transcript": Row(lambda s, c, a: _m("transcripts.stored").export_transcript(
        s, a, c.call_b, Path("/nonexistent/t.txt"), "txt"), REFUSED_DATA),
    "transcripts.excerpts.export_excerpt": Row(lambda s, c, a: _m("transcripts.excerpts").export_excerpt(
        s, a, c.call_b, 0.0, 1.0, Path("/nonexistent/excerpt.wav")), REFUSED_DATA),
    "sessions.assigned_calls.assigned_calls": Hidden(lambda s, c, a: _m("sessions.assigned_calls").assigned_calls(s, a),
                                      lambda items, c: c.call_b not in [i.call_id for i in items]),
    "library.source_layouts.calls_from_source": Hidden(lambda s, c, a: _m("library.source_layouts").calls_from_source(
        s, a, "/recordings"), lambda ids, c: c.call_b not in ids),
    # a source's layout is set for every call from it that the actor may see; B's stays as it was
    "transcripts.hearing.set_source_layout": Row(lambda s, c, a: _hidden_or_refused(
        _m("transcripts.hearing").set_source_layout(s, a, "/recordings", "mono"), lambda r: c.call_b not in r.call_ids),
        REFUSED_WRITE),
    "transcripts.jobs.requeue": Row(lambda s, c, a: _m("transcripts.jobs").requeue(s, a, [c.call_b]),
                                       REFUSED_WRITE),
    "transcripts.terminal.run_worker": Exempt("a worker process run by the CLI; it only transcribes queued calls"),
    "transcripts.terminal.transcribe_now": Exempt("runs the queue for calls already queued by `requeue`"),
    # evaluations
    "scoring.evaluations.add_comment": Row(lambda s, c, a: _m("scoring.evaluations").add_comment(s, a, c.call_b, 1.0, "x"),
                                   REFUSED_WRITE),
    "scoring.evaluations.call_comments": Row(lambda s, c, a: _m("scoring.evaluations").call_comments(s, a, c.call_b), REFUSED_DATA),
    "scoring.evaluations.delete_comment": Row(lambda s, c, a: _m("scoring.evaluations").delete_comment(s, a, c.comment_b),
                                      REFUSED_WRITE),
    "scoring.evaluations.evaluations_of_call": Row(lambda s, c, a: _m("scoring.evaluations").evaluations_of_call(s, a, c.call_b),
                                           REFUSED_DATA),
    "scoring.evaluations.get_evaluation": Row(lambda s, c, a: _m("scoring.evaluations").get_evaluation(s, a, c.evaluation_b),
                                      REFUSED_DATA),
    "scoring.evaluations.open_evaluation": Row(lambda s, c, a: _m("scoring.evaluations").open_evaluation(s, a, c.call_b),
                                       REFUSED_WRITE),
    "transcripts.hearing.hearing_of": Row(lambda s, c, a: _m("transcripts.hearing").hearing_of(s, a, c.call_b),
                                            REFUSED_DATA),
    "transcripts.hearing.set_hearing": Row(lambda s, c, a: _m("transcripts.hearing").set_hearing(
        s, a, c.call_b, language="en"), REFUSED_WRITE),
    # talk analytics, callback conversion, the calls export
    "analytics.stored.call_analytics": Row(lambda s, c, a: _m("analytics.stored").call_analytics(s, a, c.call_b),
                                           REFUSED_DATA),
    "analytics.stored.set_analytics_thresholds": Row(lambda s, c, a: _m("analytics.stored").set_analytics_thresholds(
        s, a, _m("analytics.stored").Thresholds()), ADMIN_ONLY),
    "transcripts.clinic_vocabulary.set_clinic_vocabulary": Row(
        lambda s, c, a: _m("transcripts.clinic_vocabulary").set_clinic_vocabulary(s, a, ("Семейный Доктор",)),
        ADMIN_ONLY),
    "analytics.stored.measure_call": Row(lambda d, c, a: _m("analytics.stored").measure_call(d, a, c.call_b, None),
                                         REFUSED_DATA),
    "analytics.stored.measure_calls": Hidden(lambda d, c, a: _m("analytics.stored").measure_calls(d, a, [c.call_b]),
                                             lambda report, c: report.measured == 0),
    "analytics.stored.calls_to_measure": Hidden(lambda s, c, a: _m("analytics.stored").calls_to_measure(
        s, a, everything=True), lambda ids, c: c.call_b not in ids),
    "reporting.call_export.calls_table": Hidden(lambda s, c, a: _m("reporting.call_export").calls_table(
        s, a, lang="en"), lambda table, c: c.call_b not in [row[0] for row in table.rows]),
    "reporting.call_export.export_calls": Hidden(lambda s, c, a: _m("reporting.call_export").export_calls(
        s, a, Path(tempfile.mkdtemp()) / "calls.csv", lang="en"),
        lambda written, c: str(c.call_b) not in [line.split(",")[0] for line in
                                                  written[0].read_text(encoding="utf-8-sig").splitlines()]),
    "reporting.conversion.callback_calls": Row(lambda s, c, a: _m("reporting.conversion").callback_calls(s, a, _scope(c)),
                                               REFUSED_DATA),
    "reporting.conversion.callback_conversion": Row(lambda s, c, a: _m("reporting.conversion").callback_conversion(
        s, a, _scope(c), lang="en"), REFUSED_DATA),
    "reporting.conversion.set_conversion_target": Row(lambda s, c, a: _m("reporting.conversion").set_conversion_target(
        s, a, 0.8), frozenset({OPERATOR, OTHER_TEAM})),
    "library.call_details.call_details": Row(lambda s, c, a: _m("library.call_details").call_details(s, a, c.call_b),
                                             REFUSED_DATA),
    "library.source_layouts.source_choices": Row(lambda s, c, a: _m("library.source_layouts").source_choices(
        s, a, c.call_b), REFUSED_DATA),
    "call_review.screen.comment_rows": Row(lambda s, c, a: _m("call_review.screen").comment_rows(
        s, a, c.call_b, None, "en"), REFUSED_DATA),
    "transcripts.hearing.swap_speakers": Row(lambda s, c, a: _m("transcripts.hearing").swap_speakers(s, a, c.call_b),
                                             REFUSED_WRITE),
    "scoring.evaluations.plan_evaluation": Row(lambda s, c, a: _m("scoring.evaluations").plan_evaluation(s, a, c.call_b),
                                       REFUSED_WRITE),
    "scoring.evaluations.start_evaluation": Row(lambda s, c, a: _m("scoring.evaluations").start_evaluation(s, a, _plan_b(s, c, a)),
                                        REFUSED_WRITE),
    "scoring.evaluations.reopen": Row(lambda s, c, a: _m("scoring.evaluations").reopen(s, a, c.evaluation_b, "why"), REFUSED_WRITE),
    "scoring.evaluations.set_answer": Row(lambda s, c, a: _m("scoring.evaluations").set_answer(
        s, a, c.evaluation_b, c.question_b, na=True), REFUSED_WRITE),
    "scoring.evaluations.set_answer_comment": Row(lambda s, c, a: _m("scoring.evaluations").set_answer_comment(
        s, a, c.evaluation_b, c.question_b, "x"), REFUSED_WRITE),
    "scoring.evaluations.submit": Row(lambda s, c, a: _m("scoring.evaluations").submit(s, a, c.evaluation_b), REFUSED_WRITE),
    # settings and retention
    "library.retention.expired_call_count": Row(lambda s, c, a: _m("library.retention").expired_call_count(s, a), ADMIN_ONLY),
    "library.retention.purge_before": Row(lambda s, c, a: _m("library.retention").purge_before(s, a, datetime(2100, 1, 1)),
                                  ADMIN_ONLY),
    "library.retention.purge_expired": Row(lambda s, c, a: _m("library.retention").purge_expired(s, a), ADMIN_ONLY),
    "library.retention.run_retention": Row(lambda db, c, a: _m("library.retention").run_retention(db, a), ADMIN_ONLY),
    "library.retention.set_retention_days": Row(lambda s, c, a: _m("library.retention").set_retention_days(s, a, 1), ADMIN_ONLY),
    # review sessions and sampling
    "sessions.review_sessions.acknowledge": Row(lambda s, c, a: _m("sessions.review_sessions").acknowledge(s, a, c.session_b),
                                       REFUSED_WRITE),
    "sessions.review_sessions.add_note": Row(lambda s, c, a: _m("sessions.review_sessions").add_note(
        s, a, c.session_b, "strength", "x"), REFUSED_WRITE),
    "sessions.review_sessions.close_session": Row(lambda s, c, a: _m("sessions.review_sessions").close_session(s, a, c.session_b),
                                         REFUSED_WRITE),
    # Sampling refuses another team's operators with ValidationError ("not in your team").
    "sessions.review_sessions.create_sessions": Row(lambda s, c, a: _m("sessions.review_sessions").create_sessions(
        s, a, _rule(c), rubric_slug="inbound_call"), REFUSED_WRITE, errors=(AccessDenied, NotFound, ValidationError)),
    "sessions.review_sessions.get_review_session": Row(lambda s, c, a: _m("sessions.review_sessions").get_review_session(
        s, a, c.session_b), REFUSED_DATA),
    "sessions.review_sessions.plan_session_evaluation": Row(lambda s, c, a: _m("sessions.review_sessions").plan_session_evaluation(
        s, a, c.session_b, c.call_b), REFUSED_WRITE),
    "sessions.review_sessions.open_session_evaluation": Row(lambda s, c, a: _m("sessions.review_sessions").open_session_evaluation(
        s, a, c.session_b, c.call_b), REFUSED_WRITE),
    "sessions.review_sessions.edit_note": Row(lambda s, c, a: _m("sessions.review_sessions").edit_note(
        s, a, c.note_b, "reworded"), REFUSED_WRITE),
    "sessions.session_plan.plan_sessions": Row(lambda s, c, a: _m("sessions.session_plan").plan_sessions(
        s, a, _rule(c), rubric_slug="inbound_call"), REFUSED_WRITE, errors=(AccessDenied, NotFound, ValidationError)),
    "sessions.session_plan.default_period": Exempt("only dates: the newest visible call's day, no call data"),
    "transcripts.jobs.queue_counts": Exempt("counts by state; with an actor, only the calls the actor may see"),
    "sessions.review_sessions.remove_note": Row(lambda s, c, a: _m("sessions.review_sessions").remove_note(s, a, c.note_b),
                                       REFUSED_WRITE),
    "sessions.review_sessions.session_calls": Row(lambda s, c, a: _m("sessions.review_sessions").session_calls(s, a, c.session_b),
                                         REFUSED_DATA),
    "sessions.review_sessions.session_notes": Row(lambda s, c, a: _m("sessions.review_sessions").session_notes(s, a, c.session_b),
                                         REFUSED_DATA),
    "sessions.review_sessions.set_discussion_notes": Row(lambda s, c, a: _m("sessions.review_sessions").set_discussion_notes(
        s, a, c.session_b, "x"), REFUSED_WRITE),
    "sessions.review_sessions.status_board": Hidden(lambda s, c, a: _m("sessions.review_sessions").status_board(s, a),
                                           lambda cards, c: c.session_b not in [card.id for card in cards]),
    "sessions.review_sessions.swap_call": Row(lambda s, c, a: _m("sessions.review_sessions").swap_call(
        s, a, c.session_call_b, "why"), REFUSED_WRITE),
    "sessions.sampling.sample_calls": Row(lambda s, c, a: _m("sessions.sampling").sample_calls(s, a, _rule(c)), REFUSED_WRITE,
                                 errors=(AccessDenied, NotFound, ValidationError)),
    # calibration, disputes, goals, recognition
    "sessions.calibration.calibration_calls": Hidden(lambda s, c, a: _m("sessions.calibration").calibration_calls(s, a),
                                            lambda pairs, c: c.call_b not in [p[0] for p in pairs]),
    "sessions.calibration.calibration_report": Row(lambda s, c, a: _m("sessions.calibration").calibration_report(s, a, [c.call_b]),
                                          REFUSED_DATA),
    "sessions.calibration.open_calibration": Row(lambda s, c, a: _m("sessions.calibration").open_calibration(s, a, c.call_b),
                                        REFUSED_WRITE),
    "sessions.calibration_rounds.start_calibration": Row(lambda s, c, a: _m("sessions.calibration_rounds").start_calibration(
        s, a, [c.call_b], "inbound_call", [c.sup_b.id, c.admin.id]), REFUSED_WRITE,
        errors=(AccessDenied, NotFound, ValidationError)),
    "sessions.calibration_rounds.calibration_choices": Hidden(
        lambda s, c, a: _m("sessions.calibration_rounds").calibration_choices(s, a),
        lambda choices, c: c.call_b not in [call.call_id for call in choices.calls]),
    "sessions.calibration_rounds.calibration_rounds": Hidden(
        lambda s, c, a: (_round_b(s, c), _m("sessions.calibration_rounds").calibration_rounds(s, a))[1],
        lambda rounds, c: all(c.call_b not in [call.call_id for call in r.calls] for r in rounds)),
    "sessions.calibration_rounds.plan_calibration_evaluation": Row(
        lambda s, c, a: (_round_b(s, c), _m("sessions.calibration_rounds").plan_calibration_evaluation(s, a, c.call_b)
                         or _refused())[1], REFUSED_WRITE),
    "sessions.calibration_rounds.round_report": Row(lambda s, c, a: _m("sessions.calibration_rounds").round_report(
        s, a, _round_b(s, c), lang="en"), REFUSED_DATA),
    "sessions.calibration_rounds.close_round": Row(lambda s, c, a: _m("sessions.calibration_rounds").close_round(
        s, a, _round_b(s, c)), REFUSED_WRITE),
    "scoring.disputes.accept_dispute": Row(lambda s, c, a: _m("scoring.disputes").accept_dispute(
        s, a, c.dispute_b, value=True, reason="x"), REFUSED_WRITE),
    "scoring.disputes.decline_dispute": Row(lambda s, c, a: _m("scoring.disputes").decline_dispute(s, a, c.dispute_b, "x"),
                                    REFUSED_WRITE),
    "scoring.disputes.list_disputes": Hidden(lambda s, c, a: _m("scoring.disputes").list_disputes(s, a),
                                     lambda rows, c: c.dispute_b not in [r.id for r in rows]),
    "scoring.disputes.raise_dispute": Row(lambda s, c, a: _m("scoring.disputes").raise_dispute(
        s, a, c.evaluation_b, c.question_b, "x"), REFUSED_WRITE),
    "scoring.disputes.set_dispute_window": Row(lambda s, c, a: _m("scoring.disputes").set_dispute_window(s, a, 7), NOT_OPERATORS),
    "sessions.goals.decide_goal": Row(lambda s, c, a: _m("sessions.goals").decide_goal(s, a, c.goal_b, "met"), REFUSED_WRITE),
    "sessions.goals.get_goal": Row(lambda s, c, a: _m("sessions.goals").get_goal(s, a, c.goal_b), REFUSED_DATA),
    "sessions.goals.goal_progress": Row(lambda s, c, a: _m("sessions.goals").goal_progress(s, a, c.goal_b), REFUSED_DATA),
    "sessions.goals.goals_of_operator": Row(lambda s, c, a: _m("sessions.goals").goals_of_operator(s, a, c.op_b), REFUSED_DATA),
    "sessions.goals.session_goals": Row(lambda s, c, a: _m("sessions.goals").session_goals(s, a, c.session_b), REFUSED_DATA),
    "sessions.goals.set_goal": Row(lambda s, c, a: _m("sessions.goals").set_goal(s, a, c.session_b, metric="x", target=0.9),
                          REFUSED_WRITE),
    "reporting.recognition.mark_thanked": Row(lambda s, c, a: _m("reporting.recognition").mark_thanked(s, a, c.call_b), REFUSED_WRITE),
    "reporting.recognition.thanks_per_operator": Hidden(lambda s, c, a: _m("reporting.recognition").thanks_per_operator(s, a),
                                              lambda rows, c: c.op_b not in [r.operator_id for r in rows]),
    "sessions.comparison.compare": Row(lambda s, c, a: _m("sessions.comparison").compare(s, a, c.session_b),
                                      REFUSED_DATA),
    # reports and their exports, scoped to operator B
    "reporting.reports.growth_area_summary": Row(lambda s, c, a: _m("reporting.reports").growth_area_summary(s, a, _scope(c)),
                                       REFUSED_DATA),
    "reporting.reports.operator_scorecards": Row(lambda s, c, a: _m("reporting.reports").operator_scorecards(s, a, _scope(c)),
                                       REFUSED_DATA),
    "reporting.agreement.suggestion_agreement": Row(
        lambda s, c, a: _m("reporting.agreement").suggestion_agreement(s, a, _scope(c)), REFUSED_DATA),
    "reporting.report_set.report_set": Row(lambda s, c, a: _m("reporting.report_set").report_set(
        s, a, _scope(c), lang="en", free_text=True, by="operator"), REFUSED_DATA),
    "scoring.suggestions.call_suggestions": Row(
        lambda s, c, a: _m("scoring.suggestions").call_suggestions(s, a, c.call_b, _rubric()), REFUSED_DATA),
    "scoring.suggestions.try_question": Row(lambda s, c, a: _m("scoring.suggestions").try_question(
        s, a, c.call_b, next(_rubric().questions())), REFUSED_DATA),
    "reporting.reports.question_trend": Row(lambda s, c, a: _m("reporting.reports").question_trend(s, a, _scope(c)), REFUSED_DATA),
    "reporting.reports.score_trend": Row(lambda s, c, a: _m("reporting.reports").score_trend(s, a, _scope(c)), REFUSED_DATA),
    "reporting.reports.report_choices": Hidden(lambda s, c, a: _m("reporting.reports").report_choices(s, a),
                                     lambda choices, c: c.op_b not in [o[0] for o in choices.operators]),
    "reporting.exports.report_table": Row(lambda s, c, a: _m("reporting.exports").report_table(s, a, "scorecards", _scope(c)),
                                REFUSED_DATA),
    "reporting.exports.export_report": Row(lambda s, c, a: _m("reporting.exports").export_report(
        s, a, "scorecards", _scope(c), Path("/nonexistent/report.csv")), REFUSED_DATA),
    "reporting.exports.export_all_reports": Row(lambda s, c, a: _m("reporting.exports").export_all_reports(
        s, a, _scope(c), Path("/nonexistent/reports.xlsx"), current="scorecards"), REFUSED_DATA),
    "reporting.talk.talk_calls": Row(lambda s, c, a: _m("reporting.talk").talk_calls(s, a, _scope(c)), REFUSED_DATA),
    "reporting.talk.talk_report": Row(lambda s, c, a: _m("reporting.talk").talk_report(s, a, _scope(c)), REFUSED_DATA),
    # rubrics: not about people, but only those who manage rubrics may change them
    "scoring.rubric_store.import_rubric_file": Row(lambda s, c, a: _m("scoring.rubric_store").import_rubric_file(
        s, a, "/nonexistent.yaml"), NOT_OPERATORS),
    "scoring.rubric_store.install_builtin_rubrics": Exempt("idempotent start-up step: adds only missing shipped rubrics"),
    "scoring.rubric_store.publish": Row(lambda s, c, a: _m("scoring.rubric_store").publish(s, a, "inbound_call", "x"), NOT_OPERATORS),
    "scoring.rubric_store.save_draft": Row(lambda s, c, a: _m("scoring.rubric_store").save_draft(s, a, _rubric()), NOT_OPERATORS),
    "scoring.rubric_editing.save_rubric": Row(lambda s, c, a: _m("scoring.rubric_editing").save_rubric(
        s, a, _rubric(), new=False), NOT_OPERATORS),
    "scoring.rubric_editing.publish_rubric": Row(lambda s, c, a: _m("scoring.rubric_editing").publish_rubric(
        s, a, "inbound_call", "x", _rubric()), NOT_OPERATORS),
    "scoring.rubric_editing.import_rubric": Row(lambda s, c, a: _m("scoring.rubric_editing").import_rubric(
        s, a, "/nonexistent.yaml"), NOT_OPERATORS),
    # the workspace's call kinds and outcomes: an administrator's
    "library.vocabularies.add_term": Row(lambda s, c, a: _m("library.vocabularies").add_term(
        s, a, "call_kind", "booking_cardiologist", "Запись к кардиологу", "Cardiologist booking"), ADMIN_ONLY),
    "library.vocabularies.update_term": Row(lambda s, c, a: _m("library.vocabularies").update_term(
        s, a, "call_kind", "complaint", label_ru="Претензия", label_en="Complaint"), ADMIN_ONLY),
    "library.vocabularies.map_value": Row(lambda s, c, a: _m("library.vocabularies").map_value(
        s, a, "call_kind", "booking_cardiologist", "inbound_booking"), ADMIN_ONLY),
    "library.patient_thread.patient_thread": Row(lambda s, c, a: _m("library.patient_thread").patient_thread(s, a, c.call_b),
                                         REFUSED_DATA),
}


def discovered_services() -> dict[str, bool]:
    """'module.function' -> whether it takes a Database (True) or a session (False)."""
    found = {}
    for info in pkgutil.walk_packages(review.__path__, "review."):
        short = info.name.removeprefix("review.")
        if info.ispkg or short in SKIP_MODULES or short.startswith(("migrations", "models")):
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            params = list(inspect.signature(function).parameters)
            if len(params) >= 2 and params[0] in ("session", "db") and params[1] == "actor":
                found[f"{short}.{name}"] = params[0] == "db"
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
    from review.library.calls import call_page, get_call
    from review.library.search import search_everything, search_transcripts
    from review.scoring.evaluations import get_evaluation
    from review.sessions.review_sessions import get_review_session

    db, c = clinic_db
    with db.sessions() as session:
        assert get_evaluation(session, c.sup_b, c.evaluation_b).id == c.evaluation_b
        for actor in (c.oper_b, c.sup_b, c.admin):
            assert get_call(session, actor, c.call_b).id == c.call_b
            assert c.call_b in [r.id for r in call_page(session, actor, CallFilter())]
            assert [h.call_id for h in search_transcripts(session, actor, SECRET_WORD_B)] == [c.call_b]
            assert [h.message_id is not None for h in search_everything(session, actor, SECRET_WORD_B)] == [False, True]
        assert get_review_session(session, c.oper_b, c.session_b).id == c.session_b
        assert get_call(session, c.manager, c.call_b).id == c.call_b
        session.rollback()
