"""An administrator types the clinic's words, sees what whisper can take, saves; a list too long is refused in a sentence."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.clinic_vocabulary_editor import ClinicVocabularyEditor
from review.transcripts.clinic_vocabulary import MAX_CHARACTERS, clinic_vocabulary
from review.workspace import Workspace


def _editor(qtbot, db, admin) -> ClinicVocabularyEditor:
    editor = ClinicVocabularyEditor(Workspace(db, admin))
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.shown, timeout=10000):
        pass
    return editor


def test_typed_words_are_counted_saved_and_read_back(qtbot, db, admin):
    editor = _editor(qtbot, db, admin)
    assert not editor.save_button.isEnabled() and editor.terms.toPlainText() == ""
    editor.terms.setFocus()
    qtbot.keyClicks(editor.terms, "Family Doctor")
    qtbot.keyClick(editor.terms, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.terms, "Dr Sokolova, Cardiomagnyl")
    assert editor.save_button.isEnabled()
    assert editor.count.text() == f"40 of {MAX_CHARACTERS} characters"
    with qtbot.waitSignal(editor.saved, timeout=10000) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [True]
    assert editor.terms.toPlainText() == "Family Doctor\nDr Sokolova\nCardiomagnyl"  # one per line now
    assert "transcribe it again" in editor.status.text() and not editor.save_button.isEnabled()
    with db.sessions() as session:
        assert clinic_vocabulary(session) == ("Family Doctor", "Dr Sokolova", "Cardiomagnyl")
    again = _editor(qtbot, db, admin)  # another desktop, or the tab opened later
    assert again.typed_terms() == ("Family Doctor", "Dr Sokolova", "Cardiomagnyl")


def test_a_list_too_long_is_refused_in_one_sentence_and_nothing_is_stored(qtbot, db, admin, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    editor = _editor(qtbot, db, admin)
    editor.terms.setPlainText("\n".join(f"Препарат номер {n}" for n in range(60)))
    assert "color" in editor.count.styleSheet()  # over the limit: the count says so before saving
    with qtbot.waitSignal(editor.saved, timeout=10000) as saved:
        editor.save()
    assert saved.args == [False] and len(shown) == 1 and "too long" in shown[0] and "\n" not in shown[0]
    assert editor.is_dirty()  # what was typed stays, to be shortened
    with db.sessions() as session:
        assert clinic_vocabulary(session) == ()
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)
    assert editor.terms.toPlainText() == "" and not editor.is_dirty()


def test_the_administration_page_has_the_tab_built_when_first_shown(qtbot, db, admin):
    from app.users_page import UsersPage

    page = UsersPage(Workspace(db, admin))
    qtbot.addWidget(page)
    page.show()
    index = next(i for i in range(page.tabs.count()) if page.tabs.tabText(i) == "Clinic vocabulary")
    assert not page.tabs.is_built(index)
    page.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: page.tabs.is_built(index))
    assert page.clinic_vocabulary.isVisible() and page.clinic_vocabulary.terms.placeholderText().startswith("Family")


@pytest.mark.parametrize("language", ["english", "russian"])
def test_every_administration_tab_shows_whole_at_1366(qtbot, db, admin, request, language):
    """The page's width in a 1366 px window (beside the navigation): every tab's name shown, no scroll arrows."""
    from app.users_page import UsersPage
    from tests.app.app_look import as_in_the_app

    request.getfixturevalue(language)
    page = UsersPage(Workspace(db, admin))
    qtbot.addWidget(page)
    as_in_the_app(page, 1120, 700)
    bar = page.tabs.tabBar()
    needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
    assert needed <= page.tabs.width() - 8, [bar.tabText(i) for i in range(bar.count())]
