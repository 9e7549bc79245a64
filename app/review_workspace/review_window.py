"""The review screen: listen, read and score one call; keyboard first; every answer saved as it is given."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundTask
from app.i18n import counted, error_text, interface_language
from app.labels import (
    call_kind_label,
    direction_label,
    format_datetime,
    format_duration,
    format_wait,
    speakers_text,
)
from app.operations import CoreOp
from app.review_workspace.call_loading import CallLoading
from app.review_workspace.comments_panel import CommentEntry, CommentsPanel
from app.review_workspace.conversation_review import ConversationReview
from app.review_workspace.dialogs import ShortcutSheet
from app.review_workspace.keys import install_shortcuts
from app.review_workspace.leaving import leave_call
from app.review_workspace.message_view import MessageView
from app.review_workspace.metadata_panel import MetadataPanel
from app.review_workspace.patient_thread_panel import PatientThreadPanel
from app.review_workspace.player import Player
from app.review_workspace.queue_picker import MyQueuePicker
from app.review_workspace.review_actions import ReviewActions
from app.review_workspace.review_bars import PlaybackBar, ReviewHeader
from app.review_workspace.review_data import ReviewData, read_suggestions
from app.review_workspace.rubric_form import ScorecardForm
from app.review_workspace.talk_panel import TalkPanel
from app.review_workspace.transcript_model import TranscriptModel, mask_personal_data
from app.review_workspace.transcript_view import TranscriptView, mask_labels, personal_data_label
from app.review_workspace.waveform_data import cached_envelope
from app.review_workspace.waveform_widget import WaveformWidget, WaveMarker
from app.view_state import view_state
from review.accounts.access import REVIEW_CALLS, can
from review.analytics.stored import measure_call
from review.workspace import Workspace

SPLITTER_KEY = "review/splitter"


class ReviewWindow(CallLoading, ConversationReview, QWidget):
    """One call under review. `queue`: call ids to step through with Previous/Next (Alt+←/→); `from_my_queue`:
    step through the user's queue of session calls instead. `mask_personal_data`: hide phones, cards... on
    screen (None: the user's setting). `review_session_id`: score the call for that session. `call_id` None: no call
    yet (the main window builds one ahead and shows each call in it, see `open_call`)."""

    call_loaded = Signal(int)
    suggestions_shown = Signal(int)  # the call's suggested answers are on the form
    evaluation_submitted = Signal(int)

    def __init__(self, ws: Workspace, call_id: int | None, queue: list[int] | None = None, parent=None, *,
                 review_session_id: int | None = None, mask_personal_data: bool | None = None,
                 from_my_queue: bool = False) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, ws.actor
        self._init_loading(queue, from_my_queue)
        self.mask_personal_data = self.ws.settings.mask_personal_data if mask_personal_data is None \
            else mask_personal_data
        self.lang = interface_language()
        self._anchor: tuple[int, int] | None = None
        self.background_tasks: list[BackgroundTask] = []  # running; waited for on close
        self._closed = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.player = Player(self)
        self.actions = ReviewActions(self)
        self._build()
        self._connect()
        self.typing_guard = install_shortcuts(self)
        self._on_playing(False)
        if call_id is not None:  # None: built ahead, for the first call `open_call` shows
            self.load_call(call_id, review_session_id)

    # ================================================================== layout
    def _build(self) -> None:
        self.queue_picker = MyQueuePicker()
        self.header = ReviewHeader(self.queue_picker)
        self.playback = PlaybackBar()
        # The widgets the rest of the screen (and its tests) reach directly.
        for bar, names in ((self.header, ("prev_button", "next_button", "queue_label", "title", "subtitle",
                                          "help_button", "thanked_button")),
                           (self.playback, ("play_button", "back_button", "forward_button", "speed_button",
                                            "time_label", "audio_status", "excerpt_button"))):
            for name in names:
                setattr(self, name, getattr(bar, name))
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        # Its room is kept while hidden and is two lines whatever it says: a message never pushes the player.
        policy = self.banner.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.banner.setSizePolicy(policy)
        self.banner.setFixedHeight(2 * self.banner.fontMetrics().lineSpacing() + 14)
        self.banner.hide()
        # A chat or e-mail thread, in the banner's room while no message is shown there (its messages have no
        # player above them): who wrote and how fast the clinic replied.
        self.conversation_line = QLabel()
        self.conversation_line.setObjectName("mutedLabel")
        self.conversation_line.setWordWrap(True)
        self.conversation_line.setStyleSheet("padding: 6px 10px;")
        self.conversation_line.setFixedHeight(self.banner.height())
        self.conversation_line.hide()
        self.waveform = WaveformWidget()

        self.model = TranscriptModel(self)
        self.transcript = TranscriptView()
        self.transcript.setModel(self.model)
        self.transcript_empty = QLabel()
        self.transcript_empty.setObjectName("mutedLabel")
        self.transcript_empty.setWordWrap(True)
        self.transcript_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.speakers_note = QLabel()  # a one-channel call: who is who was inferred, and how sure it is
        self.speakers_note.setObjectName("mutedLabel")
        self.speakers_note.setWordWrap(True)
        self.speakers_note.hide()
        self.comment_entry = CommentEntry()
        self.messages = MessageView()  # a chat's or e-mail thread's, in place of the player and transcript
        self.messages.hide()
        self.comment_message_id: int | None = None  # the message the open comment bar is on
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.transcript_empty)
        left_layout.addWidget(self.speakers_note)
        left_layout.addWidget(self.transcript, 1)
        left_layout.addWidget(self.messages, 1)
        left_layout.addWidget(self.comment_entry)

        self.form = ScorecardForm()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("mutedLabel")
        self.submit_button = QPushButton(self.tr("Submit  Ctrl+Enter"))
        self.submit_button.setObjectName("primaryButton")
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        for button in (self.submit_button, self.reopen_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        actions = QHBoxLayout()
        actions.addWidget(self.saved_label, 1)
        actions.addWidget(self.reopen_button)
        actions.addWidget(self.submit_button)
        scorecard = QWidget()
        score_layout = QVBoxLayout(scorecard)
        score_layout.setContentsMargins(0, 6, 0, 0)
        score_layout.addWidget(self.form, 1)
        score_layout.addLayout(actions)
        self.comments = CommentsPanel()
        self.metadata = MetadataPanel()
        self.thread = PatientThreadPanel()
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.metadata)
        details_layout.addWidget(self.thread, 1)
        self.tabs = QTabWidget()
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(scorecard, self.tr("Scorecard"))
        self.tabs.addTab(self.comments, self.tr("Comments"))
        self.details_tab = details  # "Conversation details" on a chat or an e-mail thread
        self.tabs.addTab(details, self.tr("Call details"))
        self.talk = TalkPanel()
        self.tabs.addTab(self.talk, self.tr("Talk"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)
        state = view_state().value(SPLITTER_KEY)
        if state is not None:
            self.splitter.restoreState(state)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.conversation_line)
        layout.addWidget(self.playback)
        layout.addWidget(self.waveform)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        player = self.player
        player.position_changed.connect(self._on_position)
        player.playing_changed.connect(self._on_playing)
        player.rate_changed.connect(lambda rate: self.speed_button.setText(f"{rate:g}×"))
        player.status_changed.connect(self._on_audio_status)
        self._on_audio_status(player.status_text)  # it may have spoken before anyone listened
        self.play_button.clicked.connect(player.toggle)
        self.back_button.clicked.connect(lambda: player.skip(-5))
        self.forward_button.clicked.connect(lambda: player.skip(5))
        self.speed_button.clicked.connect(lambda: player.set_rate(player.rate + 0.25 if player.rate < 2 else 0.75))
        self.waveform.seek_requested.connect(player.seek)
        self.waveform.marker_clicked.connect(self._show_comment)
        self.talk.seek_requested.connect(self._jump_to)
        self.transcript.word_clicked.connect(self._on_word_clicked)
        actions = self.actions
        self.form.answer_chosen.connect(actions.save_answer)
        self.form.play_requested.connect(self._play_evidence)
        self.form.comment_edited.connect(actions.save_answer_comment)
        self.form.comment_typed.connect(self._show_unsaved)
        self.comment_entry.text.textEdited.connect(self._show_unsaved)
        self.comment_entry.submitted.connect(actions.save_comment)
        self.comment_entry.closed.connect(self.form.focus_current)
        self.comments.comment_activated.connect(self._comment_activated)
        self.comments.delete_requested.connect(actions.remove_comment)
        self.comments.add_requested.connect(self.start_comment)
        self.metadata.save_requested.connect(actions.save_metadata)
        self.thread.call_activated.connect(self.load_call)
        self.submit_button.clicked.connect(actions.submit_evaluation)
        self.reopen_button.clicked.connect(actions.request_reopen)
        self.thanked_button.toggled.connect(actions.set_thanked)
        self.excerpt_button.clicked.connect(actions.open_excerpt_dialog)
        self.help_button.clicked.connect(self.show_shortcuts)
        self.prev_button.clicked.connect(lambda: self.step_queue(-1))
        self.next_button.clicked.connect(lambda: self.step_queue(1))
        self.queue_picker.call_chosen.connect(self.open_from_my_queue)
        self.evaluation_submitted.connect(lambda _id: self.actions.refresh_queue())
        self.splitter.splitterMoved.connect(lambda *_: view_state().setValue(SPLITTER_KEY, self.splitter.saveState()))

    # ================================================================== showing the call read
    def _fill(self, data: ReviewData, kept: dict[str, str]) -> None:
        call_id, call = data.call.id, data.call
        self._loaded(data, kept)
        # The date sits in the subtitle: the header's buttons leave the title about 400 px at 1366 wide.
        self.title.setText(data.operator_name or self.tr("Unknown operator"))
        self.title.setToolTip(self.title.text())
        if not self.show_conversation(data):  # a chat or e-mail shows its messages instead of player and transcript
            self.subtitle.setText(" · ".join([format_datetime(call.started_at) if call.started_at
                                              else self.tr("date unknown"), direction_label(call.direction),
                                              call_kind_label(call.call_kind), format_duration(call.duration_s)]))
            self.waveform.set_call(call.duration_s, call.channels, call.operator_channel)
            self.player.load(call.path, call.duration_s)
            self._show_transcript(data)
        self.metadata.set_call(call, data.operator_names, data.may_edit_metadata)
        self.thread.set_thread(data.thread, self.mask_personal_data)
        self.header.show_thanked(call.thanked)
        self.thanked_button.setEnabled(can(self.actor, REVIEW_CALLS))
        self.thanked_button.setVisible(can(self.actor, REVIEW_CALLS) or call.thanked)
        self.excerpt_button.setVisible(data.may_export)
        self._show_evaluation()
        self._load_suggestions(call_id)
        for question_id, text in kept.items():
            if data.rubric is not None and any(c.question.id == question_id for c in self.form.cards):
                self.form.card(question_id).comment.setText(text)
        self.show_comments(data.comments)
        if not data.written:  # after the first paint: decoding a long call must not hold up the screen appearing
            QTimer.singleShot(30, self, lambda: self._load_envelope(call.path, call.sha256, call.id))
        self.hide_banner()
        if data.evaluation_kind == "self":
            self.show_banner(self.tr("Self-review: your answers are stored as your own evaluation of this call. The "
                                     "supervisor's answers stay hidden until both of you have submitted."))
        elif data.no_evaluation_reason:
            self.show_banner(self.tr("You can listen and read this call, but not score it: {0}").format(
                error_text(data.no_evaluation_reason)))
        elif data.review_session_id is not None and not data.submitted:
            self.show_banner((self.tr("This conversation is part of review session #{0}: your evaluation counts "
                                      "for it.") if data.written else
                              self.tr("This call is part of review session #{0}: your evaluation counts for "
                                      "it.")).format(data.review_session_id))
        self.setFocus()
        self.form.focus_current()
        self._after_shown()
        self.call_loaded.emit(call_id)

    def conversation_figures(self, call) -> list[str]:
        """A chat's figures for the subtitle (here, so they are translated in this screen's context)."""
        count = call.message_count or 0
        return [counted(self.tr("%n message(s)", "", count), count)]

    def conversation_summary(self, call, items) -> str:
        """The line above a chat's messages: its people, then how fast the clinic replied."""
        def names(role: str) -> str:
            return ", ".join(dict.fromkeys(i.author for i in items if i.role == role and i.author))

        parts = [self.tr("Patient: {0}").format(names("patient") or "—"),
                 self.tr("the clinic: {0}").format(names("operator") or "—")]
        if call.first_response_s is not None:
            parts.append(self.tr("first reply after {0}, the longest wait {1} (working time)").format(
                format_wait(call.first_response_s), format_wait(call.longest_wait_s)))
        else:
            parts.append(self.tr("no reply from the clinic"))
        return " · ".join(parts)

    def _load_suggestions(self, call_id: int) -> None:
        rubric = self.data.rubric
        if rubric is None:
            return

        def show(found) -> None:
            if self.data is not None and self.data.call.id == call_id and self.data.rubric is rubric:
                self.form.set_suggestions(found, done=lambda: self.suggestions_shown.emit(call_id))

        CoreOp(self, self.ws, lambda ws: read_suggestions(ws, call_id, rubric),
               key=("suggestions", id(self))).success(show).run_in_background()

    def _play_evidence(self, start: float, _end: float) -> None:
        self._jump_to(max(0.0, start - 0.3))  # a breath before the words, so their first sound is heard
        self.player.play()

    def _show_transcript(self, data: ReviewData) -> None:
        turns = data.turns
        if self.mask_personal_data:
            turns = mask_personal_data(turns, data.personal_data, mask_labels())
        self.model.set_turns(turns)
        self.waveform.set_personal_data([(s.start_s, s.end_s, personal_data_label(s.kind))
                                         for s in data.personal_data] if self.mask_personal_data else [])
        self.transcript_empty.setText(self.tr("No transcript yet: the call is waiting for transcription. You can "
                                              "still listen and score it."))
        self.transcript_empty.setVisible(not turns)
        inferred = bool(turns and data.hearing and data.hearing.speakers_inferred)
        self.speakers_note.setText(self.tr("Speakers: {0}").format(speakers_text(data.hearing)) if inferred else "")
        self.speakers_note.setVisible(inferred)
        self.show_analytics(data.analytics)

    def _show_evaluation(self) -> None:
        data = self.data
        if data.rubric is None:
            self.tabs.setTabEnabled(0, False)
            self.tabs.setCurrentIndex(1)
            return
        self.tabs.setTabEnabled(0, True)
        self.tabs.setCurrentIndex(0)
        self.form.set_rubric(data.rubric, data.rubric_kind, self.lang)
        self.form.set_answers(data.answers)
        self.refresh_status()
        self.comment_entry.set_questions([(q.id, f"{n}. {q.text.get(self.lang)}") for n, q in
                                          enumerate((c.question for c in self.form.cards), 1)])

    def refresh_status(self) -> None:
        data = self.data
        status = self.tr("Submitted") if data.submitted else \
            self.tr("Draft") if data.evaluation_id is not None else self.tr("Not started")
        if data.evaluation_kind == "self":
            status = self.tr("Self-review · {0}").format(status)
        self.form.set_score(data.score, status, data.submitted)
        self.form.set_read_only(data.submitted)
        self.submit_button.setVisible(not data.submitted)
        self.reopen_button.setVisible(data.submitted)
        # The footer tells this call's state, never a message left from the call shown before.
        if data.submitted:
            self.saved_label.setText(self.tr("Submitted {0}").format(
                format_datetime(data.submitted_at) if data.submitted_at else ""))
        elif data.evaluation_id is not None:
            self.saved_label.setText(self.tr("Draft: every answer is saved as it is given"))
        else:
            self.saved_label.setText(self.tr("Not started: nothing is stored until you answer or comment"))

    def _show_unsaved(self, *_args) -> None:
        self.saved_label.setText(self.tr("Comment not saved yet: Enter saves it (so does moving on)"))

    def _load_envelope(self, path: str, sha256: str, call_id: int) -> None:
        # Decoding a long call takes a moment the first time; the screen is usable meanwhile.
        if self.data is None or self.data.call.id != call_id or self._closed:
            return  # another call is showing, or the window closed before this timer fired
        task = BackgroundTask(lambda _progress, _cancelled: cached_envelope(path, sha256), self)
        task.succeeded.connect(lambda env: self.data and self.data.call.id == call_id and
                               self._envelope_loaded(env))
        task.failed.connect(lambda text: self.waveform.set_message(self.tr("No waveform: {0}").format(text)))
        self.run_in_background(task)

    def _envelope_loaded(self, env) -> None:
        self.waveform.set_envelope(env)
        if self.data.analytics is None and self.data.turns:  # transcribed before analytics: measure it now
            db, actor, call_id = self.ws.db, self.actor, self.data.call.id
            task = BackgroundTask(lambda _progress, _cancelled: measure_call(db, actor, call_id, env), self)
            task.succeeded.connect(lambda found: self.data and self.data.call.id == call_id and
                                   self.show_analytics(found))
            self.run_in_background(task)

    def show_analytics(self, found) -> None:
        if self.data is None:
            return
        self.data.analytics = found
        self.talk.show_analytics(found)
        self.waveform.set_stretches(list(found.stretches) if found is not None else None)

    # ================================================================== leaving a call
    def leave_call(self) -> bool:
        """Save what is being typed before another call is shown or the screen closes (see leaving.py); False
        when the reviewer chose to stay."""
        return leave_call(self)

    # ================================================================== playback and transcript
    def _on_position(self, seconds: float) -> None:
        self.waveform.set_position(seconds)
        before = self.model.current[0]
        row, _word = self.model.set_position(seconds)
        if row != before and self.player.is_playing():
            self.transcript.follow(row)
        self.time_label.setText(f"{format_duration(seconds)} / {format_duration(self.player.duration_s)}")

    def _on_playing(self, playing: bool) -> None:
        self.playback.show_playing(playing)

    def _on_audio_status(self, text: str) -> None:
        self.audio_status.setText(text)
        self.audio_status.setVisible(bool(text))

    def _on_word_clicked(self, seconds: float, row: int, word: int, extend: bool) -> None:
        if extend and self._anchor is not None:
            self.model.set_selection(self._anchor, (row, word))
        else:
            self._anchor = (row, word)
            self.model.set_selection(None)
        self.player.seek(seconds)

    def _jump_to(self, seconds: float) -> None:
        if self.data is not None and self.data.written:
            self.go_to(seconds)
            return
        self.player.seek(seconds)
        self.transcript.set_following(True)
        self.transcript.follow(self.model.current[0])

    def _show_comment(self, comment_id: int) -> None:
        self.tabs.setCurrentWidget(self.comments)
        self.comments.select(comment_id)

    # ================================================================== comments
    def start_comment(self) -> None:
        if self.data is None:
            return
        question = self.form.current_question
        if self.data.written:
            self.start_message_comment(question.id if question else None)
            return
        self.comment_message_id = None
        span = self.model.selection_times()
        at, end = span if span else (self.player.position(), None)
        self.comment_entry.open_at(at, end, question.id if question else None)

    def show_comments(self, rows) -> None:
        self.data.comments = rows
        self.comments.set_comments(rows, self.message_comments(rows))
        self.waveform.set_markers([WaveMarker(r.id, r.at_s, r.end_s, r.text) for r in rows])
        self.model.set_comment_times(r.at_s for r in rows)
        title = self.tr("Comments ({0})").format(len(rows)) if rows else self.tr("Comments")
        self.tabs.setTabText(self.tabs.indexOf(self.comments), title)

    # ================================================================== messages and keys
    def show_banner(self, text: str, error: bool = False) -> None:
        self.banner.setProperty("error", error)
        self.banner.setStyleSheet("border-radius: 4px; padding: 6px 10px; " + (
            "background: #fde2e2; color: #8e1616;" if error else "background: #e3f4f4; color: #0b3b3b;"))
        self.banner.setText(text)
        self.banner.setToolTip(text)  # all of it, should it pass two lines
        self.conversation_line.hide()
        self.banner.show()

    def hide_banner(self, errors_only: bool = False) -> None:
        if not errors_only or self.banner.property("error"):
            self.banner.hide()
            self.conversation_line.setVisible(bool(self.conversation_line.text()))

    def show_shortcuts(self) -> None:
        self.shortcut_sheet = ShortcutSheet(self)
        self.shortcut_sheet.open()

    def keyPressEvent(self, event) -> None:
        # Reached when the focused child did not use the key; a line edit passes Enter on after saving its text.
        typing = isinstance(QApplication.focusWidget(), QLineEdit | QPlainTextEdit)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() and not typing:
            self.form.focus_comment()
        elif event.key() == Qt.Key.Key_Escape:
            self.setFocus()
        else:
            super().keyPressEvent(event)

    def showEvent(self, event) -> None:
        self._closed = False  # shown again after a close: load waveforms again
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        # Another page of the main window: the typed text is saved (the screen, kept, still shows it).
        if self.data is not None and not self._closed:
            self.form.commit_typing()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        if not self._closed and not self.leave_call():
            event.ignore()
            return
        view_state().setValue(SPLITTER_KEY, self.splitter.saveState())
        self.player.stop()
        self._closed = True
        deadline = time.monotonic() + 10
        # Let the changes asked for be stored, and a running task (envelope, excerpt) finish; their results
        # still need this thread's events.
        while (self.actions.ops.busy() or any(task.is_running() for task in self.background_tasks)) \
                and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
            QThread.msleep(5)
        super().closeEvent(event)

    def run_in_background(self, task: BackgroundTask) -> None:
        """Start `task`, keeping it until its thread has finished (an earlier call's envelope may still load)."""
        self.background_tasks.append(task)
        task.finished.connect(lambda: task in self.background_tasks and self.background_tasks.remove(task))
        task.start()
