"""The library's filter by a conversation measure: which measure, from, to ("silence over 30 s", "operator talk > 70 %")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QWidget

from review.library.calls import MeasureRange

# measure, its unit as shown, the largest value offered; a share is shown in per cent and stored as 0..1.
_UNITS = {"s": 36000.0, "%": 100.0, "": 10000.0}


class MeasureFilterBar(QWidget):
    """A measure picker with a from/to range; `ranges()` is what the library filter takes."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.measure = QComboBox()
        self.measure.addItem(self.tr("Any talk measure"), None)
        for code, label, unit in self._measures():
            self.measure.addItem(label, (code, unit))
        # As wide as a short measure name: the longest would push the filter bar past 1366 px in Russian.
        self.measure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # its own row: room to spare
        self.low, self.high = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, prefix in ((self.low, self.tr("from ")), (self.high, self.tr("to "))):
            spin.setDecimals(0)
            spin.setPrefix(prefix)
            spin.setSpecialValueText(self.tr("any"))  # the minimum means "no limit" on this side
            spin.setMinimumWidth(88)
            spin.valueChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.measure)
        layout.addWidget(self.low)
        layout.addWidget(self.high)
        self.measure.currentIndexChanged.connect(self._measure_changed)
        self._measure_changed()

    def _measures(self) -> list[tuple[str, str, str]]:
        return [("silence_total_s", self.tr("Silence, total"), "s"),
                ("silence_longest_s", self.tr("Longest silence"), "s"),
                ("hold_total_s", self.tr("Hold, total"), "s"),
                ("hold_longest_s", self.tr("Longest hold"), "s"),
                ("operator_share", self.tr("Operator talk"), "%"),
                ("overtalk_count", self.tr("Overtalk, times"), ""),
                ("overtalk_total_s", self.tr("Overtalk, total"), "s"),
                ("operator_wpm", self.tr("Operator words per minute"), ""),
                ("operator_first_word_s", self.tr("Operator's first word"), "s"),
                ("customer_complaints", self.tr("Customer complaints"), "")]

    def _measure_changed(self) -> None:
        chosen = self.measure.currentData()
        for spin in (self.low, self.high):
            spin.blockSignals(True)
            spin.setEnabled(chosen is not None)
            unit = chosen[1] if chosen else ""
            # One below zero stands for "any", so 0 itself stays a value one can ask for.
            spin.setRange(-1, _UNITS[unit])
            spin.setSuffix({"s": self.tr(" s"), "%": " %"}.get(unit, ""))
            spin.setValue(-1)
            spin.blockSignals(False)
        self.changed.emit()

    def set_range(self, measure: str, low: float | None = None, high: float | None = None) -> None:
        """Choose a measure and its range as the user would (a share in per cent)."""
        self.measure.setCurrentIndex(next(i for i in range(self.measure.count())
                                          if (self.measure.itemData(i) or (None,))[0] == measure))
        self.low.setValue(-1 if low is None else low)
        self.high.setValue(-1 if high is None else high)

    def reset(self) -> None:
        self.measure.setCurrentIndex(0)

    def ranges(self) -> tuple[MeasureRange, ...]:
        chosen = self.measure.currentData()
        if chosen is None:
            return ()
        code, unit = chosen
        scale = 0.01 if unit == "%" else 1.0
        low = self.low.value() * scale if self.low.value() >= 0 else None
        high = self.high.value() * scale if self.high.value() >= 0 else None
        if low is None and high is None:
            return ()
        if low is not None and high is not None and high < low:
            return (MeasureRange(code, low, None),)  # being typed: the upper end has not caught up yet
        return (MeasureRange(code, low, high),)
