"""Talk analytics in reports against figures computed by hand, on a real SQLite workspace.

Period 2-15 March 2026 (weeks of 2 and 9 March). Teams: А (Анна, Борис); Вера has no team. Stored figures
(talk share, silence total/longest, holds count/total, overtalk count/total, wpm, first word):
  C1 Анна   2 Mar  0.6  10  6   1  30   2  3   120  2
  C2 Анна  10 Mar  0.8   0  0   0   0   0  0   150  1
  C3 Борис  4 Mar  0.5  20 12   2 150   1  1    90  4   (one channel: speakers inferred)
  C4 Вера  11 Mar  —     0  0   0   0   0  0    —   —   (nobody spoke)
Left out: Анна's call of 16 March, Борис's call of 1 March, Борис's call of 5 March without figures.

Total 4 calls: share (60+80+50)/3 = 63.33 %, silence 30/4 = 7.5 s, longest 18/4 = 4.5 s, holds 3/4 = 0.75,
hold 180/4 = 45 s, overtalk 3/4 = 0.75 and 4/4 = 1 s, 360/3 = 120 wpm, first word 7/3 = 2.33 s.
Team А (3 calls, over its calls, not its operators' means of 70 and 50): share 63.33 %, silence 10 s, hold 60 s.
Анна: 70 %, silence 5 s, longest 3 s, holds 0.5, hold 15 s, overtalk 1 and 1.5 s, 135 wpm, first 1.5 s.
Week of 2 Mar (C1, C3): 55 %, silence 15 s, 105 wpm; week of 9 Mar (C2, C4): 80 %, 150 wpm, first 1 s.
"""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest

from review.models import Call, CallAnalytics, Operator, Team, User
from review.reporting.exports import export_report
from review.reporting.report_data import ReportScope
from review.reporting.talk import talk_report

PERIOD = ReportScope(date(2026, 3, 2), date(2026, 3, 15))
CALLS = [  # operator, started, (share, silence, longest, holds, hold, overtalks, overtalk, wpm, first), mono
    ("Анна", datetime(2026, 3, 2, 10), (0.6, 10, 6, 1, 30, 2, 3, 120, 2), False),
    ("Анна", datetime(2026, 3, 10, 10), (0.8, 0, 0, 0, 0, 0, 0, 150, 1), False),
    ("Борис", datetime(2026, 3, 4, 10), (0.5, 20, 12, 2, 150, 1, 1, 90, 4), True),
    ("Вера", datetime(2026, 3, 11, 10), (None, 0, 0, 0, 0, 0, 0, None, None), False),
    # left out
    ("Анна", datetime(2026, 3, 16, 0, 30), (0.9, 99, 99, 9, 999, 9, 99, 300, 30), False),
    ("Борис", datetime(2026, 3, 1, 23), (0.1, 99, 99, 9, 999, 9, 99, 30, 30), False),
    ("Борис", datetime(2026, 3, 5, 10), None, False),
]


@pytest.fixture
def talk_clinic(sqlite_db):
    db = sqlite_db
    with db.unit_of_work() as session:
        team = Team(name="А")
        session.add(team)
        session.flush()
        operators = {"Анна": Operator(name="Анна", team_id=team.id), "Борис": Operator(name="Борис", team_id=team.id),
                     "Вера": Operator(name="Вера")}
        session.add_all(operators.values())
        session.flush()
        for n, (name, started, figures, mono) in enumerate(CALLS):
            call = Call(path=f"/calls/{n}.wav", sha256=f"{n + 1:064x}", size_bytes=1, duration_s=120.0,
                        sample_rate=8000, channels=1 if mono else 2, codec="PCM_16", started_at=started,
                        operator_id=operators[name].id)
            session.add(call)
            session.flush()
            if figures is None:
                continue
            share, silence, longest, holds, hold, overtalks, overtalk, wpm, first = figures
            session.add(CallAnalytics(
                call_id=call.id, duration_s=120.0, operator_talk_s=0.0, customer_talk_s=0.0, operator_share=share,
                silence_count=int(silence > 0), silence_total_s=silence, silence_longest_s=longest, hold_count=holds,
                hold_total_s=hold, hold_longest_s=hold, long_holds=int(hold > 120), overtalk_count=overtalks,
                overtalk_total_s=overtalk, operator_interruptions=overtalks, customer_interruptions=0,
                operator_words=0, operator_wpm=wpm, operator_first_word_s=first, speakers_inferred=mono))
        users = {"manager": User(username="boss", display_name="Руководитель", role="manager"),
                 "sup": User(username="sup", display_name="Супервизор А", role="supervisor", team_id=team.id)}
        session.add_all(users.values())
        session.flush()
        for user in users.values():
            session.expunge(user)
        return users, team.id, {name: o.id for name, o in operators.items()}


def _figures(row) -> tuple:
    a = row.averages
    return (row.label, row.calls, row.mono_calls, a["operator_share"], a["silence_total_s"], a["silence_longest_s"],
            a["hold_count"], a["hold_total_s"], a["overtalk_count"], a["overtalk_total_s"], a["operator_wpm"],
            a["operator_first_word_s"])


def test_team_operator_and_weekly_averages_by_hand(sqlite_db, talk_clinic):
    users, team_id, operators = talk_clinic
    with sqlite_db.sessions() as session:
        report = talk_report(session, users["manager"], PERIOD, lang="en")
    approx = pytest.approx
    assert _figures(report.total) == ("Total", 4, 1, approx(190 / 3), 7.5, 4.5, 0.75, 45, 0.75, 1, 120, approx(7 / 3))
    assert [_figures(r) for r in report.by_team] == [
        ("А", 3, 1, approx(190 / 3), 10, 6, 1, 60, 1, approx(4 / 3), 120, approx(7 / 3)),
        ("No team", 1, 0, None, 0, 0, 0, 0, 0, 0, None, None)]  # nobody spoke: no share, rate or first word
    assert [_figures(r) for r in report.by_operator] == [
        ("Анна", 2, 0, approx(70), 5, 3, 0.5, 15, 1, 1.5, 135, 1.5),
        ("Борис", 1, 1, approx(50), 20, 12, 2, 150, 1, 1, 90, 4),
        ("Вера", 1, 0, None, 0, 0, 0, 0, 0, 0, None, None)]
    assert [r.key for r in report.by_operator] == [operators["Анна"], operators["Борис"], operators["Вера"]]
    assert [_figures(r)[:5] + _figures(r)[10:] for r in report.by_week] == [
        ("2026-03-02", 2, 1, approx(55), 15, 105, 3), ("2026-03-09", 2, 0, approx(80), 0, 150, 1)]
    assert report.by_team[0].key == team_id


def test_filters_and_the_supervisors_team(sqlite_db, talk_clinic):
    users, team_id, operators = talk_clinic
    with sqlite_db.sessions() as session:
        anna = talk_report(session, users["manager"], ReportScope(PERIOD.start, PERIOD.end,
                                                                  operator_id=operators["Анна"]))
        supervised = talk_report(session, users["sup"], PERIOD)
        chats = talk_report(session, users["manager"], ReportScope(PERIOD.start, PERIOD.end, channel_kind="whatsapp"))
    assert (anna.total.calls, anna.total.averages["operator_wpm"], [r.label for r in anna.by_week]) == (
        2, 135, ["02.03.2026", "09.03.2026"])
    assert [r.label for r in supervised.by_operator] == ["Анна", "Борис"] and supervised.total.calls == 3
    assert chats.total.calls == 0 and chats.total.averages["operator_share"] is None and chats.by_week == []


def test_the_talk_table_as_exported(sqlite_db, talk_clinic, tmp_path):
    users, _team_id, _operators = talk_clinic
    with sqlite_db.sessions() as session:
        path = export_report(session, users["manager"], "talk", PERIOD, tmp_path / "talk.csv", lang="ru")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:5] == ["Разрез", "Группа", "Звонков", "Из них моно", "Доля речи оператора, %"]
    assert rows[1] == ["Итого", "Всего", "4", "1", "63,3", "7,5", "4,5", "0,75", "45", "0,75", "1", "120", "2,3"]
    assert rows[3] == ["Команда", "Без команды", "1", "0", "", "0", "0", "0", "0", "0", "0", "", ""]
    assert rows[4][:4] == ["Оператор", "Анна", "2", "0"] and rows[-1][:5] == ["Неделя с", "09.03.2026", "2", "0", "80"]


def test_a_weeks_first_day_reads_as_the_interfaces_dates_do():
    """English report tables wrote "Week of 2026-10-26" beside "26 Oct 2026" everywhere else."""
    from datetime import date

    from review.reporting.tables import format_cell

    assert format_cell(date(2026, 10, 26), "date", "en") == "26 Oct 2026"
    assert format_cell(date(2026, 3, 2), "date", "ru") == "02.03.2026"
