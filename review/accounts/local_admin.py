"""Users and the single-user mode of the embedded database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.models import User

LOCAL_ADMIN = "admin"


# The names the first start gives the local administrator, one per interface language: the role's word, not
# a name anyone chose.
STOCK_NAMES = ("Administrator", "Администратор")


def ensure_local_admin(session: Session, display_name: str = "Administrator", *,
                       follow_language: bool = False) -> User:
    """Single-user mode: the first start creates an administrator that needs no sign-in, named `display_name`
    (the desktop passes the word in its interface language; it is a name like any other, changed in
    Administration → Users). With `follow_language`, a stock name given in another language (a workspace
    made before the first start said it in the interface's language, or in the other language) becomes
    `display_name`; a name someone chose is kept."""
    user = session.scalar(select(User).where(User.username == LOCAL_ADMIN))
    if user is None:
        user = User(username=LOCAL_ADMIN, display_name=display_name, role="admin")
        session.add(user)
        session.flush()
    elif follow_language and user.display_name in STOCK_NAMES and display_name in STOCK_NAMES \
            and user.display_name != display_name:
        user.display_name = display_name
        session.flush()
    return user
