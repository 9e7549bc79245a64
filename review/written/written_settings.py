"""The workspace's settings for written channels: which address or chat name is which operator (set on import,
remembered for the next), and the clinic's working hours that response times are counted in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import IMPORT_CALLS, MANAGE_SETTINGS, require
from review.audit.trail import record
from review.errors import ValidationError
from review.models import WRITTEN_CHANNEL_KINDS, Call, User
from review.storage.workspace_settings import put_setting, setting_value
from review.written.conversation import identity_handle
from review.written.working_hours import DEFAULT_HOURS, WorkingHours

IDENTITIES_KEY = "written_operator_identities"
HOURS_KEY = "written_working_hours"


def operator_identities(session: Session) -> dict[str, str]:
    """handle (e-mail address or chat name, see `identity_handle`) -> operator name."""
    return dict((setting_value(session, IDENTITIES_KEY) or {}).get("identities", {}))


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
        put_setting(session, IDENTITIES_KEY, {"identities": known})
        record(session, actor, "setting", IDENTITIES_KEY, old={"identities": old}, new={"identities": known})
    return known


def working_hours(session: Session) -> WorkingHours:
    stored = setting_value(session, HOURS_KEY)
    return WorkingHours.from_json(stored) if stored is not None else DEFAULT_HOURS


def set_working_hours(session: Session, actor: User, hours: WorkingHours) -> None:
    """The clinic's hours for response times; every stored chat and e-mail is timed again by them."""
    require(actor, MANAGE_SETTINGS)
    if hours.zone is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(hours.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError("Unknown time zone: {zone}.", zone=hours.zone) from None
    old = setting_value(session, HOURS_KEY)
    put_setting(session, HOURS_KEY, hours.as_json())
    record(session, actor, "setting", HOURS_KEY, old=old, new=hours.as_json())
    from review.written.storage import retime  # storage reads these settings' names: imported here, not above

    for call in session.scalars(select(Call).where(Call.channel_kind.in_(WRITTEN_CHANNEL_KINDS))):
        retime(session, call, hours)
    session.flush()
