"""The review screen's part for chats and e-mail threads: the message view in place of the player and the
transcript, the keys that step through messages, comments anchored to a message. Mixed into ReviewWindow."""

from __future__ import annotations

from app.labels import call_kind_label, channel_label, format_datetime, format_day_month
from app.review_workspace.message_items import MessageItem, mask_items, nearest_item, reflowed, with_authors
from app.review_workspace.transcript_view import mask_labels


def message_label(item: MessageItem) -> str:
    """How a comment names its message: who wrote it, when."""
    return f"{item.author or '—'}, {format_day_month(item.sent_at) + item.sent_at.strftime(' %H:%M')}"


class ConversationReview:
    """Methods of ReviewWindow (which holds `data`, `messages`, `player`, `comment_entry`...) for written channels."""

    def show_conversation(self, data) -> bool:
        """Show the messages when the interaction is written (True), or the player and transcript (False)."""
        written = data.written
        for widget in (self.playback, self.waveform, self.transcript):
            widget.setVisible(not written)
        self.messages.setVisible(written)
        self.comments.set_written(written)
        # Talk figures measure a recording: a chat has none (and must not keep the previous call's).
        self.tabs.setTabVisible(self.tabs.indexOf(self.talk), not written)
        self.tabs.setTabText(self.tabs.indexOf(self.details_tab),
                             self.tr("Conversation details") if written else self.tr("Call details"))
        # A chat's summary line takes the banner's room while no message is shown; a call keeps the room empty.
        policy = self.banner.sizePolicy()
        policy.setRetainSizeWhenHidden(not written)
        self.banner.setSizePolicy(policy)
        if not written:
            self.conversation_line.clear()
            self.conversation_line.hide()
            return False
        call = data.call
        when = format_datetime(call.started_at) if call.started_at else ""
        parts = [when, channel_label(call.channel_kind)] + ([call_kind_label(call.call_kind)] if call.call_kind else [])
        self.subtitle.setText(" · ".join(p for p in parts + self.conversation_figures(call) if p))
        self.transcript_empty.hide()
        items = with_authors(data.messages, call.operator_name, self.tr("Clinic"), self.tr("Patient"))
        if call.channel_kind == "email":  # a chat's line breaks are the writer's; a mail's, its program's
            items = reflowed(items)
        self.messages.set_items(mask_items(items, mask_labels()) if self.mask_personal_data else items)
        self.conversation_line.setText(self.conversation_summary(call, data.messages))
        self.conversation_line.setToolTip(self.conversation_line.text())
        self.show_analytics(None)
        return True

    def go_to(self, seconds: float) -> None:
        """Show the moment of a call (the playhead there), or the message of a chat written then."""
        if self.data is None:  # still being read: once it is shown
            self._go_to_after_load = seconds
        elif self.data.written:
            self.messages.set_current(nearest_item(self.messages.items, seconds))
        elif seconds:
            self.player.seek(seconds)

    def skip(self, direction: int) -> None:
        """J / L: five seconds back or on in a call; the previous or next message in a chat."""
        if self.data is not None and self.data.written:
            self.messages.step(direction)
        else:
            self.player.skip(5 * direction)

    def toggle_playing(self) -> None:
        if self.data is None or not self.data.written:
            self.player.toggle()

    def start_message_comment(self, question_id: str | None) -> None:
        """C in a chat: the comment bar opens on the current message."""
        item = self.messages.current_item()
        if item is None:
            return
        self.comment_message_id = item.id
        self.comment_entry.open_at(item.offset_s, None, question_id, message=message_label(item))

    def message_comments(self, rows) -> dict[int, str] | None:
        """Each commented message counts its comments; returns how the comment list names the messages."""
        if not self.data.written:
            return None
        counts: dict[int, int] = {}
        for row in rows:
            if row.message_id is not None:
                counts[row.message_id] = counts.get(row.message_id, 0) + 1
        self.messages.set_comment_counts(counts)
        return {item.id: message_label(item) for item in self.messages.items}

    def _comment_activated(self, comment_id: int, at_s: float) -> None:
        row = next((r for r in self.data.comments if r.id == comment_id), None) if self.data else None
        index = self.messages.index_of(row.message_id) if row is not None and row.message_id else None
        if index is not None:
            self.messages.set_current(index)
        else:
            self._jump_to(at_s)
