"""The workspace's settings for written channels: which address or chat name is which operator (set on import,
remembered for the next), and the clinic's working hours that response times are counted in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import IMPORT_CALLS, MANAGE_SETTINGS, require
from review.audit.trail import record
from review.errors import ValidationError
from review.models import WRITTEN_CHANNEL_KINDS, Call, Setting, User
from review.written.conversation import identity_handle
from review.written.working_hours import DEFAULT_HOURS, WorkingHours

IDENTITIES_KEY = "written_operator_identities"
HOURS_KEY = "written_working_hours"


def operator_identities(session: Session) -> dict[str, str]:
    """handle (e-mail address or chat name, see `identity_handle`) -> operator name."""
    setting = session.get(Setting, IDENTITIES_KEY)
    return dict((setting.value or {}).get("identities", {})) if setting is not None else {}


def remember_identities(session: Session, actor: User, identities: dict[str, str]) -> dict[str, str]:
    """Add (or change) operator identities; an empty operator name forgets that handle. Returns them all."""
    require(actor, IMPORT_CALLS)
    known = operator_identities(session)
    old = dict(known)
    for handle, operator in identities.items():
        key = identity_handle(handle)
        if not key:
            raise ValidationError("An operator identity needs an e-mail address or a chat name.")
        if operator.strip():
            known[key] = operator.strip()
        else:
            known.pop(key, None)
    if known != old:
        setting = session.get(Setting, IDENTITIES_KEY)
        if setting is None:
            session.add(Setting(key=IDENTITIES_KEY, value={"identities": known}))
        else:
            setting.value = {"identities": known}
        session.flush()
        record(session, actor, "setting", IDENTITIES_KEY, old={"identities": old}, new={"identities": known})
    return known


def working_hours(session: Session) -> WorkingHours:
    setting = session.get(Setting, HOURS_KEY)
    return WorkingHours.from_json(setting.value) if setting is not None else DEFAULT_HOURS


def set_working_hours(session: Session, actor: User, hours: WorkingHours) -> None:
    """The clinic's hours for response times; every stored chat and e-mail is timed again by them."""
    require(actor, MANAGE_SETTINGS)
    if hours.zone is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(hours.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError("Unknown time zone: {zone}.", zone=hours.zone) from None
    setting = session.get(Setting, HOURS_KEY)
    old = setting.value if setting is not None else None
    if setting is None:
        session.add(Setting(key=HOURS_KEY, value=hours.as_json()))
    else:
        setting.value = hours.as_json()
    session.flush()
    record(session, actor, "setting", HOURS_KEY, old=old, new=hours.as_json())
    from review.written.storage import retime  # storage reads these settings' names: imported here, not above

    for call in session.scalars(select(Call).where(Call.channel_kind.in_(WRITTEN_CHANNEL_KINDS))):
        retime(session, call, hours)
    session.flush()
