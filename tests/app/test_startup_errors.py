"""The desktop app meets a database in trouble with one message at start-up, never a traceback."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.application import open_main_window, run_gui
from app.i18n import error_text, install_language
from review.cli import build_parser
from review.errors import DatabaseError
from tests.review import database_troubles as troubles

CASES = {
    "read-only": (troubles.read_only_url, "read-only"),
    "damaged": (lambda f: troubles.damaged_url(f, header=True), "damaged"),
    "damaged pages": (lambda f: troubles.damaged_url(f, header=False), "damaged"),
    "newer schema": (troubles.newer_schema_url, "newer Kalibra"),
    "unreachable server": (lambda f: troubles.UNREACHABLE, "does not answer"),
}


@pytest.mark.parametrize("case", CASES)
def test_start_up_shows_one_sentence(qtbot, tmp_path, monkeypatch, capfd, case):
    make, word = CASES[case]
    url = make(tmp_path / "db")
    with pytest.raises(DatabaseError) as caught:
        open_main_window(url)
    sentence = str(caught.value)
    assert word in sentence and "\n" not in sentence
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    try:
        assert run_gui(build_parser().parse_args(["--database", url])) == 1
        [text] = shown
        assert text.startswith("Kalibra не может открыть базу данных")  # the interface's language, Russian
        assert error_text(caught.value) in text and error_text(caught.value) != sentence
    finally:
        install_language(QApplication.instance(), "en")
    captured = capfd.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_a_locked_database_at_start_up_is_one_sentence(qtbot, tmp_path, monkeypatch):
    url = f"sqlite:///{troubles.healthy_database(tmp_path)}"
    holder = troubles.lock(url)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    try:
        assert run_gui(build_parser().parse_args(["--database", url])) == 1
    finally:
        holder.close()
        install_language(QApplication.instance(), "en")
    [text] = shown
    assert "заблокирована другой программой" in text


def test_the_first_start_names_the_local_administrator_in_the_interface_language(qtbot, tmp_path):
    from review.accounts.local_admin import LOCAL_ADMIN
    from review.desktop.user_settings import UserSettings, save_settings
    from review.models import User

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    save_settings(UserSettings(language="ru"))
    try:
        window = open_main_window(url)
        qtbot.addWidget(window)
        with window.workspace.db.sessions() as session:
            admin = session.query(User).filter_by(username=LOCAL_ADMIN).one()
        assert admin.display_name == "Администратор"  # not "Administrator" in a Russian interface
    finally:
        install_language(QApplication.instance(), "en")


def test_a_workspace_from_before_keeps_no_english_stock_name_in_a_russian_interface(qtbot, tmp_path):
    from sqlalchemy import select

    from review.accounts.local_admin import LOCAL_ADMIN, ensure_local_admin
    from review.desktop.user_settings import UserSettings, save_settings
    from review.models import User
    from review.workspace import open_workspace

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old, _admin = open_workspace(url)  # as the release before made it: "Administrator", whatever the language
    old.dispose()

    def name(db) -> str:
        with db.sessions() as session:
            return session.scalar(select(User.display_name).where(User.username == LOCAL_ADMIN))

    save_settings(UserSettings(language="ru"))
    try:
        window = open_main_window(url)
        qtbot.addWidget(window)
        assert name(window.workspace.db) == "Администратор"
        assert window.signed_in_label.text() == "Вход: Администратор"
        window.close()
        window.workspace.db.dispose()
    finally:
        install_language(QApplication.instance(), "en")
    cli, _admin = open_workspace(url)  # the command line names no language: it renames nothing back
    assert name(cli) == "Администратор"
    with cli.unit_of_work() as session:  # a name someone chose is theirs, in either language
        session.scalar(select(User).where(User.username == LOCAL_ADMIN)).display_name = "Ирина Ковалёва"
    with cli.unit_of_work() as session:
        assert ensure_local_admin(session, "Administrator", follow_language=True).display_name == "Ирина Ковалёва"
    cli.dispose()
