"""The rubrics page's file actions: import a YAML file as a draft, export what the editor shows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from app.operations import CoreOp
from review.scoring.rubric_editing import OpenedVersion, export_version, import_rubric
from review.workspace import Workspace
from rubrics import dump_rubric


class RubricFileActions:
    """Mixed into RubricsPage, whose state (editor, message bar, the shown version, _write) these use; its
    strings keep the page's translation context."""

    def choose_import_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, QCoreApplication.translate("RubricsPage", "Import a rubric"), "",
                                              QCoreApplication.translate("RubricsPage", "Rubric files (*.yaml *.yml)"))
        return path or None

    def import_yaml(self) -> bool:
        """Read a rubric file as a draft off the GUI thread; a file with any problem changes nothing and its
        problems are shown."""
        if not self.can_edit or self._busy or not self.confirm_leave(then=self.import_yaml):
            return False
        path = self.choose_import_path()
        if not path:
            return False

        def done(opened: OpenedVersion) -> None:
            if self.has_unsaved_changes():
                self._show_shelf(opened.shelf)
            else:
                self._show_version(opened)
            self.message_bar.show_message(QCoreApplication.translate("RubricsPage", "Imported {0} as a draft. Check it, then publish it.")
                                          .format(Path(path).name))

        self._write(lambda session, actor: import_rubric(session, actor, path), done,
                    QCoreApplication.translate("RubricsPage", "The file was not imported; nothing was changed.\n{0}"))
        return True

    def choose_export_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("RubricsPage", "Export the rubric"), suggested,
                                              QCoreApplication.translate("RubricsPage", "Rubric files (*.yaml *.yml)"))
        return path or None

    def export_yaml(self) -> bool:
        """Write what the editor shows: the stored version, or the edited rubric when it has changes
        (`exported` follows)."""
        rubric = self.editor.last_valid
        if rubric is None:
            return False
        suffix = f"-v{self.version_number}" if self.version_number else ""
        path = self.choose_export_path(f"{rubric.id}{suffix}.yaml")
        if not path:
            return False
        if self.version_id is not None and not self.editor.document.dirty:
            version_id = self.version_id
            def work(ws: Workspace) -> None:
                with ws.reading() as session:
                    export_version(session, version_id, path)

            CoreOp(self, self._ws, work, key=("rubrics export", id(self))) \
                .success(lambda _none: self._exported(path)) \
                .failure(lambda sentence: self.message_bar.show_message(sentence, "error")).run_in_background()
            return True
        rubric = self.editor.validate_now()
        if rubric is None:
            self.message_bar.show_message(QCoreApplication.translate("RubricsPage", "Fix the rubric's problems before exporting it."), "error")
            return False
        try:
            Path(path).write_text(dump_rubric(rubric), encoding="utf-8")
        except OSError as exc:
            self.message_bar.show_message(QCoreApplication.translate("RubricsPage", "Cannot write {0}: {1}").format(path, exc.strerror), "error")
            return False
        self._exported(path)
        return True

    def _exported(self, path: str) -> None:
        self.message_bar.show_message(QCoreApplication.translate("RubricsPage", "Exported to {0}.").format(path))
        self.exported.emit(path)
