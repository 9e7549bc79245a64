"""The review screen's talk tab: the call's conversation figures and its silences, holds and overtalk as a list
(click one to hear it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.empty_hint import EmptyHint
from app.form_layout import FormLayout
from app.labels import format_duration
from transcription.conversation import ConversationAnalytics, Stretch


def _seconds(value: float) -> str:
    if value >= 60:
        return format_duration(value)
    number = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", QLocale().decimalPoint())  # "0,6 с" in Russian
    return QCoreApplication.translate("TalkPanel", "{0} s").format(number)


class TalkPanel(QWidget):
    seek_requested = Signal(float)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.note = QLabel()
        self.note.setObjectName("mutedLabel")
        self.note.setWordWrap(True)
        self.form = FormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        for key, label in (("operator", self.tr("Operator talk")), ("customer", self.tr("Customer talk")),
                           ("silence", self.tr("Silences")), ("hold", self.tr("Holds")),
                           ("overtalk", self.tr("Overtalk")), ("pace", self.tr("Operator's pace")),
                           ("first", self.tr("Operator's first word"))):
            value = QLabel("—")
            value.setWordWrap(True)
            self.values[key] = value
            self.form.addRow(label + ":", value)
        self.stretches = QListWidget()
        self.stretches.itemActivated.connect(self._jump)
        self.stretches.itemClicked.connect(self._jump)
        self.stretches_hint = EmptyHint(self.stretches)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 4)  # as the details tab beside it: words off the tab's edge
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(QLabel(self.tr("Silences, holds and overtalk (click to listen):")))
        layout.addWidget(self.stretches, 1)
        self.show_analytics(None)

    def show_analytics(self, found: ConversationAnalytics | None, waiting: str = "") -> None:
        self.stretches.clear()
        self.stretches_hint.set_text(self.tr(
            "No silences, holds or overtalk in this call: each one found comes here, to listen to from its "
            "start.") if found is not None else self.tr("The call's silences, holds and overtalk come here once "
                                                       "it is transcribed."))
        if found is None:
            for value in self.values.values():
                value.setText("—")
            self.note.setText(waiting or self.tr("Not measured yet: the call has no transcript."))
            return
        notes = []
        if found.speakers_inferred:
            notes.append(self.tr("A one-channel call: who is speaking was inferred from the voices, so who "
                                 "started an overtalk is not known."))
        if not found.energy_used:
            notes.append(self.tr("Measured from the transcript alone (the recording could not be read): music on "
                                 "hold is not told from quiet."))
        self.note.setText(" ".join(notes))
        share = found.operator_share
        self.values["operator"].setText(self._talk(found.operator_talk_s, share))
        self.values["customer"].setText(self._talk(found.customer_talk_s, found.customer_share))
        self.values["silence"].setText(self.tr("{0}, {1} in all, the longest {2}").format(
            found.silence_count, _seconds(found.silence_total_s), _seconds(found.silence_longest_s))
            if found.silence_count else self.tr("none"))
        hold = self.tr("{0}, {1} in all, the longest {2}").format(
            found.hold_count, _seconds(found.hold_total_s), _seconds(found.hold_longest_s)) \
            if found.hold_count else self.tr("none")
        if found.long_holds:
            hold += " · " + self.tr("too long: {0}").format(found.long_holds)
        self.values["hold"].setText(hold)
        overtalk = self.tr("{0}, {1} in all").format(found.overtalk_count, _seconds(found.overtalk_total_s)) \
            if found.overtalk_count else self.tr("none")
        if found.operator_interruptions or found.customer_interruptions:
            overtalk += " · " + self.tr("the operator started {0}, the customer {1}").format(
                found.operator_interruptions, found.customer_interruptions)
        self.values["overtalk"].setText(overtalk)
        self.values["pace"].setText(self.tr("{0} words a minute").format(round(found.operator_wpm))
                                    if found.operator_wpm else "—")
        self.values["first"].setText(_seconds(found.operator_first_word_s)
                                     if found.operator_first_word_s is not None else "—")
        for stretch in found.stretches:
            item = QListWidgetItem(self.stretch_text(stretch))
            item.setData(Qt.ItemDataRole.UserRole, stretch.start)
            self.stretches.addItem(item)

    def _talk(self, seconds: float, share: float | None) -> str:
        return _seconds(seconds) if share is None else f"{_seconds(seconds)} ({share * 100:.0f} %)"

    def stretch_text(self, stretch: Stretch) -> str:
        span = f"{format_duration(stretch.start)}–{format_duration(stretch.end)} · {_seconds(stretch.duration_s)}"
        if stretch.kind == "silence":
            return self.tr("Silence {0}").format(span)
        if stretch.kind == "hold":
            text = self.tr("Hold with music {0}").format(span) if stretch.music else self.tr("Hold {0}").format(span)
            return text + (" · " + self.tr("too long") if stretch.long else "")
        who = {"operator": self.tr("the operator spoke over the customer"),
               "customer": self.tr("the customer spoke over the operator")}.get(stretch.by or "")
        return self.tr("Overtalk {0}").format(span) + (f" · {who}" if who else "")

    def _jump(self, item: QListWidgetItem) -> None:
        self.seek_requested.emit(float(item.data(Qt.ItemDataRole.UserRole)))
