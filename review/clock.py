"""The workspace's clock: every time the core stamps or compares comes from here, so tests can set it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time as naive UTC (how system timestamps are stored)."""

    def today(self) -> date:
        """The current local calendar date (how call dates and periods are reckoned)."""


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def today(self) -> date:
        return date.today()


class FixedClock:
    """A set clock: it moves only when told to, or by `tick` at each reading (so stamps keep their order).

    Its local date is taken to be its UTC one.
    """

    def __init__(self, at: datetime, tick: timedelta = timedelta(0)) -> None:
        self.at, self.tick = at, tick

    def now(self) -> datetime:
        reading = self.at
        self.at += self.tick
        return reading

    def today(self) -> date:
        return self.at.date()

    def advance(self, by: timedelta) -> None:
        self.at += by


_current: Clock = SystemClock()


def use_clock(clock: Clock) -> Clock:
    """Make `clock` the workspace's clock for this process; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


def current_clock() -> Clock:
    return _current


def now() -> datetime:
    """Naive UTC now from the workspace's clock."""
    return _current.now()


def today() -> date:
    """Local today from the workspace's clock."""
    return _current.today()


def local_now() -> datetime:
    """The workspace clock's now on the local wall clock (for "generated at" lines people read)."""
    return _current.now().replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
