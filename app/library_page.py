"""The call library: a filter bar over a paged table, with a details pane for the selected call."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.analytics_filter import MeasureFilterBar
from app.call_table_model import COLUMNS, DEFAULT_HIDDEN, CallTableModel
from app.elided_label import ElidedLabel
from app.empty_hint import EmptyHint
from app.i18n import counted, error_text
from app.labels import (
    call_kind_codes,
    call_kind_label,
    channel_label,
    date_format,
    direction_label,
    format_datetime,
    format_duration,
    format_wait,
    hearing_labels,
    outcome_codes,
    outcome_label,
    speakers_text,
    status_label,
)
from app.library_columns import fit_library_columns
from app.operations import CoreOp, workspace_events
from app.view_state import view_state
from review import clock
from review.accounts.access import IMPORT_CALLS, RUN_SESSIONS, TRANSCRIBE, can
from review.library.call_details import CallDetails, call_details
from review.library.calls import CallFilter, list_operators
from review.models import CHANNEL_KINDS, DIRECTIONS, TRANSCRIPTION_STATES
from review.transcripts.hearing import Hearing, hearing_of, swap_speakers
from review.workspace import Workspace


def _combo(all_label: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_label, None)
    for label, value in items:
        combo.addItem(label, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumWidth(combo.sizeHint().width())  # never clip the "any …" label in a narrow window
    return combo


class CallDetailsPane(QFrame):
    open_requested = Signal(int)
    retry_requested = Signal(int)
    export_requested = Signal(int)
    speakers_swapped = Signal(int)
    shown = Signal(int)  # the details of this call are on screen

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._call_id: int | None = None
        self.setObjectName("detailsPane")
        self.title = QLabel(self.tr("No call selected"))
        self.title.setObjectName("paneTitle")
        self.title.setWordWrap(True)
        # A grid, not a QFormLayout: that one gave a wrapped value one line's height ("Итог: Только").
        self.form = QGridLayout()
        self.form.setColumnStretch(1, 1)
        self.form.setHorizontalSpacing(8)
        self.fields: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        for key, label in (("operator", self.tr("Operator")), ("started", self.tr("Date and time")),
                           ("duration", self.tr("Duration")), ("direction", self.tr("Direction")),
                           ("channel", self.tr("Channel")), ("kind", self.tr("Call kind")),
                           ("outcome", self.tr("Outcome")), ("status", self.tr("Transcript")),
                           ("audio", self.tr("Audio")), ("layout", self.tr("Channels")),
                           ("language", self.tr("Spoken language")), ("speakers", self.tr("Speakers")),
                           ("messages", self.tr("Messages")),
                           ("first_response", self.tr("First response")), ("longest_wait", self.tr("Longest wait")),
                           ("tags", self.tr("Tags")), ("file", self.tr("File"))):
            name = QLabel(label + ":")
            value = ElidedLabel("—") if key == "file" else QLabel("—")
            value.setWordWrap(key != "file")
            # The names drawn as the selectable values are: a plain label sets its words 1 px lower than one.
            for text in (name, value):
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key], self._names[key] = value, name
            row = self.form.rowCount()
            self.form.addWidget(name, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.form.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
        self.open_button = QPushButton(self.tr("Open for review"))
        self.open_button.setObjectName("primaryButton")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self._call_id and self.open_requested.emit(self._call_id))
        self.retry_button = QPushButton(self.tr("Transcribe again"))
        self.retry_button.clicked.connect(lambda: self._call_id and self.retry_requested.emit(self._call_id))
        self.export_button = QPushButton(self.tr("Export transcript…"))
        self.export_button.clicked.connect(lambda: self._call_id and self.export_requested.emit(self._call_id))
        self.swap_button = QPushButton(self.tr("Swap operator and customer"))
        self.swap_button.setToolTip(self.tr("The transcript names the speakers the other way round; "
                                            "kept when the call is transcribed again"))
        self.swap_button.clicked.connect(self._swap_speakers)
        for button in (self.retry_button, self.export_button, self.swap_button):
            button.setEnabled(False)
        secondary = QVBoxLayout()
        secondary.addWidget(self.swap_button)
        secondary.addWidget(self.retry_button)
        secondary.addWidget(self.export_button)
        # The fields scroll when the window is short: squeezed, wrapped values would be cut in half.
        fields = QWidget()
        fields_layout = QVBoxLayout(fields)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addLayout(self.form)
        fields_layout.addStretch(1)
        scroll = self._scroll = QScrollArea()
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)  # the pane's own background shows through
        fields.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addLayout(secondary)
        layout.addWidget(self.open_button)

    def show_call(self, call_id: int | None) -> None:
        same_call = call_id is not None and call_id == self._call_id
        self._call_id = call_id
        self.open_button.setEnabled(call_id is not None)
        if not same_call:  # the same call read again keeps its buttons until the fresh answer sets them
            self.retry_button.setEnabled(False)
            self.export_button.setEnabled(False)
            self.swap_button.setEnabled(False)
        if call_id is None:
            self.title.setText(self.tr("No call selected"))
            for value in self.fields.values():
                value.setText("—")
            return
        CoreOp(self, self._ws, lambda ws: _read_details(ws, call_id), key=("call details", id(self)),
               title=self.tr("Call details")).success(self._fill).run_in_background()

    def _fill(self, read: tuple[CallDetails, Hearing]) -> None:
        details, hearing = read
        if details.call_id != self._call_id:
            return  # another call was selected meanwhile
        written = details.written
        self.title.setText((self.tr("Chat #{0}") if details.channel_kind == "whatsapp" else
                            self.tr("E-mail #{0}") if written else self.tr("Call #{0}")).format(details.call_id))
        # A chat has messages and response times where a call has audio, channels and a spoken language.
        for key in ("duration", "status", "audio", "layout", "language", "speakers"):
            self.set_row_shown(key, not written)
        for key in ("messages", "first_response", "longest_wait"):
            self.set_row_shown(key, written)
        self.fields["messages"].setText(str(details.message_count or 0))
        self.fields["first_response"].setText(format_wait(details.first_response_s))
        self.fields["longest_wait"].setText(format_wait(details.longest_wait_s))
        self.fields["operator"].setText(details.operator_name or "—")
        self.fields["started"].setText(format_datetime(details.started_at, seconds=True))
        self.fields["duration"].setText(format_duration(details.duration_s))
        self.fields["direction"].setText(direction_label(details.direction, details.channel_kind))
        self.fields["channel"].setText(channel_label(details.channel_kind))
        self.fields["kind"].setText(call_kind_label(details.call_kind))
        self.fields["outcome"].setText(outcome_label(details.outcome))
        status = status_label(details.transcription_status)
        if hearing.failure is not None:
            status += f" — {error_text(hearing.failure)}"
        self.fields["status"].setText(status)
        # A written conversation has no transcript to swap, redo or export: the buttons go, not only grey out.
        for button in (self.swap_button, self.retry_button, self.export_button):
            button.setVisible(not written)
        self.retry_button.setEnabled(not written and details.transcription_status in ("failed", "done"))
        self.export_button.setEnabled(not written and details.transcription_status == "done")
        channels = (self.tr("stereo") if details.channels == 2 else self.tr("mono") if details.channels == 1
                    else str(details.channels))
        self.fields["audio"].setText(self.tr("{0}, {1} Hz, {2}").format(details.codec, details.sample_rate, channels))
        layout, language = hearing_labels(hearing)
        self.fields["layout"].setText(layout)
        self.fields["language"].setText(language)
        self.fields["speakers"].setText(speakers_text(hearing))
        self.swap_button.setEnabled(not written and details.transcription_status == "done")
        self.fields["tags"].setText(", ".join(details.tags) or "—")
        # The name fits the pane; the whole path is one hover away (long paths cannot wrap).
        self.fields["file"].setText(Path(details.path).name)
        self.fields["file"].setToolTip(details.path)
        # The scroll area sizes its widget for the texts it had: ask it again, or a wrapped value keeps one line.
        QCoreApplication.postEvent(self._scroll, QEvent(QEvent.Type.LayoutRequest))
        self.shown.emit(details.call_id)

    def set_row_shown(self, key: str, shown: bool) -> None:
        self._names[key].setVisible(shown)
        self.fields[key].setVisible(shown)

    def row_shown(self, key: str) -> bool:
        return not self.fields[key].isHidden()

    def minimumSizeHint(self) -> QSize:
        """Never narrower than its buttons' words (the Russian "swap" is the longest), nor than 265 px."""
        hint = super().minimumSizeHint()
        return QSize(max(265, hint.width()), hint.height())

    def _swap_speakers(self) -> None:
        call_id = self._call_id
        if call_id is None:
            return

        def swap(ws: Workspace) -> None:
            with ws.changing() as session:
                swap_speakers(session, ws.actor, call_id)

        def swapped(_none) -> None:
            self.show_call(call_id)
            self.speakers_swapped.emit(call_id)

        CoreOp(self, self._ws, swap, changes={"transcripts"}, title=self.tr("Swap operator and customer")).success(
            swapped).run_in_background()


def _read_details(ws: Workspace, call_id: int) -> tuple[CallDetails, Hearing]:
    with ws.reading() as session:
        return call_details(session, ws.actor, call_id), hearing_of(session, ws.actor, call_id)


def _read_operators(ws: Workspace) -> list[tuple[int, str]]:
    with ws.reading() as session:
        return [(operator.id, operator.name) for operator in list_operators(session, ws.actor)]


class LibraryPage(QWidget):
    open_call = Signal(int)
    source_layout_requested = Signal(int)  # a call of the import source whose layout is to be set
    calibration_requested = Signal(list)  # call ids to start a calibration round on
    operators_shown = Signal()  # the operator filter lists the operators the signed-in user may see

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.model = CallTableModel(ws, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by operator or file…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.operator = _combo(self.tr("All operators"), [])
        self.direction = _combo(self.tr("Any direction"), [(direction_label(d), d) for d in DIRECTIONS])
        self.channel = _combo(self.tr("Any channel"), [(channel_label(c), c) for c in CHANNEL_KINDS] +
                              [(self.tr("Chats and e-mails"), "written")])
        self.kind = _combo(self.tr("Any call kind"), [(call_kind_label(k), k) for k in call_kind_codes()])
        self.outcome = _combo(self.tr("Any outcome"), [(outcome_label(o), o) for o in outcome_codes()])
        self.status = _combo(self.tr("Any transcript state"), [(status_label(s), s) for s in TRANSCRIPTION_STATES])
        self.period = QCheckBox(self.tr("Period"))
        today = QDate(clock.today())
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setEnabled(False)
        self.min_minutes = QSpinBox()
        self.min_minutes.setRange(0, 600)
        self.min_minutes.setSuffix(self.tr(" min"))
        self.min_minutes.setPrefix(self.tr("from "))
        self.max_minutes = QSpinBox()
        self.max_minutes.setRange(0, 600)
        self.max_minutes.setSpecialValueText(self.tr("no limit"))
        self.max_minutes.setSuffix(self.tr(" min"))
        self.max_minutes.setPrefix(self.tr("to "))
        for spin in (self.min_minutes, self.max_minutes):
            spin.setMinimumWidth(140)
        self.measure_filter = MeasureFilterBar()
        reset = QPushButton(self.tr("Reset"))
        reset.clicked.connect(self.reset_filters)

        row1 = QHBoxLayout()
        row1.addWidget(self.search, 2)
        row1.addWidget(self.operator, 1)
        row1.addWidget(self.period)
        row1.addWidget(self.date_from)
        row1.addWidget(QLabel("–"))
        row1.addWidget(self.date_to)
        row1.addWidget(self.min_minutes)
        row1.addWidget(self.max_minutes)
        # Rows that fit 1366 px in Russian: free text, who, when and how long; the codes; a talk measure.
        row2 = QHBoxLayout()
        for widget in (self.channel, self.direction, self.kind, self.outcome, self.status):
            row2.addWidget(widget)
        row2.addStretch(1)
        row2.addWidget(reset)
        row3 = QHBoxLayout()
        row3.addWidget(self.measure_filter)
        row3.addStretch(1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)  # several calls to calibrate on
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        # Direction and transcript state are in the filter bar and the details pane (and the status bar counts
        # transcripts); the talk measures have their own filter. Hiding them by default keeps who, when, the
        # channel, how long and a chat's response times in view at 1366 px in Russian, with no sideways scroll.
        # A right-click on the header shows them (at 1920 px they all fit).
        hidden = view_state().value("library/hiddenColumns", [COLUMNS.index(name) for name in DEFAULT_HIDDEN])
        for column in (int(c) for c in (hidden if isinstance(hidden, list) else [hidden])):
            self.table.setColumnHidden(column, True)
        # Shown in this order: the channel beside the date, a chat's response times beside a call's duration.
        for visual, name in enumerate(("operator", "started_at", "channel_kind", "duration_s", "first_response_s",
                                       "longest_wait_s")):
            header.moveSection(header.visualIndex(COLUMNS.index(name)), visual)
        self.table.viewport().installEventFilter(self)
        header.sortIndicatorChanged.connect(self._fit_columns)  # the sorted column's name has its arrow beside it
        self.table.doubleClicked.connect(self._open_index)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._call_menu)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.empty_hint = EmptyHint(self.table)
        self.model.loaded.connect(self._update_count)
        self.model.page_loaded.connect(self._page_loaded)

        self.details = CallDetailsPane(ws)
        self.details.setMaximumWidth(380)
        self.details.open_requested.connect(self.open_call)
        self.count_label = QLabel()
        self.count_label.setObjectName("mutedLabel")

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([980, 290])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addLayout(row3)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        # Typing in the search box waits for a pause; every other control applies at once.
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.operator, self.channel, self.direction, self.kind, self.outcome, self.status):
            combo.currentIndexChanged.connect(self.apply_filters)
        for spin in (self.min_minutes, self.max_minutes):
            spin.valueChanged.connect(self.apply_filters)
        self.measure_filter.changed.connect(self.apply_filters)
        self.period.toggled.connect(self._period_toggled)
        self.date_from.dateChanged.connect(self.apply_filters)
        self.date_to.dateChanged.connect(self.apply_filters)
        self.reload_operators()
        workspace_events().changed.connect(self._data_changed)

    def _data_changed(self, topics: frozenset) -> None:
        if topics & {"calls", "transcripts"}:
            self.refresh()

    def _fit_columns(self) -> None:
        """Each column as wide as its widest value in this language and font; the long texts (operator, call kind,
        outcome) are elided, whole in their tooltip."""
        fit_library_columns(self.table, (self.operator.itemText(i) for i in range(1, self.operator.count())))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the splitter moved, the window was resized or the scroll bar came
        return super().eventFilter(watched, event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        kinds = (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LanguageChange)
        if event.type() in kinds and hasattr(self, "table"):  # not while the page is being built
            self._fit_columns()

    def _choose_columns(self, pos) -> None:
        """Right-click on the header: show or hide columns (remembered)."""
        menu = QMenu(self)
        for column in range(self.model.columnCount()):
            action = menu.addAction(str(self.model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self.set_column_shown(c, shown))
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def set_column_shown(self, column: int, shown: bool) -> None:
        self.table.setColumnHidden(column, not shown)
        self._fit_columns()
        hidden = [c for c in range(self.model.columnCount()) if self.table.isColumnHidden(c)]
        view_state().setValue("library/hiddenColumns", hidden)

    def _period_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def reload_operators(self) -> None:
        CoreOp(self, self._ws, _read_operators, key=("library operators", id(self))) \
            .success(self._show_operators).run_in_background()

    def _show_operators(self, operators: list[tuple[int, str]]) -> None:
        current = self.operator.currentData()
        self.operator.blockSignals(True)
        while self.operator.count() > 1:
            self.operator.removeItem(1)
        for operator_id, name in operators:
            self.operator.addItem(name, operator_id)
        index = self.operator.findData(current)
        self.operator.setCurrentIndex(max(index, 0))
        self.operator.blockSignals(False)
        if index < 0 and current is not None:  # the chosen operator is gone: the filter no longer names them
            self.apply_filters()
        self._fit_columns()
        self.operators_shown.emit()

    def current_filter(self) -> CallFilter:
        started_from = started_to = None
        if self.period.isChecked():
            started_from = datetime.combine(self.date_from.date().toPython(), time.min)
            started_to = datetime.combine(self.date_to.date().toPython(), time.max)
        operator_id = self.operator.currentData()
        return CallFilter(
            operator_ids=(operator_id,) if operator_id is not None else (),
            started_from=started_from, started_to=started_to,
            min_duration_s=self.min_minutes.value() * 60 or None,
            max_duration_s=self.max_minutes.value() * 60 or None,
            direction=self.direction.currentData(), channel_kind=self.channel.currentData(),
            call_kind=self.kind.currentData(),
            outcome=self.outcome.currentData(), transcription_status=self.status.currentData(),
            text=self.search.text().strip() or None, ranges=self.measure_filter.ranges(),
        )

    def apply_filters(self) -> None:
        """Ask the table for the calls the bar describes; the table and the count change when they arrive."""
        self.model.set_filter(self.current_filter())

    def reset_filters(self) -> None:
        for widget in (self.operator, self.channel, self.direction, self.kind, self.outcome, self.status):
            widget.setCurrentIndex(0)
        self.search.clear()
        self.period.setChecked(False)
        self.min_minutes.setValue(0)
        self.max_minutes.setValue(0)
        self.measure_filter.reset()
        self.apply_filters()

    def refresh(self) -> None:
        self.reload_operators()
        self.model.refresh()

    def show_vocabulary(self) -> None:
        """Offer the workspace's call kinds and outcomes as they stand now (read by the window), keeping the
        choice made; the table's labels follow on their next paint."""
        for combo, codes, label in ((self.kind, call_kind_codes(), call_kind_label),
                                    (self.outcome, outcome_codes(), outcome_label)):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for code in codes:
                combo.addItem(label(code), code)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
            if combo.currentData() != chosen:  # the kind chosen is gone from the list
                self.apply_filters()
        self._fit_columns()
        self.table.viewport().update()  # the rows repaint with the labels

    def _update_count(self) -> None:
        """A query's answer is in the table: count it, keep the selected call selected (or select the first),
        and say why nothing is listed."""
        count = self.model.rowCount()
        self.count_label.setText(self.tr("Calls shown: %n", "", count))
        selected = self.details._call_id
        row = self.model.row_of_call(selected) if selected is not None else None
        if count:
            current = self.table.selectionModel().currentIndex()
            if row is None:
                row = 0 if not current.isValid() or self.model.call_id_at(current.row()) is None else current.row()
            if not current.isValid() or current.row() != row:
                self.table.selectRow(row)
            elif self.model.call_id_at(row) != selected:
                self._row_changed(current, None)
        else:
            self.details.show_call(None)
        filtered = self.model.call_filter != CallFilter()
        self.empty_hint.set_text(self.tr(
            "No calls match these filters. Widen the period or the duration, choose another value in a list, or "
            "press Reset.") if filtered else self.tr("No calls yet. Import recordings from the File menu."))

    def _page_loaded(self, _page_no: int) -> None:
        """The selected row's page arrived (e.g. after paging down quickly): show its call."""
        current = self.table.selectionModel().currentIndex()
        if current.isValid() and self.details._call_id is None and self.model.call_id_at(current.row()) is not None:
            self._row_changed(current, None)

    def visible_call_ids(self, limit: int = 500) -> list[int]:
        """The calls in the table's current order (the loaded rows from the top, at most `limit`), for
        Previous/Next in the review screen."""
        return self.model.loaded_call_ids(limit)

    def call_changed(self, call_id: int) -> None:
        self.model.reload_call(call_id)
        if self.details._call_id == call_id:
            self.details.show_call(call_id)

    def _row_changed(self, current, _previous) -> None:
        self.details.show_call(self.model.call_id_at(current.row()) if current.isValid() else None)

    def call_menu(self, call_id: int) -> QMenu:
        """What can be done with a call from its row: open it, transcribe it again, hear its source one way."""
        menu = QMenu(self)
        menu.addAction(self.tr("Open for review"), lambda: self.open_call.emit(call_id))
        retry = menu.addAction(self.tr("Transcribe again"), lambda: self.details.retry_requested.emit(call_id))
        source = menu.addAction(self.tr("Set layout for all calls from this source…"),
                                lambda: self.source_layout_requested.emit(call_id))
        may_transcribe = can(self._ws.actor, TRANSCRIBE)
        retry.setEnabled(may_transcribe)
        source.setEnabled(may_transcribe and can(self._ws.actor, IMPORT_CALLS))
        if can(self._ws.actor, RUN_SESSIONS):
            chosen = self.selected_call_ids()
            calls = chosen if call_id in chosen else [call_id]  # the selection, when the row is part of it
            menu.addSeparator()
            menu.addAction(counted(self.tr("Start calibration on %n call(s)…", "", len(calls)), len(calls)),
                           lambda: self.calibration_requested.emit(calls))
        return menu

    def selected_call_ids(self) -> list[int]:
        """The calls of the selected rows, top to bottom (rows of a page not loaded yet are left out)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [call_id for call_id in (self.model.call_id_at(row) for row in rows) if call_id is not None]

    def _call_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        call_id = self.model.call_id_at(index.row()) if index.isValid() else None
        if call_id is not None:
            self.call_menu(call_id).popup(self.table.viewport().mapToGlobal(pos))

    def _open_index(self, index) -> None:
        call_id = self.model.call_id_at(index.row())
        if call_id is not None:
            self.open_call.emit(call_id)
