"""Users and the single-user mode of the embedded database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.models import User

LOCAL_ADMIN = "admin"


def ensure_local_admin(session: Session, display_name: str = "Administrator") -> User:
    """Single-user mode: the first start creates an administrator that needs no sign-in, named `display_name`
    (the desktop passes the word in its interface language; it is a name like any other, changed in
    Administration → Users)."""
    user = session.scalar(select(User).where(User.username == LOCAL_ADMIN))
    if user is None:
        user = User(username=LOCAL_ADMIN, display_name=display_name, role="admin")
        session.add(user)
        session.flush()
    return user
