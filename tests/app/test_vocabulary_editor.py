"""Administration → call kinds and outcomes: edit a label, make a kind a callback, archive, add."""

import pytest
from PySide6.QtCore import Qt

from app.labels import call_kind_label, use_vocabulary
from app.vocabulary_editor import ARCHIVED, CALLBACK, ENGLISH, RUSSIAN, VocabularyEditor
from review.accounts.local_admin import ensure_local_admin
from review.library.vocabularies import load_vocabulary
from review.workspace import Workspace


def _row(editor, code):
    return next(r for r in range(editor.table.rowCount()) if editor.table.item(r, 0).text() == code)


def test_an_administrator_edits_the_lists(qtbot, sqlite_db, russian):
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    editor = VocabularyEditor(Workspace(sqlite_db, admin))
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.table.rowCount() == 7, timeout=10000)
    editor.new_code.setText("callback_preventive_checkup")
    editor.new_ru.setText("Приглашение на профосмотр")
    editor.new_en.setText("Preventive check-up invitation")
    editor.new_callback.setCurrentIndex(editor.new_callback.findData("callback_checkup"))
    with qtbot.waitSignal(editor.changed):
        editor.add_button.click()
    assert editor.message.text() == "Добавлено." and editor.table.rowCount() == 8

    row = _row(editor, "complaint")
    editor.table.item(row, RUSSIAN).setText("Претензия")
    editor.table.item(row, ARCHIVED).setCheckState(Qt.CheckState.Checked)
    other = _row(editor, "other")
    assert editor.table.cellWidget(other, CALLBACK).currentText() == "Не обзвон"
    editor.table.item(other, ENGLISH).setText("")
    editor.save_button.click()
    refusal = "Для other нужны название на русском и на английском."
    qtbot.waitUntil(lambda: editor.message.text() == refusal, timeout=10000)  # nothing saved
    editor.table.item(_row(editor, "other"), ENGLISH).setText("Other")
    with qtbot.waitSignal(editor.changed):
        editor.save_button.click()
    with sqlite_db.sessions() as session:
        vocabulary = load_vocabulary(session)
    complaint = vocabulary.term("call_kind", "complaint")
    assert (complaint.label_ru, complaint.archived) == ("Претензия", True)
    assert vocabulary.rubric_kind("callback_preventive_checkup") == "callback_checkup"
    use_vocabulary(vocabulary)
    try:
        assert call_kind_label("callback_preventive_checkup") == "Приглашение на профосмотр"
    finally:
        use_vocabulary(None)

    with qtbot.waitSignal(editor.loaded, timeout=10000):
        editor.which.setCurrentIndex(editor.which.findData("outcome"))
    assert editor.table.rowCount() == 5 and editor.table.isColumnHidden(CALLBACK)


@pytest.mark.parametrize("language", ["english", "russian"])
def test_the_callback_drop_downs_show_their_whole_choice(qtbot, sqlite_db, request, language):
    """Stretched like the texts, the column cut "Callback: check-up invitatio" mid-word at 1366 px."""
    from PySide6.QtWidgets import QApplication

    from tests.app.app_look import app_wide_look

    request.getfixturevalue(language)
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    with app_wide_look():
        editor = VocabularyEditor(Workspace(sqlite_db, admin))
        qtbot.addWidget(editor)
        editor.resize(1366 - 230, 600)
        editor.show()
        qtbot.waitUntil(lambda: editor.table.rowCount() > 0 and editor.table.cellWidget(0, CALLBACK) is not None)
        QApplication.processEvents()
        for row in range(editor.table.rowCount()):
            combo = editor.table.cellWidget(row, CALLBACK)
            assert combo.width() >= combo.sizeHint().width(), combo.currentText()
        assert editor.table.horizontalScrollBar().maximum() == 0
