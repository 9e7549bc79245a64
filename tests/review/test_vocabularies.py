"""The workspace's call kinds and outcomes: seeded, edited by an administrator, used by the import."""

import pytest
from sqlalchemy import select

from review.errors import AccessDenied, ValidationError
from review.library.importing import import_recordings
from review.models import AuditEntry, Call, User
from review.library.vocabularies import (
    add_term,
    code_for,
    load_vocabulary,
    map_value,
    unknown_values,
    update_term,
)
from tests.conftest import write_tone_call


def test_a_new_workspace_has_the_former_fixed_lists(db):
    with db.sessions() as session:
        vocabulary = load_vocabulary(session)
    assert [t.code for t in vocabulary.of("call_kind")] == [
        "inbound_booking", "callback_checkup", "return_lost_patient", "continuation_of_treatment", "info_request",
        "complaint", "other"]
    assert [t.code for t in vocabulary.of("outcome")] == ["booked", "not_booked", "info_only", "callback_agreed",
                                                          "other"]
    checkup = vocabulary.term("call_kind", "callback_checkup")
    assert (checkup.label_ru, checkup.outbound_callback, checkup.callback_kind) == \
        ("Приглашение на чек-ап", True, "callback_checkup")
    assert vocabulary.resolve("outcome", "Не записан") == ("not_booked", True)
    assert vocabulary.resolve("call_kind", "Запись к кардиологу") == ("zapis_k_kardiologu", False)


def test_codes_for_values_met_on_import():
    assert code_for("Callback - Preventive check-up") == "callback_preventive_check_up"
    assert code_for("  Жалоба на ожидание ") == "zhaloba_na_ozhidanie"
    assert code_for("—") == ""


def _import_kinds(db, admin, folder, kinds, first_seconds=1.0):
    lines = ["file,call_kind"]
    for index, kind in enumerate(kinds):
        write_tone_call(folder / f"{index}.wav", seconds=first_seconds + index / 10)
        lines.append(f"{index}.wav,{kind}")
    (folder / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return import_recordings(db, admin, [folder])


def test_an_administrator_adds_a_clinic_callback_kind(db, admin, tmp_path):
    report = _import_kinds(db, admin, tmp_path / "a", ["callback_preventive_checkup", "booking_cardiologist"])
    with db.unit_of_work() as session:
        assert set(unknown_values(session, "call_kind", report.call_ids)) == {"callback_preventive_checkup",
                                                                              "booking_cardiologist"}
        add_term(session, admin, "call_kind", "callback_preventive_checkup", "Приглашение на профосмотр",
                 "Preventive check-up invitation", outbound_callback=True, callback_kind="callback_checkup")
    with db.sessions() as session:
        assert set(unknown_values(session, "call_kind")) == {"booking_cardiologist"}
        vocabulary = load_vocabulary(session)
        # The rubric's check-up section applies to the clinic's own check-up callback.
        assert vocabulary.rubric_kind("callback_preventive_checkup") == "callback_checkup"
        assert vocabulary.rubric_kind("booking_cardiologist") == "booking_cardiologist"
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "add_term")).all() == ["add_term"]


def test_mapping_a_value_recodes_calls_and_later_imports(db, admin, tmp_path):
    _import_kinds(db, admin, tmp_path / "a", ["booking_cardiologist", "booking_cardiologist", "complaint"])
    with db.unit_of_work() as session:
        assert map_value(session, admin, "call_kind", "booking_cardiologist", "inbound_booking") == 2
    report = _import_kinds(db, admin, tmp_path / "b", ["Booking cardiologist", "info_request", "x"], 2.0)
    with db.sessions() as session:
        kinds = sorted(session.scalars(select(Call.call_kind).where(Call.id.in_(report.call_ids))))
        assert kinds == ["inbound_booking", "info_request", "x"]
        assert sorted(session.scalars(select(Call.call_kind))).count("inbound_booking") == 3


def test_only_an_administrator_edits_the_lists(db, admin):
    with db.unit_of_work() as session:
        supervisor = User(username="olga", display_name="Ольга", role="supervisor")
        session.add(supervisor)
        session.flush()
        with pytest.raises(AccessDenied):
            add_term(session, supervisor, "outcome", "rescheduled", "Перенесён", "Rescheduled")
        with pytest.raises(ValidationError, match="latin"):
            add_term(session, admin, "outcome", "Перенесён", "Перенесён", "Rescheduled")
        with pytest.raises(ValidationError, match="Only a call kind"):
            add_term(session, admin, "outcome", "rescheduled", "Перенесён", "Rescheduled", outbound_callback=True,
                     callback_kind="callback_checkup")
        with pytest.raises(ValidationError, match="already"):
            add_term(session, admin, "outcome", "booked", "Записан", "Booked")
        update_term(session, admin, "call_kind", "complaint", label_ru="Претензия", label_en="Complaint",
                    archived=True)
    with db.sessions() as session:
        vocabulary = load_vocabulary(session)
        assert "complaint" not in [t.code for t in vocabulary.of("call_kind")]
        assert vocabulary.resolve("call_kind", "претензия") == ("complaint", True)  # archived terms still match


def test_a_clinic_callback_kind_is_scored_by_the_callback_rubric(db, admin, tmp_path):
    from review.scoring.rubric_store import install_builtin_rubrics, rubric_slug_for_call

    report = _import_kinds(db, admin, tmp_path / "a", ["callback_preventive_checkup"])
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        call = session.get(Call, report.call_ids[0])
        assert rubric_slug_for_call(session, call, "inbound_call") == "inbound_call"  # unknown kind: the default
        add_term(session, admin, "call_kind", "callback_preventive_checkup", "Приглашение на профосмотр",
                 "Preventive check-up invitation", outbound_callback=True, callback_kind="callback_checkup")
        assert rubric_slug_for_call(session, call, "inbound_call") == "outbound_callback"
