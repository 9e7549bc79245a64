"""Callback conversion against figures computed by hand, calls without an outcome included.

Period 2-15 March 2026 (weeks of 2 and 9 March). The clinic's own call kind "vozvrat" is its return of a
lost patient. Callbacks in scope (operator, day, kind, outcome):
  1 Anna  2 Mar checkup booked        6 Boris  5 Mar vozvrat (return) booked
  2 Anna  3 Mar checkup not_booked    7 Boris  9 Mar return callback_agreed
  3 Anna  4 Mar return (no direction) booked   8 Boris 12 Mar checkup — (no outcome)
  4 Anna 10 Mar continuation booked   9 Boris 15 Mar 23:00 continuation booked
  5 Anna 11 Mar checkup — (no outcome)
Left out: an inbound "checkup", an inbound booking, Boris's calls of 16 and 1 March, a call without a start.

Total 9: booked 5, no outcome 2, conversion 5/7 = 71.43 %, of all 5/9 = 55.56 %.
Anna 3 of 4 = 75 % (of all 3/5); Boris 2 of 3 = 66.67 % (of all 2/4).
Check-up 1 of 2 = 50 %; return 2 of 3 = 66.67 %; continuation 2 of 2 = 100 %.
Week of 2 Mar: 3 of 4 = 75 %; week of 9 Mar: 2 of 3 = 66.67 %.
"""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest

from review.errors import AccessDenied, ValidationError
from review.library.vocabularies import add_term
from review.models import Call, Operator, Team, User
from review.reporting.conversion import callback_conversion, conversion_target, set_conversion_target
from review.reporting.exports import export_report
from review.reporting.report_data import ReportScope

PERIOD = ReportScope(date(2026, 3, 2), date(2026, 3, 15))
CALLS = [  # operator, started, kind, direction, outcome
    ("Анна", datetime(2026, 3, 2, 10), "callback_checkup", "out", "booked"),
    ("Анна", datetime(2026, 3, 3, 10), "callback_checkup", "out", "not_booked"),
    ("Анна", datetime(2026, 3, 4, 10), "return_lost_patient", None, "booked"),
    ("Анна", datetime(2026, 3, 10, 10), "continuation_of_treatment", "out", "booked"),
    ("Анна", datetime(2026, 3, 11, 10), "callback_checkup", "out", None),
    ("Борис", datetime(2026, 3, 5, 10), "vozvrat", "out", "booked"),
    ("Борис", datetime(2026, 3, 9, 10), "return_lost_patient", "out", "callback_agreed"),
    ("Борис", datetime(2026, 3, 12, 10), "callback_checkup", "out", None),
    ("Борис", datetime(2026, 3, 15, 23), "continuation_of_treatment", "out", "booked"),
    # left out
    ("Анна", datetime(2026, 3, 6, 10), "callback_checkup", "in", "booked"),
    ("Анна", datetime(2026, 3, 7, 10), "inbound_booking", "out", "booked"),
    ("Борис", datetime(2026, 3, 16, 0, 30), "callback_checkup", "out", "booked"),
    ("Борис", datetime(2026, 3, 1, 23), "callback_checkup", "out", "booked"),
    ("Борис", None, "callback_checkup", "out", "booked"),
]


@pytest.fixture
def clinic(db, admin):
    with db.unit_of_work() as session:
        add_term(session, admin, "call_kind", "vozvrat", "Возврат (наш)", "Return (ours)", outbound_callback=True,
                 callback_kind="return_lost_patient")
        team_a, team_b = Team(name="А"), Team(name="Б")
        session.add_all([team_a, team_b])
        session.flush()
        operators = {"Анна": Operator(name="Анна", team_id=team_a.id), "Борис": Operator(name="Борис", team_id=team_b.id)}
        session.add_all(operators.values())
        session.flush()
        ids = []
        for n, (name, started, kind, direction, outcome) in enumerate(CALLS):
            call = Call(path=f"/calls/{n}.wav", sha256=f"{n + 1:064x}", size_bytes=1, duration_s=60.0,
                        sample_rate=8000, channels=2, codec="PCM_16", started_at=started, direction=direction,
                        call_kind=kind, outcome=outcome, operator_id=operators[name].id)
            session.add(call)
            session.flush()
            ids.append(call.id)
        users = {"manager": User(username="boss", display_name="Руководитель", role="manager"),
                 "sup_a": User(username="sup_a", display_name="Супервизор А", role="supervisor", team_id=team_a.id),
                 "oper": User(username="anna", display_name="Анна", role="operator", operator_id=operators["Анна"].id)}
        session.add_all(users.values())
        session.flush()
        for user in users.values():
            session.expunge(user)
        return ids, users, {name: o.id for name, o in operators.items()}


def _figures(row):
    return (row.callbacks, row.booked, row.without_outcome, row.conversion, row.conversion_of_all)


def test_conversion_per_operator_kind_and_week_by_hand(db, admin, clinic):
    ids, _users, operators = clinic
    with db.sessions() as session:
        report = callback_conversion(session, admin, PERIOD, lang="en")
    assert report.target == 0.8
    assert _figures(report.total) == (9, 5, 2, pytest.approx(5 / 7), pytest.approx(5 / 9))
    assert report.total.meets(0.8) is False
    assert [(r.label, *_figures(r)) for r in report.by_operator] == [
        ("Анна", 5, 3, 1, pytest.approx(0.75), pytest.approx(0.6)),
        ("Борис", 4, 2, 1, pytest.approx(2 / 3), pytest.approx(0.5))]
    assert [(r.key, *_figures(r)[:4]) for r in report.by_kind] == [
        ("callback_checkup", 4, 1, 2, pytest.approx(0.5)),
        ("return_lost_patient", 3, 2, 0, pytest.approx(2 / 3)),
        ("continuation_of_treatment", 2, 2, 0, 1.0)]
    assert [r.label for r in report.by_kind] == ["Check-up invitation", "Return of a lost patient",
                                                 "Continuation of treatment"]
    assert [(r.key, *_figures(r)[:4]) for r in report.by_week] == [
        (date(2026, 3, 2), 4, 3, 0, pytest.approx(0.75)), (date(2026, 3, 9), 5, 2, 2, pytest.approx(2 / 3))]
    # The drill-down: the calls behind a row, oldest first.
    assert [c.id for c in report.by_operator[0].calls] == ids[:5]
    assert [c.id for c in report.by_kind[1].calls] == [ids[2], ids[5], ids[6]]
    assert report.by_operator[1].key == operators["Борис"]


def test_the_target_is_the_managers_and_changes_what_meets_it(db, admin, clinic):
    _ids, users, _operators = clinic
    with db.unit_of_work() as session:
        with pytest.raises(AccessDenied):
            set_conversion_target(session, users["sup_a"], 0.5)
        with pytest.raises(ValidationError):
            set_conversion_target(session, users["manager"], 1.5)
        set_conversion_target(session, users["manager"], 0.75)
    with db.sessions() as session:
        assert conversion_target(session) == 0.75
        report = callback_conversion(session, users["manager"], PERIOD)
    assert [r.meets(report.target) for r in report.by_operator] == [True, False]  # exactly 75 % meets 75 %
    assert [r.meets(report.target) for r in report.by_week] == [True, False]
    assert report.total.label == "Всего"


def test_scope_and_access(db, admin, clinic):
    _ids, users, operators = clinic
    with db.sessions() as session:
        team_a = callback_conversion(session, users["sup_a"], PERIOD)  # a supervisor sees their team
        assert [r.label for r in team_a.by_operator] == ["Анна"] and team_a.total.callbacks == 5
        boris = callback_conversion(session, admin, ReportScope(PERIOD.start, PERIOD.end, operator_id=operators["Борис"]))
        assert _figures(boris.total)[:3] == (4, 2, 1)
        with pytest.raises(AccessDenied):
            callback_conversion(session, users["oper"], PERIOD)
        none = callback_conversion(session, admin, ReportScope(date(2025, 1, 1), date(2025, 1, 31)))
        assert none.total.callbacks == 0 and none.total.conversion is None and none.total.meets(0.8) is None


def test_exported_with_the_other_reports(db, admin, clinic, tmp_path):
    with db.sessions() as session:
        path = export_report(session, admin, "conversion", PERIOD, tmp_path / "conversion.csv", lang="en")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["By"], r["Group"]) for r in rows][:3] == [("Total", "Total"), ("Operator", "Анна"),
                                                          ("Operator", "Борис")]
    total = rows[0]
    assert (total["Callbacks"], total["With an outcome"], total["Booked"], total["No outcome"]) == ("9", "7", "5", "2")
    assert (total["Conversion, %"], total["Booked of all, %"], total["Target, %"], total["Target met"]) == (
        "71.43", "55.56", "80", "no")
    assert [r["Group"] for r in rows if r["By"] == "Week of"] == ["2026-03-02", "2026-03-09"]
    assert [r["Target met"] for r in rows if r["By"] == "Callback kind"] == ["no", "no", "yes"]
