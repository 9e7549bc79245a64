"""What the review screen does to stored data: answers, comments, submit and reopen, call details, the
"thanked" mark and audio excerpts. Every change goes through a `review` service as the acting user; the
window only lays widgets out and wires them here."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from app.background import BackgroundTask
from app.conflict_dialog import KEEP_MINE, ask_conflict
from app.i18n import error_text
from app.review_workspace.dialogs import ReopenDialog
from app.review_workspace.excerpt_dialog import ExcerptDialog
from app.review_workspace.metadata_panel import HEARING
from app.review_workspace.review_data import comment_rows
from app.review_workspace.transcript_view import personal_data_label
from app.view_state import view_state
from review.transcripts.excerpts import ExportedExcerpt, export_excerpt
from review.library.call_edits import update_call_metadata
from review.errors import ConflictError, KalibraError, ValidationError
from review.scoring.evaluations import (
    add_comment,
    delete_comment,
    get_evaluation,
    reopen,
    set_answer,
    set_answer_comment,
    start_evaluation,
    stored_answers,
    submit,
)
from review.models import Call
from review.reporting.recognition import mark_thanked
from review.sessions.review_sessions import open_session_evaluation
from review.transcripts.hearing import set_hearing

if TYPE_CHECKING:
    from app.review_workspace.review_window import ReviewWindow

EXCERPT_FOLDER_KEY = "review/excerpt_folder"


class ReviewActions(QObject):
    def __init__(self, window: ReviewWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pending_comments: dict[str, str] = {}  # typed before the answer: saved with it
        self.excerpt_task: BackgroundTask | None = None

    @property
    def data(self):
        return self.window.data

    def _guarded(self, work) -> object | None:
        try:
            with self.window.db.unit_of_work() as session:
                return work(session)
        except KalibraError as exc:
            self.window.show_banner(error_text(exc), error=True)
            return None

    # ================================================================== answers
    def _stored_evaluation_id(self, session) -> int:
        """The evaluation's id; the first answer or comment stores the planned draft (opening stored nothing)."""
        data, actor = self.data, self.window.actor
        if data.evaluation_id is not None:
            return data.evaluation_id
        plan = data.plan
        if plan.review_session_id is not None:  # the session's checks again: it may have closed meanwhile
            return open_session_evaluation(session, actor, plan.review_session_id, plan.call_id).id
        return start_evaluation(session, actor, plan).id

    def _stored(self, evaluation_id: int) -> None:
        # Only once the unit of work is committed: a refused first answer leaves no draft behind.
        if self.data.evaluation_id is None:
            self.data.evaluation_id, self.data.plan = evaluation_id, None

    def save_answer(self, question_id: str, value: object, na: bool) -> None:
        data, window, actor = self.data, self.window, self.window.actor
        if data is None or not data.may_score or data.submitted:
            return
        existing = data.answers.get(question_id)
        clear = (na and existing is not None and existing.na) or (value == "" and not na)
        if clear and existing is None:
            return  # nothing to clear (an empty note left empty): nothing to store
        comment = self.pending_comments.pop(question_id, None)

        def work(session):
            evaluation_id = self._stored_evaluation_id(session)
            result = set_answer(session, actor, evaluation_id, question_id, value=None if na else value,
                                na=na, comment=comment, clear=clear)
            return evaluation_id, result, stored_answers(get_evaluation(session, actor, evaluation_id))

        saved = self._guarded(work)
        if saved is None:
            if comment is not None:
                self.pending_comments[question_id] = comment  # still typed: not lost with a refused answer
            return
        evaluation_id, data.score, data.answers = saved
        self._stored(evaluation_id)
        window.form.set_answers(data.answers)
        window.refresh_status()
        self.mark_saved()
        window.hide_banner(errors_only=True)
        # Moving on is the form's (one rule, see ScorecardForm._advance_from); a missing required comment is
        # shown on the question, and focus stays on the form so the next keys answer, never type.

    def save_answer_comment(self, question_id: str, text: str) -> None:
        data = self.data
        if data is None or not data.may_score:
            return
        if question_id not in data.answers:
            if text:
                self.pending_comments[question_id] = text
                self.window.show_banner(self.tr("The comment is kept and saved with the answer."))
            else:
                self.pending_comments.pop(question_id, None)
            return
        actor = self.window.actor
        result = self._guarded(lambda s: set_answer_comment(s, actor, data.evaluation_id, question_id, text))
        if result is not None:
            data.score = result
            old = data.answers[question_id]
            data.answers[question_id] = type(old)(old.question_id, old.value, old.na, text or None)
            self.window.refresh_status()
            self.mark_saved()

    def mark_saved(self) -> None:
        self.window.saved_label.setText(self.tr("All changes saved · {0}").format(datetime.now().strftime("%H:%M:%S")))

    # ================================================================== submit and reopen
    def submit_evaluation(self) -> None:
        data, window = self.data, self.window
        if data is None or not data.may_score or data.submitted:
            return
        if data.evaluation_id is None:  # nothing answered yet: say what is missing, store nothing
            exc = ValidationError("Questions that still need an answer: {count}.", count=len(data.score.unanswered))
            window.show_banner(self.tr("Not submitted yet: {0}").format(error_text(exc)), error=True)
            return
        try:
            with window.db.unit_of_work() as session:
                data.score = submit(session, window.actor, data.evaluation_id)
                data.submitted_at = get_evaluation(session, window.actor, data.evaluation_id).submitted_at
        except ValidationError as exc:
            window.show_banner(self.tr("Not submitted yet: {0}").format(error_text(exc)), error=True)
            missing = [*data.score.unanswered, *data.score.missing_required_comments] if data.score else []
            if missing:
                window.form.set_current(window.form.cards.index(window.form.card(missing[0])))
            return
        except KalibraError as exc:
            window.show_banner(error_text(exc), error=True)
            return
        data.submitted = True
        window.refresh_status()
        window.show_banner(self.tr("Evaluation submitted."))
        window.evaluation_submitted.emit(data.evaluation_id)

    def request_reopen(self) -> None:
        if self.data is None or not self.data.submitted:
            return
        dialog = self.window.reopen_dialog = ReopenDialog(self.window)
        dialog.accepted.connect(lambda: self.reopen_with_reason(dialog.reason_text()))
        dialog.open()

    def reopen_with_reason(self, reason: str) -> bool:
        data, window = self.data, self.window
        if self._guarded(lambda s: reopen(s, window.actor, data.evaluation_id, reason)) is None:
            return False
        data.submitted, data.submitted_at = False, None
        window.refresh_status()
        window.show_banner(self.tr("Reopened: the evaluation is a draft again."))
        return True

    # ================================================================== comments, details, thanks
    def save_comment(self, at_s: float, end_s, text: str, question_id) -> None:
        data, actor = self.data, self.window.actor

        def work(session):
            # A reviewer's comment belongs to their evaluation: the first one stores the draft.
            evaluation_id = self._stored_evaluation_id(session) if data.may_score else None
            add_comment(session, actor, data.call.id, at_s, text, end_s=end_s, evaluation_id=evaluation_id,
                        question_id=question_id)
            return evaluation_id

        saved = self._guarded(work)
        if saved is not None:
            self._stored(saved)
            self.window.refresh_status()
            self.mark_saved()
        self.window.model.set_selection(None)
        self.reload_comments()

    def remove_comment(self, comment_id: int) -> None:
        self._guarded(lambda s: delete_comment(s, self.window.actor, comment_id))
        self.reload_comments()

    def reload_comments(self) -> None:
        data, window = self.data, self.window
        rows = self._guarded(lambda s: comment_rows(s, window.actor, data.call.id, data.rubric, window.lang))
        if rows is not None:
            window.show_comments(rows)

    def save_metadata(self, changes: dict) -> None:
        window = self.window
        call_id = self.data.call.id
        hearing = {k: changes.pop(k) for k in HEARING if k in changes}
        if changes and not self._save_details(call_id, changes):
            return
        if hearing:  # after the details: it changes the call's version, which guards the details' save
            try:
                with window.db.unit_of_work() as session:
                    set_hearing(session, window.actor, call_id, **hearing)
            except KalibraError as exc:
                window.metadata.show_message(error_text(exc), error=True)
                return
        window.metadata.saved()
        QTimer.singleShot(0, window, lambda: window.load_call(call_id))

    def _save_details(self, call_id: int, changes: dict) -> bool:
        """The details through review.library.call_edits; False when they were not saved (the message is shown)."""
        window = self.window
        try:
            with window.db.unit_of_work() as session:
                update_call_metadata(session, window.actor, call_id, expected_version=self.data.call.version,
                                     **changes)
        except ConflictError:
            # Someone else edited the call's details meanwhile (a shared database).
            if self.ask_conflict() == KEEP_MINE:
                try:
                    with window.db.unit_of_work() as session:
                        update_call_metadata(session, window.actor, call_id, **changes)
                except KalibraError as exc:
                    window.metadata.show_message(error_text(exc), error=True)
                    return False
                return True
            QTimer.singleShot(0, window, lambda: window.load_call(call_id))
            return False
        except KalibraError as exc:
            window.metadata.show_message(error_text(exc), error=True)
            return False
        return True

    def ask_conflict(self) -> str:
        """Reload theirs or keep mine (a seam tests answer without a dialog)."""
        return ask_conflict(QCoreApplication.translate("ReviewActions", "The call's details"), self.window)

    def set_thanked(self, thanked: bool) -> None:
        data = self.data
        if data is None or data.call.thanked == thanked:
            return
        if self._guarded(lambda s: mark_thanked(s, self.window.actor, data.call.id, thanked)) is None:
            self.window.header.show_thanked(data.call.thanked)  # refused: show what is stored
            return
        data.call.thanked = thanked
        with self.window.db.sessions() as session:  # the mark bumped the call's version; keep ours current
            data.call.version = session.get(Call, data.call.id).version
        self.window.header.show_thanked(thanked)

    # ================================================================== audio excerpt
    def excerpt_range(self) -> tuple[float, float]:
        """The selected words; else the chosen comment (its stretch, or around its moment); else 30 s from the
        playhead."""
        window = self.window
        duration = self.data.call.duration_s
        span = window.model.selection_times()
        if span:
            return span
        comment = window.comments.current_row()
        if comment is not None:
            if comment.end_s is not None:
                return comment.at_s, comment.end_s
            return max(0.0, comment.at_s - 5), min(duration, comment.at_s + 10)
        at = min(window.player.position(), max(0.0, duration - 1))
        return at, min(duration, at + 30)

    def open_excerpt_dialog(self) -> ExcerptDialog | None:
        window, data = self.window, self.data
        if data is None or not data.may_export or not window.excerpt_button.isEnabled():
            return None
        start, end = self.excerpt_range()
        folder = str(view_state().value(EXCERPT_FOLDER_KEY, str(Path.home())))
        dialog = window.excerpt_dialog = ExcerptDialog(data.call.id, data.call.duration_s, start, end, folder,
                                                       data.call.transcription_status == "done", window)

        def accepted() -> None:
            view_state().setValue(EXCERPT_FOLDER_KEY, str(Path(dialog.file_path()).parent))
            self.export_excerpt(dialog.start_s, dialog.end_s, dialog.file_path(), dialog.mute.isChecked())

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def export_excerpt(self, start_s: float, end_s: float, path: str, mute_personal_data: bool) -> BackgroundTask:
        """Cut the excerpt off the GUI thread (a long call decodes for a moment); the banner tells the outcome."""
        db, actor, call_id = self.window.db, self.window.actor, self.data.call.id

        def work(_progress, _cancelled) -> ExportedExcerpt:
            with db.unit_of_work() as session:
                return export_excerpt(session, actor, call_id, start_s, end_s, path, mute_personal_data)

        task = BackgroundTask(work, self)
        task.succeeded.connect(lambda result: self._excerpt_saved(result, mute_personal_data))
        task.failed.connect(lambda text: self.window.show_banner(
            self.tr("The excerpt was not saved: {0}").format(text), error=True))
        task.finished.connect(lambda: self.window.excerpt_button.setEnabled(True))
        self.window.excerpt_button.setEnabled(False)
        self.window.show_banner(self.tr("Saving the excerpt…"))
        self.excerpt_task = task
        self.window.run_in_background(task)
        return task

    def _excerpt_saved(self, result: ExportedExcerpt, muted_asked: bool) -> None:
        text = self.tr("Excerpt saved: {0}").format(str(result.path))
        if result.muted:
            kinds = list(dict.fromkeys(personal_data_label(stretch.kind) for stretch in result.muted))
            text += " · " + self.tr("muted: {0}").format(", ".join(kinds))
        elif muted_asked:
            text += " · " + self.tr("no personal data found in it")
        else:
            text += " · " + self.tr("personal data not muted")
        self.window.show_banner(text)
