"""Reports against the example of tests/review/report_fixtures.py, every figure worked out by hand there."""

from __future__ import annotations

from datetime import date

import pytest

from review.errors import AccessDenied, NotFound, ValidationError
from review.reporting.reports import (
    ReportScope,
    growth_area_summary,
    operator_scorecards,
    question_trend,
    report_choices,
    scope_caption,
    score_trend,
)
from tests.review.report_fixtures import PERIOD, build_report_clinic

MARCH = ReportScope(*PERIOD)
WEEK1, WEEK2 = date(2026, 3, 2), date(2026, 3, 9)


@pytest.fixture
def clinic(db):
    return build_report_clinic(db)


def _rows(summary):
    return [(r.question_id, r.growth_sessions, r.strength_sessions, r.answered,
             None if r.pass_rate is None else round(r.pass_rate, 2),
             r.previous_growth_sessions, None if r.previous_pass_rate is None else round(r.previous_pass_rate, 2))
            for r in summary.rows]


def test_scope_previous_period_has_the_same_length():
    assert MARCH.days == 14
    assert MARCH.previous() == ReportScope(date(2026, 2, 16), date(2026, 3, 1))
    with pytest.raises(ValidationError, match="ends .* before it starts"):
        ReportScope(date(2026, 3, 2), date(2026, 3, 1))


def test_growth_area_summary_for_the_whole_clinic(db, clinic):
    with db.sessions() as session:
        summary = growth_area_summary(session, clinic.manager, MARCH)
    assert summary.sessions == 3 and summary.evaluations == 5
    assert summary.previous == ReportScope(date(2026, 2, 16), date(2026, 3, 1))
    # Most-named growth areas first; at 2 sessions each, alt (50 %) before hello (60 %).
    assert _rows(summary) == [
        ("alt", 2, 1, 4, 50.0, 0, 100.0),  # E1 full, E2 1 of 2, E3 0, E4 N/A, E5 full; E8 full before
        ("hello", 2, 1, 5, 60.0, 1, 0.0),  # S1 (named twice: one session) and S3; E8 said no before
        ("confirm", 1, 0, 5, 80.0, 0, 100.0),
        (None, 1, 0, 0, None, 0, None),  # the free-text growth area, counted but not shown
        ("name", 0, 1, 5, 60.0, 1, 100.0),
    ]
    alt, hello, confirm, free, name = summary.rows
    assert (alt.growth_change, alt.pass_rate_change) == (2, -50.0)
    assert (name.growth_change, name.pass_rate_change) == (-1, -40.0)
    assert free.rubric_slug is None and free.question == "Свободные заметки" and "916" not in free.question
    # Titles come from the newest version seen (Vera's evaluation used version 2).
    assert (hello.section, hello.question) == ("Приветствие", "Поздоровался тепло")
    assert alt.question == "Предложил альтернативу" and confirm.rubric_slug == "mini"


def test_growth_area_summary_in_english_with_free_text_masked(db, clinic):
    with db.sessions() as session:
        summary = growth_area_summary(session, clinic.admin, MARCH, lang="en", free_text=True)
    free = [r for r in summary.rows if r.rubric_slug is None]
    assert [(r.section, r.question, r.growth_sessions) for r in free] == [
        ("Free text", "Перезвонить пациенту по номеру [phone]", 1)]
    assert next(r for r in summary.rows if r.question_id == "alt").section == "Booking"


def test_growth_area_summary_for_a_team(db, clinic):
    with db.sessions() as session:
        summary = growth_area_summary(session, clinic.manager, ReportScope(*PERIOD, team_id=clinic.team_a))
    # Anna and Boris: E1-E4, sessions S1 and S2; hello and confirm tie at 75 %, the one named a strength after.
    assert summary.sessions == 2 and summary.evaluations == 4
    assert _rows(summary) == [
        ("alt", 2, 0, 3, 33.33, 0, 100.0),
        ("confirm", 1, 0, 4, 75.0, 0, 100.0),
        ("hello", 1, 1, 4, 75.0, 1, 0.0),
        (None, 1, 0, 0, None, 0, None),
        ("name", 0, 1, 4, 75.0, 1, 100.0),
    ]


def test_supervisor_sees_their_team_and_operators_get_no_reports(db, clinic):
    with db.sessions() as session:
        team = _rows(growth_area_summary(session, clinic.sup_a, MARCH))
        assert team == _rows(growth_area_summary(session, clinic.manager, ReportScope(*PERIOD,
                                                                                       team_id=clinic.team_a)))
        with pytest.raises(AccessDenied, match="own team"):
            growth_area_summary(session, clinic.sup_a, ReportScope(*PERIOD, team_id=clinic.team_b))
        with pytest.raises(AccessDenied):
            operator_scorecards(session, clinic.sup_a, ReportScope(*PERIOD, operator_id=clinic.vera))
        # Reports aggregate supervisors' scores, which an operator may see only after self-scoring each call.
        with pytest.raises(AccessDenied):
            growth_area_summary(session, clinic.anna_user, MARCH)
        with pytest.raises(AccessDenied):
            score_trend(session, clinic.anna_user, ReportScope(*PERIOD, operator_id=clinic.boris))
        with pytest.raises(NotFound):
            operator_scorecards(session, clinic.manager, ReportScope(*PERIOD, operator_id=99999))
        clinic.manager.active = False
        with pytest.raises(AccessDenied):
            growth_area_summary(session, clinic.manager, MARCH)


def test_operator_scorecards(db, clinic):
    with db.sessions() as session:
        cards = operator_scorecards(session, clinic.manager, MARCH)
    rows = [(c.operator, c.team, c.evaluations, c.average_score and round(c.average_score, 2),
             c.average_critical and round(c.average_critical, 2), c.fatal, c.thanked_calls, c.open_goals) for c in cards]
    assert rows == [
        ("Анна", "Регистратура А", 2, 79.17, 100.0, 0, 2, 2),  # (100 + 58.33) / 2; goals open + extended
        ("Борис", "Регистратура А", 2, 50.0, 50.0, 1, 0, 0),  # (0 fatal + 100) / 2
        ("Вера", "Регистратура Б", 1, 50.0, 50.0, 0, 0, 0),  # her goal was set after the period
        ("Глеб", "Регистратура Б", 0, None, None, 0, 0, 0),  # nothing in the period: still listed
    ]


def test_weekly_score_trend_per_operator_and_team(db, clinic):
    with db.sessions() as session:
        by_operator = score_trend(session, clinic.manager, MARCH)
        by_team = score_trend(session, clinic.manager, MARCH, by="team")
        with pytest.raises(ValidationError):
            score_trend(session, clinic.manager, MARCH, by="day")
    assert [(p.group, p.week, p.evaluations, round(p.average_score, 2)) for p in by_operator] == [
        ("Анна", WEEK1, 1, 100.0), ("Анна", WEEK2, 1, 58.33),
        ("Борис", WEEK1, 1, 0.0), ("Борис", WEEK2, 1, 100.0),  # E4 dated by its submission (12 March)
        ("Вера", WEEK1, 1, 50.0),
    ]
    assert [(p.group, p.week, p.evaluations, round(p.average_score, 2)) for p in by_team] == [
        ("Регистратура А", WEEK1, 2, 50.0), ("Регистратура А", WEEK2, 2, 79.17),
        ("Регистратура Б", WEEK1, 1, 50.0),
    ]


def test_question_pass_rate_trend(db, clinic):
    with db.sessions() as session:
        points = question_trend(session, clinic.manager, MARCH)
    table = {(p.question_id, p.week): (p.answered, round(p.pass_rate, 2)) for p in points}
    assert table == {
        ("hello", WEEK1): (3, 66.67), ("hello", WEEK2): (2, 50.0),  # E1 y, E3 y, E5 n | E2 n, E4 y
        ("name", WEEK1): (3, 33.33), ("name", WEEK2): (2, 100.0),
        ("alt", WEEK1): (3, 66.67), ("alt", WEEK2): (1, 0.0),  # E4's N/A is left out
        ("confirm", WEEK1): (3, 66.67), ("confirm", WEEK2): (2, 100.0),
    }


def test_choices_and_caption(db, clinic):
    with db.sessions() as session:
        everything = report_choices(session, clinic.manager)
        assert [name for _id, name in everything.teams] == ["Регистратура А", "Регистратура Б"]
        assert [name for _id, name, _team in everything.operators] == ["Анна", "Борис", "Вера", "Глеб"]
        assert [name for _id, name, _t in report_choices(session, clinic.sup_b).operators] == ["Вера", "Глеб"]
        with pytest.raises(AccessDenied):
            report_choices(session, clinic.anna_user)
        caption = scope_caption(session, ReportScope(*PERIOD, team_id=clinic.team_a, operator_id=clinic.anna))
    assert caption == "Период: 02.03.2026 – 15.03.2026 · Команда: Регистратура А · Оператор: Анна"


def test_empty_period_gives_empty_reports(db, clinic):
    scope = ReportScope(date(2025, 1, 1), date(2025, 1, 31))
    with db.sessions() as session:
        summary = growth_area_summary(session, clinic.manager, scope)
        assert (summary.sessions, summary.evaluations, summary.rows) == (0, 0, [])
        assert [(c.operator, c.evaluations, c.average_score) for c in operator_scorecards(
            session, clinic.manager, scope)] == [("Анна", 0, None), ("Борис", 0, None), ("Вера", 0, None),
                                                 ("Глеб", 0, None)]  # every operator, without evaluations
        assert score_trend(session, clinic.manager, scope) == []
        assert question_trend(session, clinic.manager, scope) == []


def test_the_caption_writes_dates_as_the_interface_does(db, clinic):
    with db.sessions() as session:
        english = scope_caption(session, ReportScope(*PERIOD), "en")
    assert english == "Period: 02 Mar 2026 – 15 Mar 2026"
