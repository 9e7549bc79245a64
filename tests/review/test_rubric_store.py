import pytest

from review.errors import ValidationError
from review.models import RubricVersion
from review.scoring.rubric_store import (
    draft_of,
    import_rubric_file,
    install_builtin_rubrics,
    latest_published,
    list_rubrics,
    publish,
    rubric_of,
    save_draft,
)


def test_builtins_installed_once(db, admin):
    with db.unit_of_work() as session:
        assert install_builtin_rubrics(session, admin) == 3
        assert install_builtin_rubrics(session, admin) == 0
    with db.sessions() as session:
        slugs = {s.slug for s in list_rubrics(session)}
        assert slugs == {"inbound_call", "outbound_callback", "written_reply"}
        version = latest_published(session, "inbound_call")
        assert version.number == 1 and rubric_of(version).id == "inbound_call"


def test_publishing_a_new_version_keeps_the_old_one_intact(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        v1 = latest_published(session, "inbound_call")
        v1_id, v1_body = v1.id, v1.body
        rubric = rubric_of(v1)
        changed = rubric.model_copy(deep=True)
        changed.sections[0].weight = changed.sections[0].weight  # same weights; change a text instead
        changed.sections[0].questions[0].text.ru = "Поздоровался, назвал клинику и своё имя"
        draft = save_draft(session, admin, changed)
        assert draft.number == 2 and draft.status == "draft"
        publish(session, admin, "inbound_call", "Уточнена формулировка приветствия")
    with db.sessions() as session:
        assert latest_published(session, "inbound_call").number == 2
        assert session.get(RubricVersion, v1_id).body == v1_body
        assert draft_of(session, "inbound_call") is None


def test_publish_needs_a_note_and_a_draft(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        with pytest.raises(ValidationError, match="no draft"):
            publish(session, admin, "inbound_call", "note")
        save_draft(session, admin, rubric_of(latest_published(session, "inbound_call")))
        with pytest.raises(ValidationError, match="what changed"):
            publish(session, admin, "inbound_call", "  ")


def test_invalid_rubric_file_is_refused_whole(db, admin, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\ntitle: x\nsections:\n  - id: s\n    title: s\n    weight: 1\n    questions:\n"
                   "      - id: q\n        type: scale\n        text: q\n", encoding="utf-8")
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
    with pytest.raises(ValidationError, match="broken.yaml, line"):
        with db.unit_of_work() as session:
            import_rubric_file(session, admin, bad)
    with db.sessions() as session:
        assert {s.slug for s in list_rubrics(session)} == {"inbound_call", "outbound_callback", "written_reply"}


def test_versions_of_lists_history_newest_first(db, admin):
    from review.errors import NotFound
    from review.scoring.rubric_store import get_version, versions_of

    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        save_draft(session, admin, rubric_of(latest_published(session, "written_reply")))
        publish(session, admin, "written_reply", "Second edition")
        save_draft(session, admin, rubric_of(latest_published(session, "written_reply")))
    with db.sessions() as session:
        history = versions_of(session, "written_reply")
        assert [(v.number, v.status) for v in history] == [(3, "draft"), (2, "published"), (1, "published")]
        assert history[1].note == "Second edition" and history[1].published_by == admin.display_name
        assert history[0].published_at is None and history[2].note == "Built-in rubric"
        assert get_version(session, history[1].id).number == 2
        with pytest.raises(NotFound, match="not in this workspace"):
            versions_of(session, "no_such_rubric")
        with pytest.raises(NotFound, match="version 99999"):
            get_version(session, 99999)
