"""A small clinic with known evaluations and review sessions, for reports computed by hand.

Rubric "mini" (two sections of weight 50):
  greet: hello (yes/no), name (yes/no, critical)
  book:  alt (scale 0-2, N/A allowed), confirm (yes/no, critical, fatal), remark (note)
Version 2 only renames "hello"; Vera's evaluation is pinned to it.

Period 2-15 March 2026 (two weeks starting on Mondays); the previous period is 16 Feb - 1 March.

Submitted supervisor evaluations in the period (score from the scoring engine):
  E1 Anna  3 Mar: hello y, name y, alt 2, confirm y      -> 100,      critical 100
  E2 Anna 10 Mar: hello n, name y, alt 1, confirm y      -> 58.333,   critical 100
  E3 Boris 4 Mar: hello y, name n, alt 0, confirm n      -> 0 (fatal; computed 25), critical 0
  E4 Boris (call without a start; submitted 12 Mar): hello y, name y, alt N/A, confirm y -> 100, critical 100
  E5 Vera  5 Mar (v2): hello n, name n, alt 2, confirm y -> 50,       critical 50
Left out: Anna's self-review, a draft, a calibration, Boris's call of 16 March; E8 Anna 20 Feb (previous
period): hello n, name y, alt 2, confirm y -> 75.

Sessions: S1 Anna 6 Mar (growth hello twice, growth alt, strength name, free-text growth with a phone number),
S2 Boris 13 Mar (growth alt, growth confirm, strength hello), S3 Vera 7 Mar (growth hello, strength alt);
previous S0 Anna 25 Feb (growth hello, growth name); after the period S4 Boris 20 Mar (growth name).
Thanked calls: Anna's E1 call and another call of 8 March (and one of 20 Feb, outside). Goals: Anna open,
extended and met; Vera open but set on 1 April.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from review.storage.db import Database
from review.models import (
    Answer,
    Call,
    Evaluation,
    Goal,
    Operator,
    ReviewSession,
    RubricRecord,
    RubricVersion,
    SessionNote,
    Team,
    User,
)
from rubrics import Answer as RubricAnswer
from rubrics import dump_rubric, rubric_from_data, score

PERIOD = (date(2026, 3, 2), date(2026, 3, 15))
FREE_TEXT = "Перезвонить пациенту по номеру 8 916 123-45-67"


def mini_rubric(hello_text: str = "Поздоровался"):
    return rubric_from_data({
        "id": "mini", "title": {"ru": "Мини", "en": "Mini"},
        "sections": [
            {"id": "greet", "title": {"ru": "Приветствие", "en": "Greeting"}, "weight": 50, "questions": [
                {"id": "hello", "type": "yes_no", "text": {"ru": hello_text, "en": "Said hello"}},
                {"id": "name", "type": "yes_no", "critical": True, "text": {"ru": "Назвал имя", "en": "Gave name"}},
            ]},
            {"id": "book", "title": {"ru": "Запись", "en": "Booking"}, "weight": 50, "questions": [
                {"id": "alt", "type": "scale", "na_allowed": True, "text": {"ru": "Предложил альтернативу",
                                                                             "en": "Offered an alternative"},
                 "levels": [{"value": v, "label": str(v)} for v in (0, 1, 2)]},
                {"id": "confirm", "type": "yes_no", "critical": True, "fatal": True,
                 "text": {"ru": "Подтвердил запись", "en": "Confirmed the booking"}},
                {"id": "remark", "type": "note", "text": "Заметка"},
            ]},
        ]})


@dataclass
class ReportClinic:
    admin: User
    manager: User
    sup_a: User
    sup_b: User
    anna_user: User
    team_a: int
    team_b: int
    anna: int
    boris: int
    vera: int
    gleb: int


_sha = iter(range(1, 10_000))


def _call(session, operator_id: int, started: datetime | None, thanked: bool = False) -> Call:
    call = Call(path=f"/calls/{operator_id}-{started}.wav", sha256=f"{next(_sha):064x}", size_bytes=1,
                duration_s=60.0, sample_rate=8000, channels=2, codec="PCM_16", started_at=started,
                operator_id=operator_id, thanked=thanked, call_kind="inbound_booking")
    session.add(call)
    session.flush()
    return call


def _evaluation(session, version: RubricVersion, rubric, call: Call, reviewer: User, answers: dict, *,
                kind: str = "supervisor", status: str = "submitted", submitted: datetime | None = None) -> Evaluation:
    result = score(rubric, {q: RubricAnswer.not_applicable() if v == "N/A" else RubricAnswer(v)
                            for q, v in answers.items()})
    evaluation = Evaluation(call_id=call.id, rubric_version_id=version.id, reviewer_id=reviewer.id, kind=kind,
                            status=status, score=result.overall, computed_score=result.computed,
                            critical_score=result.critical, fatal=bool(result.fatal),
                            submitted_at=submitted or call.started_at)
    evaluation.answers = [Answer(question_id=q, value=None if v == "N/A" else {"v": v}, na=v == "N/A")
                          for q, v in answers.items()]
    session.add(evaluation)
    session.flush()
    return evaluation


def _session(session, operator_id: int, supervisor: User, version: RubricVersion, created: datetime,
             notes: list[tuple[str, str | None, str]]) -> ReviewSession:
    review_session = ReviewSession(operator_id=operator_id, supervisor_id=supervisor.id,
                                   rubric_version_id=version.id, sampling_rule={}, seed=1,
                                   period_start=created.date(), period_end=created.date(), created_at=created)
    session.add(review_session)
    session.flush()
    session.add_all([SessionNote(session_id=review_session.id, kind=kind, question_id=question, text=text)
                     for kind, question, text in notes])
    return review_session


def build_report_clinic(db: Database) -> ReportClinic:
    with db.unit_of_work() as session:
        team_a, team_b = Team(name="Регистратура А"), Team(name="Регистратура Б")
        session.add_all([team_a, team_b])
        session.flush()
        anna, boris = Operator(name="Анна", team_id=team_a.id), Operator(name="Борис", team_id=team_a.id)
        vera, gleb = Operator(name="Вера", team_id=team_b.id), Operator(name="Глеб", team_id=team_b.id)
        session.add_all([anna, boris, vera, gleb])
        session.flush()
        users = {
            "admin": User(username="admin", display_name="Админ", role="admin"),
            "manager": User(username="boss", display_name="Руководитель", role="manager"),
            "sup_a": User(username="sup_a", display_name="Супервизор А", role="supervisor", team_id=team_a.id),
            "sup_b": User(username="sup_b", display_name="Супервизор Б", role="supervisor", team_id=team_b.id),
            "anna_user": User(username="anna", display_name="Анна", role="operator", team_id=team_a.id,
                              operator_id=anna.id),
        }
        session.add_all(users.values())
        session.flush()
        v1_rubric, v2_rubric = mini_rubric(), mini_rubric("Поздоровался тепло")
        record = RubricRecord(slug="mini", title="Мини")
        v1 = RubricVersion(number=1, status="published", body=dump_rubric(v1_rubric))
        v2 = RubricVersion(number=2, status="published", body=dump_rubric(v2_rubric))
        record.versions.extend([v1, v2])
        session.add(record)
        session.flush()
        sup, admin = users["sup_a"], users["admin"]

        def evaluate(operator, started, answers, **kw):
            version, rubric = (v2, v2_rubric) if kw.pop("v2", False) else (v1, v1_rubric)
            thanked = kw.pop("thanked", False)
            submitted = kw.pop("submitted", None)
            reviewer = kw.pop("reviewer", sup)
            return _evaluation(session, version, rubric, _call(session, operator.id, started, thanked), reviewer,
                               answers, submitted=submitted, **kw)

        evaluate(anna, datetime(2026, 3, 3, 10), {"hello": True, "name": True, "alt": 2, "confirm": True,
                                                  "remark": "ok"}, thanked=True)
        evaluate(anna, datetime(2026, 3, 10, 11), {"hello": False, "name": True, "alt": 1, "confirm": True})
        evaluate(boris, datetime(2026, 3, 4, 9), {"hello": True, "name": False, "alt": 0, "confirm": False})
        evaluate(boris, None, {"hello": True, "name": True, "alt": "N/A", "confirm": True},
                 submitted=datetime(2026, 3, 12, 15))
        evaluate(vera, datetime(2026, 3, 5, 12), {"hello": False, "name": False, "alt": 2, "confirm": True},
                 v2=True, reviewer=users["sup_b"])
        all_no = {"hello": False, "name": False, "alt": 0, "confirm": False}
        evaluate(anna, datetime(2026, 3, 3, 12), all_no, kind="self", reviewer=users["anna_user"])
        evaluate(anna, datetime(2026, 3, 11, 12), all_no, status="draft")
        evaluate(anna, datetime(2026, 3, 9, 12), all_no, kind="calibration", reviewer=admin)
        evaluate(boris, datetime(2026, 3, 16, 9), all_no)
        evaluate(anna, datetime(2026, 2, 20, 10), {"hello": False, "name": True, "alt": 2, "confirm": True},
                 thanked=True)
        _call(session, anna.id, datetime(2026, 3, 8, 10), thanked=True)

        s1 = _session(session, anna.id, sup, v1, datetime(2026, 3, 6, 14), [
            ("growth", "hello", "Поздороваться"), ("growth", "hello", "Ещё раз"), ("growth", "alt", "Альтернатива"),
            ("strength", "name", "Имя"), ("growth", None, FREE_TEXT)])
        _session(session, boris.id, sup, v1, datetime(2026, 3, 13, 14), [
            ("growth", "alt", "x"), ("growth", "confirm", "x"), ("strength", "hello", "x")])
        s3 = _session(session, vera.id, users["sup_b"], v1, datetime(2026, 3, 7, 14), [
            ("growth", "hello", "x"), ("strength", "alt", "x")])
        _session(session, anna.id, sup, v1, datetime(2026, 2, 25, 14), [("growth", "hello", "x"),
                                                                      ("growth", "name", "x")])
        _session(session, boris.id, sup, v1, datetime(2026, 3, 20, 14), [("growth", "name", "x")])
        for status in ("open", "extended", "met"):
            session.add(Goal(session_id=s1.id, operator_id=anna.id, metric="alt", question_id="alt", target=80,
                             due=date(2026, 4, 1), status=status, created_at=datetime(2026, 3, 6, 15)))
        session.add(Goal(session_id=s3.id, operator_id=vera.id, metric="x", target=80, due=date(2026, 5, 1),
                         created_at=datetime(2026, 4, 1, 9)))
        ids = {"team_a": team_a.id, "team_b": team_b.id, "anna": anna.id, "boris": boris.id, "vera": vera.id,
               "gleb": gleb.id}
    return ReportClinic(**users, **ids)
