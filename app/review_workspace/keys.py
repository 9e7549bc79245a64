"""The review screen's keys. Letters also work on a Russian layout (the same physical keys: О Л Д Т С Х Ъ)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut

# Physical key -> the Cyrillic letter it types on the standard Russian layout.
RUSSIAN_TWIN = {"J": "О", "K": "Л", "L": "Д", "N": "Т", "C": "С", "[": "Х", "]": "Ъ"}


def _bind(window, sequences: list[QKeySequence | str], action) -> None:
    for sequence in sequences:
        shortcut = QShortcut(QKeySequence(sequence), window)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(action)
        # Where the platform also maps a Cyrillic key to its Latin twin both shortcuts match: either one may act.
        shortcut.activatedAmbiguously.connect(action)


def _letter(key: str) -> list[str]:
    return [key, RUSSIAN_TWIN[key]] if key in RUSSIAN_TWIN else [key]


def install_shortcuts(window) -> None:
    """Bind the keys of the issue's keyboard map to `window` (a ReviewWindow)."""
    player, form = window.player, window.form
    _bind(window, ["Space"], player.toggle)
    _bind(window, _letter("J"), lambda: player.skip(-5))
    _bind(window, _letter("L"), lambda: player.skip(5))
    _bind(window, _letter("K"), player.pause)
    _bind(window, _letter("["), lambda: player.step_rate(-1))
    _bind(window, _letter("]"), lambda: player.step_rate(1))
    _bind(window, ["Up"], lambda: form.move(-1))
    _bind(window, ["Down"], lambda: form.move(1))
    for number in range(1, 10):
        keypad = QKeySequence(Qt.KeyboardModifier.KeypadModifier | Qt.Key(Qt.Key.Key_0.value + number))
        _bind(window, [str(number), keypad], lambda n=number: form.pick(n))
    _bind(window, _letter("N"), form.toggle_na)
    _bind(window, _letter("C"), window.start_comment)
    _bind(window, ["Ctrl+Return", "Ctrl+Enter"], window.actions.submit_evaluation)
    _bind(window, ["Ctrl+E"], window.actions.open_excerpt_dialog)
    _bind(window, ["?", "Shift+?", "F1"], window.show_shortcuts)
    _bind(window, ["Alt+Left"], lambda: window.step_queue(-1))
    _bind(window, ["Alt+Right"], lambda: window.step_queue(1))
