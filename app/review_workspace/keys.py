"""The review screen's keys. Letters also work on a Russian layout (the same physical keys: Ф О Л Д Т С Х Ъ);
single keys (letters, digits, Space, ?) never act while a text field has the focus: there they type."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

# Physical key -> the Cyrillic letter it types on the standard Russian layout.
RUSSIAN_TWIN = {"A": "Ф", "J": "О", "K": "Л", "L": "Д", "N": "Т", "C": "С", "[": "Х", "]": "Ъ"}
TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)


class TypingGuard(QObject):
    """Turns the single-key shortcuts off while focus is in a text field (either layout, every field of the
    screen), so what is typed reaches the field: a disabled shortcut lets its key through."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.shortcuts: list[QShortcut] = []
        QApplication.instance().focusChanged.connect(self.focus_changed)

    def focus_changed(self, _old, new) -> None:
        typing = isinstance(new, TEXT_FIELDS) and not (isinstance(new, QLineEdit) and new.isReadOnly())
        for shortcut in self.shortcuts:
            shortcut.setEnabled(not typing)


def _bind(window, sequences: list[QKeySequence | str], action, guard: TypingGuard | None = None) -> None:
    for sequence in sequences:
        shortcut = QShortcut(QKeySequence(sequence), window)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(action)
        # Where the platform also maps a Cyrillic key to its Latin twin both shortcuts match: either one may act.
        shortcut.activatedAmbiguously.connect(action)
        if guard is not None:
            guard.shortcuts.append(shortcut)


def _letter(key: str) -> list[str]:
    return [key, RUSSIAN_TWIN[key]] if key in RUSSIAN_TWIN else [key]


def install_shortcuts(window) -> TypingGuard:
    """Bind the keys of the issue's keyboard map to `window` (a ReviewWindow)."""
    player, form = window.player, window.form
    single = TypingGuard(window)
    _bind(window, ["Space"], window.toggle_playing, single)
    # In a chat or e-mail thread J and L step through its messages (C comments on the current one).
    _bind(window, _letter("J"), lambda: window.skip(-1), single)
    _bind(window, _letter("L"), lambda: window.skip(1), single)
    _bind(window, _letter("K"), player.pause, single)
    _bind(window, _letter("["), lambda: player.step_rate(-1), single)
    _bind(window, _letter("]"), lambda: player.step_rate(1), single)
    # ↑/↓ act in a text field too: they leave it (its text is saved) for the previous / next question.
    _bind(window, ["Up"], lambda: form.move(-1))
    _bind(window, ["Down"], lambda: form.move(1))
    for number in range(1, 10):
        keypad = QKeySequence(Qt.KeyboardModifier.KeypadModifier | Qt.Key(Qt.Key.Key_0.value + number))
        _bind(window, [str(number), keypad], lambda n=number: form.pick(n), single)
    _bind(window, _letter("N"), form.toggle_na, single)
    _bind(window, _letter("A"), form.accept_suggestion, single)
    _bind(window, _letter("C"), window.start_comment, single)
    _bind(window, ["?", "Shift+?"], window.show_shortcuts, single)
    _bind(window, ["F1"], window.show_shortcuts)
    _bind(window, ["Ctrl+Return", "Ctrl+Enter"], window.actions.submit_evaluation)
    _bind(window, ["Ctrl+E"], window.actions.open_excerpt_dialog)
    _bind(window, ["Alt+Left"], lambda: window.step_queue(-1))
    _bind(window, ["Alt+Right"], lambda: window.step_queue(1))
    return single
