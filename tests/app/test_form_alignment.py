"""Every form's label sits on its field's first line of text: the settings, create-sessions and sign-in dialogs,
and the library's call details, whose names and values share one baseline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QLayoutItem, QListWidget, QWidget

from app.form_layout import FormLayout
from app.library_page import CallDetailsPane
from app.sessions.create_dialog import CreateSessionsDialog
from app.settings_dialog import SettingsDialog
from app.sign_in_dialog import SignInDialog
from app.wrapped_check import WrappedCheckRow
from review.accounts.local_admin import ensure_local_admin
from review.desktop.user_settings import UserSettings
from review.workspace import Workspace
from tests.app.app_look import app_wide_look
from tests.review.session_fixtures import add_operator


def _first_field(item: QLayoutItem) -> QWidget:
    if item.widget() is not None:
        return item.widget()
    return next(w for i in range(item.layout().count()) if (w := _first_field(item.layout().itemAt(i))) is not None)


def _middle(widget: QWidget, top: QWidget) -> float:
    """The middle of the widget's first line, measured on what it shows: a list's first row, a wrapped check's
    first line of words, else the box's middle."""
    if isinstance(widget, QListWidget):
        row = widget.visualItemRect(widget.item(0))
        return widget.viewport().mapTo(top, QPoint(0, row.top())).y() + row.height() / 2
    from PySide6.QtWidgets import QPlainTextEdit

    from app.rubric_editor.fields import LocalizedEdit

    if isinstance(widget, LocalizedEdit):  # a text in Russian above its English: the Russian line
        return _first_text_line(widget.edit("ru"), top)
    if isinstance(widget, QPlainTextEdit):
        return _first_text_line(widget, top)
    if isinstance(widget, WrappedCheckRow):
        words = widget.label
        return words.mapTo(top, QPoint(0, 0)).y() + words.fontMetrics().height() / 2
    if isinstance(widget, QLabel) and widget.alignment() & Qt.AlignmentFlag.AlignTop:
        return widget.mapTo(top, widget.contentsRect().topLeft()).y() + widget.fontMetrics().height() / 2
    return widget.mapTo(top, QPoint(0, 0)).y() + widget.height() / 2


def _misaligned(dialog: QWidget) -> list[str]:
    wrong = []
    for form in dialog.findChildren(QFormLayout):
        assert isinstance(form, FormLayout)  # one way of building forms
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None or not label.widget().text():
                continue
            words = label.widget()
            offset = _middle(words, dialog) - _middle(_first_field(field), dialog)
            if abs(offset) > 1:
                wrong.append(f"{words.text()}: {offset:+.1f} px")
    return wrong


@pytest.mark.parametrize("language", ["english", "russian"])
def test_form_labels_sit_on_their_fields(qtbot, sqlite_db, language, request):
    """A label used to sit 2–4 px above a line edit's text, a spin box's or a list's first row."""
    request.getfixturevalue(language)
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        add_operator(session, "Анна Смирнова")
    with app_wide_look():
        dialogs = [SettingsDialog(UserSettings(), [("inbound_call", "Inbound")]),
                   CreateSessionsDialog(Workspace(sqlite_db, admin)),
                   SignInDialog(Workspace(sqlite_db, None), "first_admin")]
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
        creating = dialogs[1]
        qtbot.waitUntil(lambda: creating.operators.count() > 0)
        QApplication.processEvents()
        for dialog in dialogs:
            assert _misaligned(dialog) == [], type(dialog).__name__


def _baseline(image: QImage, rect: QRect) -> int:
    """The lowest row that most of the words' ink stands on (descenders are only a few pixels wide)."""
    counts = [sum(1 for x in range(rect.left(), rect.right()) if image.pixelColor(x, y).lightness() < 128)
              for y in range(rect.top(), rect.bottom())]
    assert max(counts) > 0, "no words drawn there"
    return rect.top() + max(i for i, count in enumerate(counts) if count >= max(counts) / 3)


def test_call_details_names_and_values_share_a_baseline(qtbot, sqlite_db):
    """The values are selectable labels, which draw their words 1 px higher than a plain label draws its own."""
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    with app_wide_look():
        pane = CallDetailsPane(Workspace(sqlite_db, admin))
        qtbot.addWidget(pane)
        pane.resize(300, 700)
        pane.show()
        qtbot.waitExposed(pane)
        pane.fields["operator"].setText("Maria Ivanova")
        pane.fields["direction"].setText("Incoming")
        QApplication.processEvents()
        image = pane.grab().toImage()
        for key in ("operator", "direction"):
            name, value = pane._names[key], pane.fields[key]
            assert isinstance(name, QLabel)
            name_box = QRect(name.mapTo(pane, QPoint(0, 0)), name.size())
            value_box = QRect(value.mapTo(pane, QPoint(0, 0)), value.size())
            assert _baseline(image, name_box) == _baseline(image, value_box), key


def test_a_questions_texts_and_tags_share_a_line_and_a_yes_no_question_keeps_no_empty_rows(qtbot):
    """"RU" and "EN" sat 8 px above their text's words, and a yes/no question's one line of answers stood as
    tall as the levels table it is not shown."""
    from app.rubric_editor.question_form import QuestionForm

    with app_wide_look():
        form = QuestionForm()
        qtbot.addWidget(form)
        form.load({"id": "greeting", "type": "yes_no", "text": {"ru": "Поздоровался", "en": "Greeted"},
                   "help": {"ru": "Например: «Добрый день»", "en": "For example: “Good afternoon”"}})
        form.resize(520, form.sizeHint().height())  # as in its scroll area
        form.show()
        qtbot.waitExposed(form)
        QApplication.processEvents()
        assert _misaligned(form) == [], _misaligned(form)
        for edit in (form.text_edit, form.help_edit):
            for lang in ("ru", "en"):
                field = edit.edit(lang)
                tag = edit.layout().labelForField(field)
                assert abs(_middle(tag, form) - _first_text_line(field, form)) <= 1, (tag.text(), field)
        line = form.no_answers.fontMetrics().height()
        assert form.answers_stack.height() < 2 * line


def _first_text_line(field: QWidget, top: QWidget) -> float:
    from PySide6.QtWidgets import QPlainTextEdit

    if isinstance(field, QPlainTextEdit):
        block = field.document().firstBlock()
        geometry = field.blockBoundingGeometry(block).translated(field.contentOffset())
        line = block.layout().lineAt(0)  # as tall as a label's line, leading included
        return field.viewport().mapTo(top, QPoint(0, round(geometry.top()))).y() + line.y() + line.height() / 2
    return _middle(field, top)
