"""The clinic's working hours for written channels, and waits counted only within them.

A patient who writes at 23:40 and is answered at 09:05 the next working morning waited 5 minutes of working
time: the night is not the operator's delay. Default: Monday to Friday 09:00–21:00 and Saturday 10:00–18:00,
Sunday closed (a typical Russian clinic's contact centre); each clinic sets its own (a workspace setting).
Times are the clinic's wall clock; public holidays are not known to Kalibra and count as ordinary days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from review.errors import ValidationError

WEEKDAYS = 7  # Monday is 0, as datetime.weekday() counts
Interval = tuple[time, time]


@dataclass(frozen=True)
class WorkingHours:
    """Per weekday (Monday first) the hours open, or None for a day closed. `zone`: the clinic's IANA time
    zone for converting e-mail dates (None: this computer's zone)."""

    days: tuple[Interval | None, ...]
    zone: str | None = None

    def __post_init__(self) -> None:
        if len(self.days) != WEEKDAYS:
            raise ValidationError("Working hours need one entry per weekday, Monday to Sunday.")
        for interval in self.days:
            if interval is not None and not interval[0] < interval[1]:
                raise ValidationError("A working day must end after it starts ({start}–{end}).",
                                      start=interval[0].strftime("%H:%M"), end=interval[1].strftime("%H:%M"))

    def as_json(self) -> dict:
        return {"days": [None if d is None else [d[0].strftime("%H:%M"), d[1].strftime("%H:%M")] for d in self.days],
                "zone": self.zone}

    @classmethod
    def from_json(cls, value: dict) -> WorkingHours:
        days = tuple(None if d is None else (time.fromisoformat(d[0]), time.fromisoformat(d[1]))
                     for d in value.get("days", []))
        return cls(days, value.get("zone"))

    def open_on(self, day: date) -> tuple[datetime, datetime] | None:
        interval = self.days[day.weekday()]
        if interval is None:
            return None
        return datetime.combine(day, interval[0]), datetime.combine(day, interval[1])


DEFAULT_HOURS = WorkingHours((
    (time(9), time(21)), (time(9), time(21)), (time(9), time(21)), (time(9), time(21)), (time(9), time(21)),
    (time(10), time(18)), None))


def working_seconds(start: datetime, end: datetime, hours: WorkingHours) -> float:
    """Seconds between `start` and `end` that fall within working hours (0 when end is not after start)."""
    if end <= start:
        return 0.0
    if not any(hours.days):
        return (end - start).total_seconds()  # a clinic that set no hours at all: every second counts
    total = 0.0
    day = start.date()
    while day <= end.date():
        opened = hours.open_on(day)
        if opened is not None:
            low, high = max(start, opened[0]), min(end, opened[1])
            if high > low:
                total += (high - low).total_seconds()
        day += timedelta(days=1)
    return total
