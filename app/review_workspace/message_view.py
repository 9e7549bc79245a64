"""The messages of a chat or e-mail thread as bubbles: the patient's on the left, the operator's on the right,
the service's notices in the middle; author and time on each, the wait before each reply above it. A click (or
J/L) makes a message current: C then comments on it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.i18n import counted
from app.labels import format_datetime, format_wait
from app.review_workspace.message_items import MessageItem

_BUBBLE = {"patient": "#ffffff", "operator": "#e3f4f4", "system": "#f1f3f5"}
_CURRENT = "#0b7a75"


def _label(text: str, name: str | None = None, *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText if not rich else Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class MessageBubble(QFrame):
    clicked = Signal(int)  # index

    def __init__(self, index: int, item: MessageItem, parent=None) -> None:
        super().__init__(parent)
        self.index, self.item = index, item
        self.setObjectName("messageBubble")
        self.setMaximumWidth(640)
        self.comments = QLabel()
        self.comments.setStyleSheet("color: #8a5a00; font-weight: 600;")
        self.comments.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(3)
        head = QHBoxLayout()
        author = QLabel(self.tr("Notice") if item.role == "system" else item.author or "—")
        author.setStyleSheet("font-weight: 600; color: #0b3b3b;" if item.role == "operator" else "font-weight: 600;")
        when = QLabel(format_datetime(item.sent_at))
        when.setObjectName("mutedLabel")
        head.addWidget(author)
        head.addStretch(1)
        head.addWidget(self.comments)
        head.addWidget(when)
        layout.addLayout(head)
        if item.subject and item.role != "system":
            subject = _label(item.subject)
            subject.setStyleSheet("font-style: italic;")
            layout.addWidget(subject)
        self.text = _label(item.text or "—")
        if item.kind == "media":
            self.text.setStyleSheet("color: #52606d; font-style: italic;")
        layout.addWidget(self.text)
        for name in item.attachments:
            attachment = _label(self.tr("Attachment: {0}").format(name), "mutedLabel")
            layout.addWidget(attachment)
        for part, title in ((item.signature, self.tr("Signature")), (item.quoted, self.tr("Quoted earlier mail"))):
            if part:
                layout.addWidget(self._folded(part, title))
        if item.masked:
            layout.addWidget(_label(self.tr("Personal data hidden: %n", "", item.masked), "mutedLabel"))
        self.set_current(False)

    def _folded(self, text: str, title: str) -> QWidget:
        """A quotation or signature, shown on demand: kept with the message, apart from what was written anew."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        lines = text.count("\n") + 1
        size = counted(self.tr("%n line(s)", "", lines), lines)
        toggle = QPushButton(f"▸ {title} ({size})")
        toggle.setFlat(True)
        toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        toggle.setStyleSheet("QPushButton { text-align: left; color: #52606d; padding: 0; border: none; "
                             "background: transparent; }")
        body = _label(text)
        body.setStyleSheet("color: #52606d; border-left: 3px solid #cbd2d9; padding-left: 6px;")
        body.hide()

        def flip() -> None:
            body.setVisible(not body.isVisible())
            toggle.setText(("▾ " if body.isVisible() else "▸ ") + toggle.text()[2:])

        toggle.clicked.connect(flip)
        layout.addWidget(toggle)
        layout.addWidget(body)
        return box

    def set_current(self, current: bool) -> None:
        border = f"2px solid {_CURRENT}" if current else "1px solid #d9e2ec"
        self.setStyleSheet(f"#messageBubble {{ background: {_BUBBLE.get(self.item.role, '#fff')}; "
                           f"border: {border}; border-radius: 8px; }}")

    def set_comment_count(self, count: int) -> None:
        self.comments.setText(counted(self.tr("%n comment(s)", "", count), count))
        self.comments.setVisible(count > 0)

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.index)
        super().mousePressEvent(event)


class MessageView(QScrollArea):
    """The conversation, one bubble per message; `current` is the message C comments on."""

    current_changed = Signal(int)  # index

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the review screen
        self.setObjectName("messageView")
        self.items: list[MessageItem] = []
        self.bubbles: list[MessageBubble] = []
        self.current = -1
        self._set_content(QWidget())

    def _set_content(self, content: QWidget) -> None:
        content.setObjectName("messageList")
        self.setWidget(content)

    def set_items(self, items: list[MessageItem]) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        self.items, self.bubbles, self.current = list(items), [], -1
        answered = [i.wait_s for i in items if i.wait_s is not None]
        longest = max(answered) if answered else None
        for index, item in enumerate(items):
            if item.role == "operator" and item.wait_s is not None:
                wait = QLabel(self.tr("Replied after {0} of working time").format(format_wait(item.wait_s)))
                wait.setAlignment(Qt.AlignmentFlag.AlignRight)
                wait.setWordWrap(True)  # "— the longest wait" in Russian is wider than a 1366 screen's pane
                longest_one = item.wait_s == longest and len(answered) > 1
                wait.setStyleSheet("color: #b42318; font-weight: 600;" if longest_one else "color: #52606d;")
                if longest_one:
                    wait.setText(self.tr("Replied after {0} of working time — the longest wait").format(
                        format_wait(item.wait_s)))
                layout.addWidget(wait)
            bubble = MessageBubble(index, item)
            bubble.clicked.connect(self.set_current)
            row = QHBoxLayout()
            if item.role == "operator":
                row.addStretch(1)
                row.addWidget(bubble, 4)
            elif item.role == "system":
                row.addStretch(1)
                row.addWidget(bubble, 4)
                row.addStretch(1)
            else:
                row.addWidget(bubble, 4)
                row.addStretch(1)
            layout.addLayout(row)
            self.bubbles.append(bubble)
        layout.addStretch(1)
        self._set_content(content)
        if items:
            self.set_current(0)

    def set_current(self, index: int) -> None:
        if not 0 <= index < len(self.bubbles):
            return
        if 0 <= self.current < len(self.bubbles):
            self.bubbles[self.current].set_current(False)
        self.current = index
        self.bubbles[index].set_current(True)
        # After layout: a bubble just built has no geometry yet.
        QTimer.singleShot(0, self, lambda b=self.bubbles[index]: self.ensureWidgetVisible(b, 0, 40))
        self.current_changed.emit(index)

    def step(self, delta: int) -> None:
        self.set_current(max(0, min(len(self.bubbles) - 1, self.current + delta)))

    def current_item(self) -> MessageItem | None:
        return self.items[self.current] if 0 <= self.current < len(self.items) else None

    def index_of(self, message_id: int) -> int | None:
        return next((i for i, item in enumerate(self.items) if item.id == message_id), None)

    def set_comment_counts(self, counts: dict[int, int]) -> None:
        for bubble in self.bubbles:
            bubble.set_comment_count(counts.get(bubble.item.id, 0))
