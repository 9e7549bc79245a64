"""Accounts: sign-in with argon2id hashes and a lock-out delay, users, roles and teams.

Sign-in is skippable only in single-user mode: the embedded SQLite database while its administrator has no
password. Passwords are never logged, never written to settings and never copied into the audit trail.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.access import MANAGE_USERS, require
from review.accounts.local_admin import LOCAL_ADMIN, ensure_local_admin
from review.audit.trail import record
from review.storage.db import Database
from review.errors import KalibraError, NotFound, ValidationError
from review.models import ROLES, Operator, Team, User, utcnow

# argon2-cffi's PasswordHasher defaults to argon2id with RFC 9106's low-memory profile.
_HASHER = PasswordHasher()
# Verified when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("kalibra-timing-equaliser")

FREE_ATTEMPTS = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
WRONG_CREDENTIALS = "Wrong user name or password."

SINGLE_USER = "single_user"  # embedded database, administrator without a password: no sign-in
FIRST_ADMIN = "first_admin"  # shared database nobody can sign in to yet: set the administrator's password
SIGN_IN = "sign_in"


class SignInFailed(KalibraError):
    """Wrong user name or password, or a deactivated account."""


class AccountLocked(SignInFailed):
    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__("Too many failed attempts: this account is locked until {until} UTC. "
                         "Try again then, or ask an administrator to reset the password.",
                         until=f"{until:%H:%M:%S}")


_UNSET = object()


# -- passwords ------------------------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    check_password_rules(password)
    return _HASHER.hash(password)


def check_password_rules(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("A password needs at least {count} characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError("A password may have at most {count} characters.", count=MAX_PASSWORD_LENGTH)
    if "\x00" in password:
        raise ValidationError("A password cannot contain the NUL character.")


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def lock_delay(failed_logins: int) -> timedelta | None:
    """No delay for the first few failures, then 30 s doubling with each failure, at most 15 minutes."""
    if failed_logins < FREE_ATTEMPTS:
        return None
    doublings = min(failed_logins - FREE_ATTEMPTS, 10)  # 30 s * 2**10 is past the cap already
    return min(FIRST_DELAY * (2 ** doublings), MAX_DELAY)


# -- start-up -------------------------------------------------------------------------------------------------
def startup_mode(db: Database) -> str:
    """SINGLE_USER, FIRST_ADMIN or SIGN_IN: what the app must ask before opening the main window."""
    with db.sessions() as session:
        ensure_local_admin(session)
        session.commit()
        protected = session.scalar(select(func.count(User.id)).where(
            User.role == "admin", User.active.is_(True), User.password_hash.is_not(None)))
    if protected:
        return SIGN_IN
    return SINGLE_USER if db.is_sqlite else FIRST_ADMIN


def single_user_actor(db: Database) -> User:
    """The local administrator, for single-user mode only."""
    if startup_mode(db) != SINGLE_USER:
        raise SignInFailed("This database needs a sign-in.")
    with db.sessions() as session:
        return ensure_local_admin(session)


def set_first_admin_password(db: Database, password: str) -> User:
    """Give the local administrator a password while no administrator has one; from then on sign-in is on."""
    check_password_rules(password)
    with db.unit_of_work() as session:
        if session.scalar(select(func.count(User.id)).where(User.role == "admin", User.password_hash.is_not(None))):
            raise SignInFailed("An administrator already has a password: sign in instead.")
        admin = ensure_local_admin(session)
        admin.password_hash = hash_password(password)
        admin.active, admin.failed_logins, admin.locked_until = True, 0, None
        record(session, admin, "set_password", admin, note="first administrator password")
        return admin


def sign_in(db: Database, username: str, password: str, *, now: datetime | None = None) -> User:
    """The user with these credentials, or SignInFailed / AccountLocked. Failures are counted and committed."""
    now = now or utcnow()
    name = username.strip() if isinstance(username, str) else ""
    if not name or "\x00" in name or len(name) > 100 or not isinstance(password, str) or "\x00" in password \
            or len(password) > MAX_PASSWORD_LENGTH:
        _verify(None, "x")
        raise SignInFailed("Wrong user name or password.")
    with db.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == name))
        if user is None:
            _verify(None, password)
            record(session, None, "sign_in_failed", "users", note=f"unknown user name {name!r}")
            failure: SignInFailed = SignInFailed("Wrong user name or password.")
        elif user.locked_until is not None and user.locked_until > now:
            record(session, user, "sign_in_refused", user, note="account locked")
            failure = AccountLocked(user.locked_until)
        elif not _verify(user.password_hash, password):
            user.failed_logins += 1
            delay = lock_delay(user.failed_logins)
            user.locked_until = now + delay if delay else None
            record(session, user, "sign_in_failed", user, new={"failed_logins": user.failed_logins,
                                                              "locked_until": _iso(user.locked_until)})
            failure = AccountLocked(user.locked_until) if delay else SignInFailed("Wrong user name or password.")
        elif not user.active:
            record(session, user, "sign_in_refused", user, note="account deactivated")
            failure = SignInFailed("This account is deactivated. Ask an administrator to reactivate it.")
        else:
            user.failed_logins, user.locked_until = 0, None
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = _HASHER.hash(password)
            record(session, user, "sign_in", user)
            session.flush()
            return user
    raise failure


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


# -- users ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    team: str | None
    operator: str | None
    active: bool
    has_password: bool
    locked_until: datetime | None


def clean_text(value: str, what: str, max_length: int) -> str:
    """Trimmed text fit for the database: not empty, not too long, no control characters."""
    if not isinstance(value, str):
        raise ValidationError("{field} must be text.", field=what)
    value = value.strip()
    if not value:
        raise ValidationError("{field} cannot be empty.", field=what)
    if len(value) > max_length:
        raise ValidationError("{field} may have at most {count} characters.", field=what, count=max_length)
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValidationError("{field} cannot contain control characters.", field=what)
    return value


def _snapshot(user: User) -> dict:
    """What the audit trail keeps of a user: never the password hash."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "team_id": user.team_id, "operator_id": user.operator_id, "active": user.active}


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User #{id} does not exist.", id=user_id)
    return user


def _check_links(session: Session, role: str, team_id: int | None, operator_id: int | None) -> None:
    if role not in ROLES:
        raise ValidationError("Unknown role {role}; choose one of {roles}.", role=repr(role), roles=", ".join(ROLES))
    if team_id is not None and session.get(Team, team_id) is None:
        raise NotFound("Team #{id} does not exist.", id=team_id)
    if operator_id is not None and session.get(Operator, operator_id) is None:
        raise NotFound("Operator #{id} does not exist.", id=operator_id)
    if role == "operator" and operator_id is None:
        raise ValidationError("An operator's account must be linked to the operator whose calls it may see.")


def list_users(session: Session, actor: User) -> list[UserRow]:
    require(actor, MANAGE_USERS)
    rows = []
    for user in session.scalars(select(User).order_by(User.username)):
        rows.append(UserRow(user.id, user.username, user.display_name, user.role,
                            user.team.name if user.team else None, user.operator.name if user.operator else None,
                            user.active, user.password_hash is not None, user.locked_until))
    return rows


def create_user(session: Session, actor: User, username: str, display_name: str, role: str, *,
                password: str | None = None, team_id: int | None = None, operator_id: int | None = None) -> User:
    require(actor, MANAGE_USERS)
    username = clean_text(username, "User name", 100)
    display_name = clean_text(display_name, "Display name", 200)
    _check_links(session, role, team_id, operator_id)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError("The user name {name} is taken.", name=repr(username))
    user = User(username=username, display_name=display_name, role=role, team_id=team_id, operator_id=operator_id,
                password_hash=hash_password(password) if password is not None else None)
    session.add(user)
    session.flush()
    record(session, actor, "create", user, new=_snapshot(user))
    return user


def update_user(session: Session, actor: User, user_id: int, *, display_name: str | object = _UNSET,
                role: str | object = _UNSET, team_id: int | None | object = _UNSET,
                operator_id: int | None | object = _UNSET) -> User:
    """Change what is given; an administrator cannot take away their own administrator role."""
    require(actor, MANAGE_USERS)
    user = _user(session, user_id)
    old = _snapshot(user)
    new_role = user.role if role is _UNSET else role
    new_team = user.team_id if team_id is _UNSET else team_id
    new_operator = user.operator_id if operator_id is _UNSET else operator_id
    _check_links(session, new_role, new_team, new_operator)
    if user.id == actor.id and new_role != "admin":
        raise ValidationError("You cannot take away your own administrator role.")
    if display_name is not _UNSET:
        user.display_name = clean_text(display_name, "Display name", 200)
    user.role, user.team_id, user.operator_id = new_role, new_team, new_operator
    session.flush()
    record(session, actor, "update", user, old=old, new=_snapshot(user))
    return user


def set_active(session: Session, actor: User, user_id: int, active: bool) -> User:
    """Deactivate (or reactivate) an account; accounts are never deleted so the audit trail keeps its names."""
    require(actor, MANAGE_USERS)
    user = _user(session, user_id)
    if not active and user.id == actor.id:
        raise ValidationError("You cannot deactivate your own account.")
    old = _snapshot(user)
    user.active = active
    session.flush()
    record(session, actor, "activate" if active else "deactivate", user, old=old, new=_snapshot(user))
    return user


def deactivate_user(session: Session, actor: User, user_id: int) -> User:
    return set_active(session, actor, user_id, False)


def reset_password(session: Session, actor: User, user_id: int, new_password: str) -> User:
    """An administrator sets a new password; the lock-out is lifted."""
    require(actor, MANAGE_USERS)
    user = _user(session, user_id)
    user.password_hash = hash_password(new_password)
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    record(session, actor, "reset_password", user, note=f"password of {user.username} reset")
    return user


def change_own_password(session: Session, actor: User, old_password: str | None, new_password: str) -> User:
    """A user changes their own password; the old one must be right (unless there was none)."""
    user = _user(session, actor.id)
    if user.password_hash is not None and not _verify(user.password_hash, old_password or ""):
        raise SignInFailed("The current password is wrong.")
    user.password_hash = hash_password(new_password)
    session.flush()
    record(session, user, "set_password", user)
    return user


# -- teams ----------------------------------------------------------------------------------------------------
def list_teams(session: Session, actor: User) -> list[Team]:
    require(actor, MANAGE_USERS)
    return list(session.scalars(select(Team).order_by(Team.name)))


def create_team(session: Session, actor: User, name: str) -> Team:
    require(actor, MANAGE_USERS)
    name = clean_text(name, "Team name", 200)
    if session.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise ValidationError("A team named {name} exists already.", name=repr(name))
    team = Team(name=name)
    session.add(team)
    session.flush()
    record(session, actor, "create", team, new={"name": name})
    return team


def rename_team(session: Session, actor: User, team_id: int, name: str) -> Team:
    require(actor, MANAGE_USERS)
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("Team #{id} does not exist.", id=team_id)
    name = clean_text(name, "Team name", 200)
    old = {"name": team.name}
    team.name = name
    session.flush()
    record(session, actor, "update", team, old=old, new={"name": name})
    return team


def set_operator_team(session: Session, actor: User, operator_id: int, team_id: int | None) -> Operator:
    require(actor, MANAGE_USERS)
    operator = session.get(Operator, operator_id)
    if operator is None:
        raise NotFound("Operator #{id} does not exist.", id=operator_id)
    if team_id is not None and session.get(Team, team_id) is None:
        raise NotFound("Team #{id} does not exist.", id=team_id)
    old = {"team_id": operator.team_id}
    operator.team_id = team_id
    session.flush()
    record(session, actor, "update", operator, old=old, new={"team_id": team_id})
    return operator


def is_local_admin(user: User) -> bool:
    return user.username == LOCAL_ADMIN
