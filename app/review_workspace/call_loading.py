"""Which call the review screen shows: opening one (one window serves every call the main window opens), reading it
off the GUI thread with stale answers dropped, the greyed state meanwhile, and stepping through the queue."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.review_workspace.ordered_ops import Step
from app.review_workspace.review_data import ReviewData, load_review


class CallLoading:
    """Methods of ReviewWindow (which holds `data`, `form`, `actions`, `queue_picker`...) for choosing its call.

    `call_id` is the call shown or being loaded (where ‹ and › step from); `data` is None while a call other than
    the one shown loads; `_shown_before` is shown again when the next call cannot be read."""

    def _init_loading(self, queue: list[int] | None, from_my_queue: bool) -> None:
        self.queue = list(queue or [])
        self.queue_sessions: dict[int, int] = {}  # call id -> session, while stepping through "my queue"
        self.data: ReviewData | None = None
        self.call_id: int | None = None
        self._shown_before: ReviewData | None = None
        self._load_token: object | None = None
        self._take_my_queue = from_my_queue
        self._go_to_after_load: float | None = None

    def open_call(self, call_id: int, *, queue: list[int] | None = None, from_my_queue: bool = False,
                  review_session_id: int | None = None, at_s: float = 0.0) -> bool:
        """Show `call_id` with a new list to step through (`queue`, or the user's own queue of session calls with
        `from_my_queue`), at `at_s`. What is being typed on the call shown is saved first; False when the reviewer
        chose to stay with it."""
        if self.call_id != call_id and not self.leave_call():
            return False
        self.queue, self.queue_sessions, self._take_my_queue = list(queue or []), {}, from_my_queue
        self._go_to_after_load = None
        self._load(call_id, review_session_id, left=True)
        if at_s:
            self.go_to(at_s)
        return True

    def load_call(self, call_id: int, review_session_id: int | None = None) -> None:
        """Show another call (from the queue), or the same one again; what is being typed is saved first, or
        the reviewer is asked (see `leave_call`). The call is read off the GUI thread (after the changes
        asked before it are stored); meanwhile the screen shows it is loading, and an answer that comes back
        after the reviewer moved on is dropped."""
        self._load(call_id, review_session_id, left=False)

    def _load(self, call_id: int, review_session_id: int | None, left: bool) -> None:
        same = self.call_id == call_id and self.data is not None
        kept: dict[str, str] = {}
        if same:  # reloaded after an edit of its details: keep what was typed
            self.form.commit_typing()
            kept = dict(self.actions.pending_comments)
        elif not left and not self.leave_call():
            return
        self.player.stop()
        if self.data is not None:
            self._shown_before = self.data
        if not same:  # the same call again keeps its data shown (greyed: no input goes to it meanwhile)
            self.data = None
        self.call_id = call_id
        token = self._load_token = object()
        self._show_loading(True)
        session_id = review_session_id or self.queue_sessions.get(call_id)
        lang, masked = self.lang, self.mask_personal_data

        def filled(data: ReviewData) -> None:
            if token is not self._load_token:
                return
            if data.rubric is None:
                self._fill(data, kept)
                return
            # The cards are built a few at a time between events (20 cards hold the loop up for a tenth of a
            # second); the call is shown once they are all there.
            self.form.prepare(data.rubric, data.rubric_kind, self.lang,
                              lambda: token is self._load_token and self._fill(data, kept))

        def refused(text: str) -> None:
            if token is self._load_token:
                self._load_refused(text)

        self.actions.ops.add(lambda: Step(lambda ws: load_review(ws, call_id, lang, session_id, masked),
                                          filled, refused), kind="load")

    def loading(self) -> bool:
        """A call is being read (the screen shows the one before, greyed, or nothing yet)."""
        return self._load_token is not None

    def _show_loading(self, loading: bool) -> None:
        # Greyed in place, nothing hidden or resized: the screen does not jump when the call arrives.
        self.splitter.setEnabled(not loading)
        self.playback.setEnabled(not loading)
        if loading:
            self.saved_label.setText(QCoreApplication.translate("ReviewWindow", "Loading the call…"))
            if self._shown_before is None:
                self.subtitle.setText(QCoreApplication.translate("ReviewWindow", "Loading…"))

    def _load_refused(self, text: str) -> None:
        self._load_token = None
        previous, self._shown_before = self._shown_before, None
        if previous is not None:  # the call shown before stays, usable
            self.data, self.call_id = previous, previous.call.id
            self.refresh_status()
        else:
            self.subtitle.setText("")
            self.saved_label.setText("")
        self._show_loading(False)
        self.splitter.setEnabled(previous is not None)
        self.show_banner(text, error=True)

    def _loaded(self, data: ReviewData, kept: dict[str, str]) -> None:
        """The call read has arrived and is about to be shown: the loading state ends, the queue follows it."""
        self._load_token, self._shown_before = None, None
        self._show_loading(False)
        self.data, self.actions.pending_comments, self._anchor = data, kept, None
        self.queue_picker.show_items(data.queue, data.call.id)
        if self._take_my_queue:  # opened from "My queue": step through it
            self._take_my_queue = False
            self._use_my_queue()
        self._update_queue(data.call.id)

    def _after_shown(self) -> None:
        if self._go_to_after_load is not None:  # e.g. a search hit: the moment it was found at
            self.go_to(self._go_to_after_load)
            self._go_to_after_load = None

    # ------------------------------------------------------------------ queues
    def _use_my_queue(self) -> None:
        self.queue = self.queue_picker.call_ids()
        self.queue_sessions = {item.call_id: item.session_id for item in self.queue_picker.items}

    def open_from_my_queue(self, call_id: int) -> None:
        """Step through the user's queue of session calls from here on, starting with `call_id`."""
        if not self.leave_call():
            self.queue_picker.mark_current(self.call_id)
            return
        self._use_my_queue()
        self._load(call_id, None, left=True)

    def _update_queue(self, call_id: int) -> None:
        inside = call_id in self.queue
        for widget in (self.prev_button, self.next_button, self.queue_label):
            widget.setVisible(len(self.queue) > 1 or (bool(self.queue_sessions) and inside))
        if inside:
            position = self.queue.index(call_id)
            counter = QCoreApplication.translate("ReviewWindow", "{0} of {1}").format(position + 1, len(self.queue))
            self.queue_label.setText(QCoreApplication.translate("ReviewWindow", "My queue: {0}").format(counter)
                                     if self.queue_sessions else counter)
            # Which list ‹ and › walk, so it is not taken for "My queue" beside it.
            self.queue_label.setToolTip(
                QCoreApplication.translate("ReviewWindow", "Calls of my queue; ‹ and › (Alt+←/→) go through them")
                if self.queue_sessions else QCoreApplication.translate(
                    "ReviewWindow", "Calls of the list this call was opened from; ‹ and › (Alt+←/→) go through them"))
            self.prev_button.setEnabled(position > 0)
            self.next_button.setEnabled(position < len(self.queue) - 1)
        self.queue_picker.mark_current(call_id)

    def step_queue(self, step: int) -> None:
        if self.call_id not in self.queue:
            return
        position = self.queue.index(self.call_id) + step
        if 0 <= position < len(self.queue):
            self.load_call(self.queue[position])
