"""A small clinic for access tests: two teams, each with a supervisor and an operator, plus an
administrator and a manager; operator B has a transcribed call, an evaluation, a comment and a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from review.accounts.local_admin import ensure_local_admin
from review.accounts.users import create_team, create_user
from review.storage.db import Database
from review.scoring.evaluations import add_comment, open_evaluation
from review.models import (
    Call,
    Dispute,
    Goal,
    Operator,
    ReviewSession,
    Segment,
    SessionCall,
    SessionNote,
    Transcript,
    TranscriptionJob,
    User,
)
from review.scoring.rubric_store import install_builtin_rubrics
from review.library.search import index_text

SECRET_WORD_B = "зубровка"  # spoken only in operator B's call
WORD_A = "ромашка"


@dataclass
class Clinic:
    admin: User
    sup_a: User
    sup_b: User
    oper_a: User
    oper_b: User
    manager: User
    team_a: int
    team_b: int
    op_a: int
    op_b: int
    call_a: int
    call_b: int
    evaluation_b: int
    comment_b: int
    session_b: int
    session_call_b: int
    note_b: int
    goal_b: int
    dispute_b: int
    question_b: str
    rubric_version_b: int

    def actor(self, key: str) -> User:
        return getattr(self, key)


def add_call(session, operator_id: int | None, sha: str, text: str, started: datetime) -> Call:
    call = Call(path=f"/recordings/{sha}.wav", sha256=sha * 64 if len(sha) == 1 else sha.ljust(64, "0"),
                size_bytes=1000, duration_s=30.0, sample_rate=8000, channels=2, codec="PCM_16",
                started_at=started, operator_id=operator_id, phone="+79161234567", transcription_status="done",
                call_kind="inbound_booking", direction="in")
    session.add(call)
    session.flush()
    session.add(Transcript(call_id=call.id, language="ru", model="test"))
    session.add(Segment(call_id=call.id, position=0, speaker="customer", start_s=0.0, end_s=3.0, text=text,
                        search_text=index_text(text),
                        words=[{"text": w, "start": i * 0.5, "end": i * 0.5 + 0.4, "p": 0.9}
                               for i, w in enumerate(text.split())]))
    session.add(TranscriptionJob(call_id=call.id, status="done"))
    session.flush()
    return call


def build_clinic(db: Database) -> Clinic:
    with db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        team_a = create_team(session, admin, "Регистратура А")
        team_b = create_team(session, admin, "Регистратура Б")
        op_a = Operator(name="Анна Смирнова", team_id=team_a.id)
        op_b = Operator(name="Борис Петров", team_id=team_b.id)
        session.add_all([op_a, op_b])
        session.flush()
        users = {
            "sup_a": create_user(session, admin, "sup_a", "Супервизор А", "supervisor", team_id=team_a.id),
            "sup_b": create_user(session, admin, "sup_b", "Супервизор Б", "supervisor", team_id=team_b.id),
            "oper_a": create_user(session, admin, "oper_a", "Анна", "operator", team_id=team_a.id,
                                  operator_id=op_a.id),
            "oper_b": create_user(session, admin, "oper_b", "Борис", "operator", team_id=team_b.id,
                                  operator_id=op_b.id),
            "manager": create_user(session, admin, "manager", "Руководитель", "manager"),
        }
        call_a = add_call(session, op_a.id, "a", f"Здравствуйте, {WORD_A} это Анна", datetime(2026, 3, 2, 10, 0))
        call_b = add_call(session, op_b.id, "b", f"Добрый день, {SECRET_WORD_B} у телефона Борис",
                          datetime(2026, 3, 3, 11, 0))
        ids = {"team_a": team_a.id, "team_b": team_b.id, "op_a": op_a.id, "op_b": op_b.id,
               "call_a": call_a.id, "call_b": call_b.id}
    with db.unit_of_work() as session:
        sup_b = session.get(User, users["sup_b"].id)
        evaluation = open_evaluation(session, sup_b, call_b.id)
        comment = add_comment(session, sup_b, call_b.id, 1.0, "Не представился", evaluation_id=evaluation.id)
        review_session = ReviewSession(operator_id=op_b.id, supervisor_id=sup_b.id,
                                       rubric_version_id=evaluation.rubric_version_id, sampling_rule={}, seed=1,
                                       period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
        session.add(review_session)
        session.flush()
        slot = SessionCall(session_id=review_session.id, call_id=call_b.id)
        note = SessionNote(session_id=review_session.id, kind="strength", text="Вежлив")
        goal = Goal(session_id=review_session.id, operator_id=op_b.id, metric="greeting", target=0.9,
                    due=date(2026, 4, 30))
        session.add_all([slot, note, goal])
        session.flush()
        dispute = Dispute(evaluation_id=evaluation.id, question_id="greeting", raised_by=users["oper_b"].id,
                          comment="Я представился")
        session.add(dispute)
        session.flush()
        from review.scoring.evaluations import rubric_for

        question = next(rubric_for(session, evaluation).questions()).id
        ids.update(evaluation_b=evaluation.id, comment_b=comment.id, session_b=review_session.id,
                   session_call_b=slot.id, note_b=note.id, goal_b=goal.id, dispute_b=dispute.id, question_b=question,
                   rubric_version_b=evaluation.rubric_version_id)
    return Clinic(admin=admin, **users, **ids)
