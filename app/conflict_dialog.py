"""What to do when someone else saved the same record first: reload theirs, or keep mine."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

RELOAD, KEEP_MINE = "reload", "keep_mine"


class ConflictDialog(QMessageBox):
    def __init__(self, what: str, detail: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Changed by someone else"))
        self.setText(self.tr("{0} was changed by someone else after you opened it.").format(what))
        self.setInformativeText(detail or self.tr(
            "Reload to see their version (your unsaved change is dropped), or keep yours (it replaces theirs)."))
        self.reload_button = self.addButton(self.tr("Reload theirs"), QMessageBox.ButtonRole.RejectRole)
        self.keep_button = self.addButton(self.tr("Keep mine"), QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.reload_button)

    def choice(self) -> str:
        return KEEP_MINE if self.clickedButton() is self.keep_button else RELOAD


def ask_conflict(what: str, parent: QWidget | None = None) -> str:
    dialog = ConflictDialog(what, parent=parent)
    dialog.exec()
    return dialog.choice()
