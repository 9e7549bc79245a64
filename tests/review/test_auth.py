"""Sign-in, argon2id hashes, the lock-out delay, administrators' account work, start-up modes, private files."""

from __future__ import annotations

import logging
import os
import stat
from datetime import timedelta

import pytest
from sqlalchemy import select

from review.accounts import users as auth
from review.accounts.local_admin import ensure_local_admin
from review.accounts.users import (
    FIRST_ADMIN,
    SIGN_IN,
    SINGLE_USER,
    AccountLocked,
    SignInFailed,
    create_user,
    reset_password,
    sign_in,
    startup_mode,
)
from review.errors import AccessDenied, ValidationError
from review.models import AuditEntry, Operator, User, utcnow

PASSWORD = "Correct horse 42"


def _user(db, username="olga", role="supervisor", password=PASSWORD, **links):
    with db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        return create_user(session, admin, username, "Ольга Кузнецова", role, password=password, **links)


def test_passwords_are_stored_as_argon2id_and_verified(db):
    user = _user(db)
    with db.sessions() as session:
        stored = session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert sign_in(db, "olga", PASSWORD).id == user.id
    assert sign_in(db, "  olga ", PASSWORD).id == user.id  # surrounding spaces typed by mistake


@pytest.mark.parametrize("password", ["wrong", "", PASSWORD.lower(), PASSWORD + " "])
def test_wrong_password_and_unknown_user_get_the_same_answer(db, password):
    _user(db)
    with pytest.raises(SignInFailed) as wrong:
        sign_in(db, "olga", password)
    with pytest.raises(SignInFailed) as unknown:
        sign_in(db, "nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == auth.WRONG_CREDENTIALS


def test_repeated_failures_lock_the_account_with_a_growing_delay(db):
    user = _user(db)
    now = utcnow()
    for _ in range(auth.FREE_ATTEMPTS - 1):
        with pytest.raises(SignInFailed) as caught:
            sign_in(db, "olga", "wrong", now=now)
        assert not isinstance(caught.value, AccountLocked)
    with pytest.raises(AccountLocked) as locked:
        sign_in(db, "olga", "wrong", now=now)
    assert locked.value.until == now + timedelta(seconds=30)
    # While locked even the right password is refused, and the refusal does not extend the lock.
    with pytest.raises(AccountLocked):
        sign_in(db, "olga", PASSWORD, now=now + timedelta(seconds=29))
    # After the delay one more wrong try doubles it.
    with pytest.raises(AccountLocked) as longer:
        sign_in(db, "olga", "wrong", now=now + timedelta(seconds=31))
    assert longer.value.until == now + timedelta(seconds=31 + 60)
    assert sign_in(db, "olga", PASSWORD, now=now + timedelta(seconds=92)).id == user.id
    with db.sessions() as session:
        again = session.get(User, user.id)
        assert again.failed_logins == 0 and again.locked_until is None


def test_lock_delay_is_capped():
    assert auth.lock_delay(auth.FREE_ATTEMPTS - 1) is None
    assert auth.lock_delay(auth.FREE_ATTEMPTS) == timedelta(seconds=30)
    assert auth.lock_delay(50) == auth.MAX_DELAY


def test_administrator_reset_lifts_the_lock(db):
    user = _user(db)
    now = utcnow()
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(SignInFailed):
            sign_in(db, "olga", "wrong", now=now)
    with db.unit_of_work() as session:
        reset_password(session, ensure_local_admin(session), user.id, "A new password 7")
    assert sign_in(db, "olga", "A new password 7", now=now).id == user.id
    with pytest.raises(SignInFailed):
        sign_in(db, "olga", PASSWORD, now=now)


def test_only_administrators_manage_accounts(db):
    supervisor = _user(db)
    with db.sessions() as session, pytest.raises(AccessDenied):
        reset_password(session, supervisor, supervisor.id, "whatever long")
    with db.sessions() as session, pytest.raises(AccessDenied):
        create_user(session, supervisor, "mallory", "Mallory", "admin")


def test_deactivated_account_cannot_sign_in(db):
    user = _user(db)
    with db.unit_of_work() as session:
        auth.deactivate_user(session, ensure_local_admin(session), user.id)
    with pytest.raises(SignInFailed, match="deactivated"):
        sign_in(db, "olga", PASSWORD)
    # The wrong password gives no hint that the account exists but is deactivated.
    with pytest.raises(SignInFailed, match="Wrong user name"):
        sign_in(db, "olga", "wrong")


def test_account_rules(db):
    with db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        session.add(Operator(name="Анна"))
        with pytest.raises(ValidationError, match="at least 8"):
            create_user(session, admin, "short", "S", "supervisor", password="1234567")
        with pytest.raises(ValidationError, match="Unknown role"):
            create_user(session, admin, "x", "X", "superuser")
        with pytest.raises(ValidationError, match="linked to the operator"):
            create_user(session, admin, "op", "Op", "operator")
        with pytest.raises(ValidationError, match="taken"):
            create_user(session, admin, "admin", "Another", "manager")
        with pytest.raises(ValidationError, match="own account"):
            auth.deactivate_user(session, admin, admin.id)
        with pytest.raises(ValidationError, match="own administrator role"):
            auth.update_user(session, admin, admin.id, role="manager")


def test_change_own_password_needs_the_old_one(db):
    user = _user(db)
    with db.unit_of_work() as session, pytest.raises(SignInFailed):
        auth.change_own_password(session, session.get(User, user.id), "wrong", "Brand new pass")
    with db.unit_of_work() as session:
        auth.change_own_password(session, session.get(User, user.id), PASSWORD, "Brand new pass")
    assert sign_in(db, "olga", "Brand new pass").id == user.id


def test_startup_modes(db):
    expected_first = SINGLE_USER if db.is_sqlite else FIRST_ADMIN
    assert startup_mode(db) == expected_first
    _user(db)  # a supervisor with a password does not switch sign-in on while the administrator has none
    assert startup_mode(db) == expected_first
    if db.is_sqlite:
        assert auth.single_user_actor(db).username == "admin"
    auth.set_first_admin_password(db, "Admin password 1")
    assert startup_mode(db) == SIGN_IN
    with pytest.raises(SignInFailed):
        auth.single_user_actor(db)
    with pytest.raises(SignInFailed, match="already has a password"):
        auth.set_first_admin_password(db, "Take over 12345")
    assert sign_in(db, "admin", "Admin password 1").role == "admin"


def test_a_user_without_password_cannot_sign_in(db):
    _user(db, username="nopass", password=None)
    for attempt in ("", "anything"):
        with pytest.raises(SignInFailed):
            sign_in(db, "nopass", attempt)


def test_passwords_never_reach_logs_settings_or_the_audit_trail(db, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # SQL and bound parameters
    try:
        user = _user(db)
        sign_in(db, "olga", PASSWORD)
        with pytest.raises(SignInFailed):
            sign_in(db, "olga", "Wrong secret 99")
        with db.unit_of_work() as session:
            reset_password(session, ensure_local_admin(session), user.id, "Reset secret 77")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    for secret in (PASSWORD, "Wrong secret 99", "Reset secret 77"):
        assert secret not in caplog.text
    with db.sessions() as session:
        entries = session.scalars(select(AuditEntry)).all()
        hashes = [u.password_hash for u in session.scalars(select(User)) if u.password_hash]
    assert {e.action for e in entries} >= {"create", "sign_in", "sign_in_failed", "reset_password"}
    dumped = repr([(e.old, e.new, e.note) for e in entries])
    assert "$argon2" not in dumped and not any(h in dumped for h in hashes)
    for secret in (PASSWORD, "Wrong secret 99", "Reset secret 77"):
        assert secret not in dumped
    config = os.environ["KALIBRA_CONFIG_DIR"]
    for folder, _dirs, files in os.walk(config):
        for name in files:
            text = open(os.path.join(folder, name), encoding="utf-8", errors="replace").read()
            assert PASSWORD not in text and "$argon2" not in text


def test_database_file_and_data_folders_are_private(tmp_path, monkeypatch):
    from review.storage.db import open_database
    from review.desktop.paths import model_cache_dir, user_data_dir, waveform_cache_dir

    monkeypatch.setenv("KALIBRA_DATA_DIR", str(tmp_path / "data"))
    db = open_database()
    try:
        database_file = user_data_dir() / "kalibra.sqlite3"
        assert stat.S_IMODE(database_file.stat().st_mode) == 0o600
        for folder in (user_data_dir(), model_cache_dir(), waveform_cache_dir()):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    finally:
        db.dispose()
