"""A patient's thread: calls with the same number however it was written, only those the reader may see."""

from sqlalchemy import select

from review.accounts.users import create_user
from review.library.importing import import_recordings
from review.models import Call, Operator
from review.library.patient_thread import mask_phone, patient_thread, phone_key
from tests.conftest import write_tone_call


def test_phone_keys_and_masks():
    assert phone_key("+7 (916) 123-45-67") == phone_key("89161234567") == phone_key("79161234567") == "9161234567"
    assert phone_key("101") == "101" and phone_key("—") is None
    assert mask_phone("+7 (916) 123-45-67") == "+• (•••) •••-••-67"


def test_calls_with_one_number_are_linked(db, admin, tmp_path):
    folder = tmp_path / "rec"
    for index in range(4):
        write_tone_call(folder / f"{index}.wav", seconds=1.0 + index / 10)
    (folder / "metadata.csv").write_text(
        "file,operator,started_at,phone\n"
        "0.wav,Анна,2025-03-12 10:00,+7 (916) 123-45-67\n"
        "1.wav,Игорь,2025-03-11 09:00,89161234567\n"
        "2.wav,Анна,2025-03-13 11:00,79161234567\n"
        "3.wav,Анна,2025-03-13 12:00,79990000000\n", encoding="utf-8")
    import_recordings(db, admin, [folder])
    with db.unit_of_work() as session:
        ids = {c.path.rsplit("/", 1)[1]: c.id for c in session.scalars(select(Call))}
        thread = patient_thread(session, admin, ids["0.wav"])
        assert [c.id for c in thread.calls] == [ids["1.wav"], ids["0.wav"], ids["2.wav"]]
        assert [c.current for c in thread.calls] == [False, True, False]
        assert [c.operator for c in thread.calls] == ["Игорь", "Анна", "Анна"]
        assert thread.shown_phone(masked=True) == "+• (•••) •••-••-67"
        anna = session.scalar(select(Operator).where(Operator.name == "Анна"))
        operator = create_user(session, admin, "anna", "Анна", "operator", operator_id=anna.id)
        # An operator's thread holds her own calls only.
        assert [c.id for c in patient_thread(session, operator, ids["0.wav"]).calls] == [ids["0.wav"], ids["2.wav"]]
        assert len(patient_thread(session, admin, ids["3.wav"]).calls) == 1
