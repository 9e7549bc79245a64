"""The workspace's call kinds and outcomes as editable lists (seeded with the former fixed lists), and a
normalised phone number on each call that links the calls with one patient.

Revision ID: 0005
Revises: 0003
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# code, Russian label, English label, outbound callback kind (None: not a callback)
CALL_KINDS = [
    ("inbound_booking", "Входящая запись", "Inbound booking", None),
    ("callback_checkup", "Приглашение на чек-ап", "Check-up invitation", "callback_checkup"),
    ("return_lost_patient", "Возврат пациента", "Return of a lost patient", "return_lost_patient"),
    ("continuation_of_treatment", "Продолжение лечения", "Continuation of treatment", "continuation_of_treatment"),
    ("info_request", "Справка", "Information request", None),
    ("complaint", "Жалоба", "Complaint", None),
    ("other", "Другое", "Other", None),
]
OUTCOMES = [
    ("booked", "Записан", "Booked"),
    ("not_booked", "Не записан", "Not booked"),
    ("info_only", "Только информация", "Information only"),
    ("callback_agreed", "Договорились перезвонить", "Callback agreed"),
    ("other", "Другое", "Other"),
]


def _phone_key(phone: str | None) -> str | None:
    # The same rule as review.patient_thread.phone_key, frozen here as migrations must be.
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return digits or None


def upgrade() -> None:
    table = op.create_table(
        "vocabulary_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vocabulary", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label_ru", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("outbound_callback", sa.Boolean(), nullable=False),
        sa.Column("callback_kind", sa.String(length=40), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vocabulary_entries")),
        sa.UniqueConstraint("vocabulary", "code", name="uq_vocabulary_entries_vocabulary_code"),
    )
    with op.batch_alter_table("vocabulary_entries") as batch_op:
        batch_op.create_index(batch_op.f("ix_vocabulary_entries_vocabulary"), ["vocabulary"], unique=False)
    rows = [{"vocabulary": "call_kind", "code": code, "label_ru": ru, "label_en": en,
             "outbound_callback": callback is not None, "callback_kind": callback, "aliases": [],
             "position": index, "archived": False}
            for index, (code, ru, en, callback) in enumerate(CALL_KINDS)]
    rows += [{"vocabulary": "outcome", "code": code, "label_ru": ru, "label_en": en, "outbound_callback": False,
              "callback_kind": None, "aliases": [], "position": index, "archived": False}
             for index, (code, ru, en) in enumerate(OUTCOMES)]
    op.bulk_insert(table, rows)

    with op.batch_alter_table("calls") as batch_op:
        batch_op.add_column(sa.Column("phone_key", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_calls_phone_key"), ["phone_key"], unique=False)
    bind = op.get_bind()
    calls = sa.table("calls", sa.column("id", sa.Integer), sa.column("phone", sa.String),
                     sa.column("phone_key", sa.String))
    for call_id, phone in bind.execute(sa.select(calls.c.id, calls.c.phone).where(calls.c.phone.is_not(None))).all():
        bind.execute(calls.update().where(calls.c.id == call_id).values(phone_key=_phone_key(phone)))


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch_op:
        batch_op.drop_index(batch_op.f("ix_calls_phone_key"))
        batch_op.drop_column("phone_key")
    with op.batch_alter_table("vocabulary_entries") as batch_op:
        batch_op.drop_index(batch_op.f("ix_vocabulary_entries_vocabulary"))
    op.drop_table("vocabulary_entries")
