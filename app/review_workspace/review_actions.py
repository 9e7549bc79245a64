"""What the review screen does to stored data: answers, comments, submit and reopen, call details, the
"thanked" mark and audio excerpts. Every change is a review.call_review.changes call run off the GUI thread, in
order (ordered_ops.py); the screen shows an answer at once and the stored score when it comes back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from app.background import BackgroundTask
from app.conflict_dialog import KEEP_MINE, ask_conflict
from app.i18n import error_text
from app.operations import announce
from app.review_workspace.dialogs import ReopenDialog
from app.review_workspace.excerpt_dialog import ExcerptDialog
from app.review_workspace.metadata_panel import HEARING
from app.review_workspace.ordered_ops import OrderedOps, Step
from app.review_workspace.review_screen import ReviewScreen
from app.review_workspace.transcript_view import personal_data_label
from app.view_state import view_state
from review.call_review import changes as core
from review.call_review.screen import read_comments, read_queue, score_answers
from review.errors import ConflictError, ValidationError
from review.scoring.evaluations import StoredAnswer
from review.transcripts.excerpts import ExportedExcerpt, export_excerpt

EXCERPT_FOLDER_KEY = "review/excerpt_folder"


class ReviewActions(QObject):
    def __init__(self, window: ReviewScreen) -> None:
        super().__init__(window)
        self.window = window
        self.ops = OrderedOps(window, window.ws, lambda text: self.window.show_banner(text, error=True))
        self.pending_comments: dict[str, str] = {}  # typed before the answer: saved with it
        self.excerpt_task: BackgroundTask | None = None
        self.reopen_dialog: ReopenDialog | None = None  # the open dialogs, for the keyboard and tests
        self.excerpt_dialog: ExcerptDialog | None = None

    @property
    def data(self):
        return self.window.data

    def _shown(self, data) -> bool:
        return data is not None and self.window.data is data

    # ================================================================== answers
    def save_answer(self, question_id: str, value: object, na: bool) -> None:
        data, window = self.data, self.window
        if data is None or not data.may_score or data.submitted:
            return
        existing = data.answers.get(question_id)
        clear = (na and existing is not None and existing.na) or (value == "" and not na)
        if clear and existing is None:
            return  # nothing to clear (an empty note left empty): nothing to store
        comment = self.pending_comments.pop(question_id, None)
        shown = window.form.suggestions.get(question_id)
        suggested = (shown.answer, shown.deciding) if shown is not None and shown.answer is not None else None
        # On screen at once, scored by the same engine, so the form moves on by its one rule
        # (ScorecardForm._advance_from); stored off the GUI thread, in order.
        kept = existing.comment if existing is not None else None
        given = None if clear else StoredAnswer(question_id, None if na else value, na,
                                                (comment.strip() or None) if comment is not None else kept)
        self._show_answer(data, question_id, given)

        def prepare() -> Step:
            draft = data.draft
            return Step(lambda ws: core.save_answer(ws, draft, question_id, value=value, na=na, comment=comment,
                                                    clear=clear, suggested=suggested),
                        lambda saved: self._answer_saved(data, saved),
                        lambda text: self._answer_refused(data, question_id, existing, comment, text))

        self.ops.add(prepare)

    def _show_answer(self, data, question_id: str, answer: StoredAnswer | None) -> None:
        answers = dict(data.answers)
        if answer is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = answer
        data.answers = answers
        try:
            data.score = score_answers(data.rubric, data.rubric_kind, answers)
        except ValueError:
            pass  # an answer the rubric refuses: the stored evaluation says so when it comes back
        if self._shown(data):
            self.window.form.set_answers(data.answers)
            self.window.refresh_status()

    def _stored(self, data, evaluation_id: int | None) -> None:
        # Only once the unit of work is committed: a refused first answer leaves no draft behind.
        if evaluation_id is not None and data.evaluation_id is None:
            data.evaluation_id, data.plan = evaluation_id, None

    def _answer_saved(self, data, saved: core.AnswerSaved) -> None:
        self._stored(data, saved.evaluation_id)
        if self.ops.waiting():
            return  # more is on its way: the last one shows what is stored
        data.score, data.answers = saved.score, saved.answers
        if self._shown(data):
            self.window.form.set_answers(data.answers)
            self.window.refresh_status()
            self.mark_saved()
            self.window.hide_banner(errors_only=True)

    def _answer_refused(self, data, question_id: str, before: StoredAnswer | None, comment: str | None,
                        text: str) -> None:
        if comment is not None:
            self.pending_comments[question_id] = comment  # still typed: not lost with a refused answer
        self._show_answer(data, question_id, before)
        if self._shown(data):
            self.window.show_banner(text, error=True)
            form = self.window.form
            form.set_current(form.number_of(question_id) - 1)

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
        old = data.answers[question_id]
        self._show_answer(data, question_id, StoredAnswer(old.question_id, old.value, old.na, text or None))

        def prepare() -> Step | None:
            evaluation_id = data.evaluation_id
            if evaluation_id is None:  # its answer was refused: keep the text for the next answer
                self.pending_comments[question_id] = text
                return None
            return Step(lambda ws: core.save_answer_comment(ws, evaluation_id, question_id, text),
                        lambda score: self._comment_saved(data, score))

        self.ops.add(prepare)

    def _comment_saved(self, data, score) -> None:
        if not self.ops.waiting():
            data.score = score
        if self._shown(data):
            self.window.refresh_status()
            self.mark_saved()

    def mark_saved(self) -> None:
        self.window.saved_label.setText(self.tr("All changes saved · {0}").format(datetime.now().strftime("%H:%M:%S")))

    # ================================================================== submit and reopen
    def submit_evaluation(self) -> None:
        data = self.data
        if data is None or not data.may_score or data.submitted:
            return

        def prepare() -> Step | None:
            window = self.window
            if data.evaluation_id is None:  # nothing answered yet: say what is missing, store nothing
                exc = ValidationError("Questions that still need an answer: {count}.",
                                      count=len(data.score.unanswered))
                window.show_banner(self.tr("Not submitted yet: {0}").format(error_text(exc)), error=True)
                return None
            evaluation_id = data.evaluation_id

            def work(ws):
                try:
                    return core.submit_evaluation(ws, evaluation_id)
                except ValidationError as exc:
                    return exc

            return Step(work, lambda result: self._submitted(data, result))

        self.ops.add(prepare)

    def _submitted(self, data, result) -> None:
        window = self.window
        if isinstance(result, ValidationError):
            if self._shown(data):
                window.show_banner(self.tr("Not submitted yet: {0}").format(error_text(result)), error=True)
                missing = [*data.score.unanswered, *data.score.missing_required_comments] if data.score else []
                if missing:
                    window.form.set_current(window.form.cards.index(window.form.card(missing[0])))
            return
        data.score, data.submitted_at = result
        data.submitted = True
        announce({"evaluations"})  # the sessions board, the queues and the reports move on
        if self._shown(data):
            window.refresh_status()
            window.show_banner(self.tr("Evaluation submitted."))
            window.evaluation_submitted.emit(data.evaluation_id)

    def request_reopen(self) -> None:
        if self.data is None or not self.data.submitted:
            return
        dialog = self.reopen_dialog = ReopenDialog(self.window)
        dialog.accepted.connect(lambda: self.reopen_with_reason(dialog.reason_text()))
        dialog.open()

    def reopen_with_reason(self, reason: str) -> None:
        data = self.data
        if data is None or data.evaluation_id is None:
            return
        evaluation_id = data.evaluation_id

        def reopened(_none) -> None:
            data.submitted, data.submitted_at = False, None
            if self._shown(data):
                self.window.refresh_status()
                self.window.show_banner(self.tr("Reopened: the evaluation is a draft again."))

        self.ops.add(lambda: Step(lambda ws: core.reopen_evaluation(ws, evaluation_id, reason), reopened,
                                  changes=frozenset({"evaluations"})))

    # ================================================================== my queue
    def refresh_queue(self) -> None:
        """Read the user's queue again (after a submit) for the header's "My queue"."""
        window = self.window
        self.ops.add(lambda: Step(read_queue, lambda items: window.queue_picker.show_items(
            items, window.data and window.data.call.id), lambda _text: window.queue_picker.show_items([])))

    # ================================================================== comments, details, thanks
    def save_comment(self, at_s: float, end_s, text: str, question_id) -> None:
        data, window = self.data, self.window
        if data is None:
            return
        message_id = window.comment_message_id if data.written else None
        window.model.set_selection(None)

        def prepare() -> Step:
            # A reviewer's comment belongs to their evaluation: the first one stores the draft.
            draft = data.draft if data.may_score else None
            return Step(lambda ws: core.save_comment(ws, data.call.id, draft, at_s, end_s, text, question_id,
                                                     message_id, data.rubric, window.lang),
                        lambda saved: self._comment_stored(data, saved),
                        lambda refused: (window.show_banner(refused, error=True), self.reload_comments()))

        self.ops.add(prepare)

    def _comment_stored(self, data, saved: core.CommentSaved) -> None:
        self._stored(data, saved.evaluation_id)
        data.comments = saved.comments
        if self._shown(data):
            self.window.refresh_status()
            self.mark_saved()
            self.window.show_comments(saved.comments)

    def remove_comment(self, comment_id: int) -> None:
        data = self.data
        if data is None:
            return
        self.ops.add(lambda: Step(lambda ws: core.remove_comment(ws, data.call.id, comment_id, data.rubric,
                                                                 self.window.lang),
                                  lambda rows: self._shown(data) and self.window.show_comments(rows)))

    def reload_comments(self) -> None:
        data = self.data
        if data is None:
            return
        self.ops.add(lambda: Step(lambda ws: read_comments(ws, data.call.id, data.rubric, self.window.lang),
                                  lambda rows: self._shown(data) and self.window.show_comments(rows)))

    def save_metadata(self, changes: dict, expected_version: int | None = -1) -> None:
        """The details through review.library.call_edits, guarded by the version shown; then the call again."""
        data, window = self.data, self.window
        if data is None:
            return
        call_id = data.call.id
        if expected_version == -1:
            expected_version = data.call.version
        details = dict(changes)
        hearing = {k: details.pop(k) for k in HEARING if k in details}

        def work(ws):
            try:
                core.save_call_details(ws, call_id, details, hearing, expected_version=expected_version)
            except ConflictError:
                return "conflict"  # someone else edited the call's details meanwhile (a shared database)
            return "saved"

        def done(outcome: str) -> None:
            if outcome == "conflict" and self.ask_conflict() == KEEP_MINE:
                self.save_metadata(changes, expected_version=None)
                return
            if outcome == "saved":
                window.metadata.saved()
            QTimer.singleShot(0, window, lambda: window.load_call(call_id))

        self.ops.add(lambda: Step(work, done, lambda text: window.metadata.show_message(text, error=True),
                                  changes=frozenset({"calls"})))

    def ask_conflict(self) -> str:
        """Reload theirs or keep mine (a seam tests answer without a dialog)."""
        return ask_conflict(QCoreApplication.translate("ReviewActions", "The call's details"), self.window)

    def set_thanked(self, thanked: bool) -> None:
        data, window = self.data, self.window
        if data is None or data.call.thanked == thanked:
            return
        window.header.show_thanked(thanked)

        def marked(version: int) -> None:
            # The mark bumped the call's version: keep ours current, so the details' save is not a conflict.
            data.call = replace(data.call, thanked=thanked, version=version)

        def refused(text: str) -> None:
            if self._shown(data):
                window.header.show_thanked(data.call.thanked)  # refused: show what is stored
                window.show_banner(text, error=True)

        self.ops.add(lambda: Step(lambda ws: core.set_thanked(ws, data.call.id, thanked), marked, refused,
                                  changes=frozenset({"calls"})))

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
        dialog = self.excerpt_dialog = ExcerptDialog(data.call.id, data.call.duration_s, start, end, folder,
                                                       data.call.transcription_status == "done", window)

        def accepted() -> None:
            view_state().setValue(EXCERPT_FOLDER_KEY, str(Path(dialog.file_path()).parent))
            self.export_excerpt(dialog.start_s, dialog.end_s, dialog.file_path(), dialog.mute.isChecked())

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def export_excerpt(self, start_s: float, end_s: float, path: str, mute_personal_data: bool) -> BackgroundTask:
        """Cut the excerpt off the GUI thread (a long call decodes for a moment); the banner tells the outcome."""
        ws, call_id = self.window.ws, self.data.call.id

        def work(_progress, _cancelled) -> ExportedExcerpt:
            with ws.changing() as session:
                return export_excerpt(session, ws.actor, call_id, start_s, end_s, path, mute_personal_data)

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
