import pytest
from sqlalchemy import select

from review.errors import AccessDenied, ValidationError
from review.scoring.evaluations import (
    add_comment,
    call_comments,
    get_evaluation,
    open_evaluation,
    reopen,
    score_of,
    set_answer,
    submit,
)
from review.models import AuditEntry, Call, Operator, RubricVersion, User
from review.scoring.rubric_store import install_builtin_rubrics, latest_published, rubric_of


@pytest.fixture
def call_and_people(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        anna = Operator(name="Анна")
        session.add(anna)
        session.flush()
        call = Call(path="/x.wav", sha256="a" * 64, size_bytes=1, duration_s=60, sample_rate=8000, channels=2,
                    codec="PCM_16", call_kind="inbound_booking", operator_id=anna.id)
        operator_user = User(username="anna", display_name="Анна", role="operator", operator_id=anna.id)
        session.add_all([call, operator_user])
        session.flush()
        return call.id, operator_user


def _answer_all(db, actor, evaluation_id):
    """Full marks on every question of the inbound rubric."""
    with db.unit_of_work() as session:
        evaluation = get_evaluation(session, actor, evaluation_id)
        rubric = rubric_of(latest_published(session, "inbound_call"))
        for question in rubric.questions():
            if question.type == "yes_no":
                set_answer(session, actor, evaluation.id, question.id, value=True)
            elif question.type == "scale":
                set_answer(session, actor, evaluation.id, question.id, value=max(level.value for level in question.levels))
            elif question.type == "choice":
                best = max(question.options, key=lambda o: o.points)
                set_answer(session, actor, evaluation.id, question.id, value=best.key)
            else:
                set_answer(session, actor, evaluation.id, question.id, value="заметка")


def test_answers_are_saved_as_you_go_and_score_from_the_pinned_rubric(db, admin, call_and_people):
    call_id, _ = call_and_people
    with db.unit_of_work() as session:
        evaluation = open_evaluation(session, admin, call_id)
        assert evaluation.status == "draft" and evaluation.kind == "supervisor"
        evaluation_id = evaluation.id
        assert rubric_of(latest_published(session, "inbound_call")).id == "inbound_call"
    _answer_all(db, admin, evaluation_id)
    with db.sessions() as session:
        evaluation = get_evaluation(session, admin, evaluation_id)
        assert evaluation.score == pytest.approx(100.0)
        assert score_of(session, evaluation).overall == pytest.approx(100.0)
        assert "=" in evaluation.explanation
    with db.unit_of_work() as session:
        assert open_evaluation(session, admin, call_id).id == evaluation_id  # resumes the draft


def test_submit_needs_every_answer_and_reopen_needs_a_reason(db, admin, call_and_people):
    call_id, _ = call_and_people
    with db.unit_of_work() as session:
        evaluation_id = open_evaluation(session, admin, call_id).id
    with pytest.raises(ValidationError, match="need an answer"):
        with db.unit_of_work() as session:
            submit(session, admin, evaluation_id)
    _answer_all(db, admin, evaluation_id)
    with db.unit_of_work() as session:
        submit(session, admin, evaluation_id)
    with pytest.raises(ValidationError, match="reopen"):
        with db.unit_of_work() as session:
            set_answer(session, admin, evaluation_id, "greeting_name", value=False)
    with pytest.raises(ValidationError, match="why"):
        with db.unit_of_work() as session:
            reopen(session, admin, evaluation_id, "  ")
    with db.unit_of_work() as session:
        reopen(session, admin, evaluation_id, "Оператор оспорил ответ о приветствии")
    with db.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
        assert entry.note == "Оператор оспорил ответ о приветствии"


def test_wrong_answer_is_refused(db, admin, call_and_people):
    call_id, _ = call_and_people
    with db.unit_of_work() as session:
        evaluation_id = open_evaluation(session, admin, call_id).id
        rubric = rubric_of(latest_published(session, "inbound_call"))
        yes_no = next(q for q in rubric.questions() if q.type == "yes_no")
        with pytest.raises(ValidationError):
            set_answer(session, admin, evaluation_id, yes_no.id, value="maybe")
        with pytest.raises(ValidationError, match="no question"):
            set_answer(session, admin, evaluation_id, "nope", value=True)


def test_self_review_is_blind_until_both_submit(db, admin, call_and_people):
    call_id, operator = call_and_people
    with db.unit_of_work() as session:
        supervisor_eval = open_evaluation(session, admin, call_id).id
        own = open_evaluation(session, operator, call_id)
        assert own.kind == "self"
        own_id = own.id
        add_comment(session, admin, call_id, 12.5, "Не назвала своё имя", evaluation_id=supervisor_eval)
    _answer_all(db, admin, supervisor_eval)
    with db.unit_of_work() as session:
        submit(session, admin, supervisor_eval)
    with db.sessions() as session:
        with pytest.raises(AccessDenied):
            get_evaluation(session, operator, supervisor_eval)
        assert call_comments(session, operator, call_id) == []
    _answer_all(db, operator, own_id)
    with db.unit_of_work() as session:
        submit(session, operator, own_id)
    with db.sessions() as session:
        assert get_evaluation(session, operator, supervisor_eval).status == "submitted"
        assert [c.text for c in call_comments(session, operator, call_id)] == ["Не назвала своё имя"]


def test_operator_cannot_review_someone_elses_call(db, admin, call_and_people):
    call_id, _ = call_and_people
    with db.unit_of_work() as session:
        other = Operator(name="Игорь")
        session.add(other)
        session.flush()
        igor = User(username="igor", display_name="Игорь", role="operator", operator_id=other.id)
        session.add(igor)
        session.flush()
        with pytest.raises(AccessDenied):
            open_evaluation(session, igor, call_id)


def test_comment_time_must_be_inside_the_call(db, admin, call_and_people):
    call_id, _ = call_and_people
    with db.unit_of_work() as session:
        with pytest.raises(ValidationError, match="outside"):
            add_comment(session, admin, call_id, 500.0, "x")
        comment = add_comment(session, admin, call_id, 30.0, "Хорошо предложила альтернативу", end_s=34.0)
        assert comment.id


def test_a_call_of_no_known_kind_gets_the_user_s_default_rubric(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        call = Call(path="/odd.wav", sha256="b" * 64, size_bytes=1, duration_s=60, sample_rate=8000, channels=2,
                    codec="PCM_16", call_kind=None)
        session.add(call)
        session.flush()
        evaluation = open_evaluation(session, admin, call.id, default_rubric="outbound_callback")
        assert rubric_of(session.get(RubricVersion, evaluation.rubric_version_id)).id == "outbound_callback"
        written = Call(path="/wa.txt", sha256="c" * 64, size_bytes=1, duration_s=60, sample_rate=8000, channels=1,
                       codec="PCM_16", channel_kind="whatsapp", call_kind="inbound_booking")
        session.add(written)
        session.flush()
        chosen = open_evaluation(session, admin, written.id, default_rubric="outbound_callback")
        assert rubric_of(session.get(RubricVersion, chosen.rubric_version_id)).id == "written_reply"
