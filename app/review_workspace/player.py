"""Playback behind one small interface, so a machine without audio output still opens the review screen.

QtMultimedia is imported guarded: when it is missing or cannot load the file, a silent clock takes its place,
so the transcript still follows "playback" and seeking still works; `status_text` says what is wrong.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

try:  # QtMultimedia needs system libraries (PulseAudio/ALSA, FFmpeg) that some machines lack.
    from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
except ImportError:  # pragma: no cover - depends on the machine
    QMediaPlayer = None

RATES = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
# How often the playhead is reported while playing: smooth highlighting without busy work.
TICK_MS = 33


class _SilentClock:
    """Keeps playback time without sound: position advances with the wall clock at the playback rate."""

    def __init__(self) -> None:
        self._base_s, self._started, self._rate = 0.0, None, 1.0

    def position(self) -> float:
        if self._started is None:
            return self._base_s
        return self._base_s + (time.monotonic() - self._started) * self._rate

    def play(self) -> None:
        if self._started is None:
            self._started = time.monotonic()

    def pause(self) -> None:
        self._base_s, self._started = self.position(), None

    def seek(self, seconds: float) -> None:
        self._base_s = seconds
        if self._started is not None:
            self._started = time.monotonic()

    def set_rate(self, rate: float) -> None:
        self._base_s = self.position()
        if self._started is not None:
            self._started = time.monotonic()
        self._rate = rate


class Player(QObject):
    """Play one recording. Times are seconds. Signals are delivered on the GUI thread."""

    position_changed = Signal(float)
    playing_changed = Signal(bool)
    rate_changed = Signal(float)
    status_changed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._duration_s = 0.0
        self._playing = False
        self._rate = 1.0
        self._clock: _SilentClock | None = None
        self._media = None
        self.status_text = ""
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._report)
        if QMediaPlayer is None:
            self._use_clock(self.tr("No audio output: QtMultimedia is not available, playback is silent."))
            return
        self._media = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._media.setAudioOutput(self._output)
        self._media.errorOccurred.connect(self._on_error)
        self._media.mediaStatusChanged.connect(self._on_media_status)
        self._pending_seek: float | None = None
        self._base_status = "" if QMediaDevices.audioOutputs() else self.tr(
            "No audio output on this computer: playback is silent, the transcript still follows.")
        self._set_status(self._base_status)

    # ------------------------------------------------------------------ state
    @property
    def has_sound(self) -> bool:
        return self._media is not None and not self.status_text

    @property
    def duration_s(self) -> float:
        return self._duration_s

    @property
    def rate(self) -> float:
        return self._rate

    def is_playing(self) -> bool:
        return self._playing

    def position(self) -> float:
        if self._clock is not None:
            return min(self._clock.position(), self._duration_s)
        if self._pending_seek is not None:
            return self._pending_seek
        return self._media.position() / 1000.0

    # ------------------------------------------------------------------ control
    def load(self, path: str | Path, duration_s: float) -> None:
        """Open a recording; a missing file leaves a silent clock and a status message."""
        self.pause()
        self._duration_s = duration_s
        path = Path(path)
        if not path.exists():
            self._use_clock(self.tr("The recording is missing: {0}").format(path))
            return
        if self._media is not None:
            self._clock = None
            self._set_status(self._base_status)
            self._media.setSource(QUrl.fromLocalFile(str(path)))
            self._media.setPlaybackRate(self._rate)
        self.seek(0.0)

    def play(self) -> None:
        if self._playing:
            return
        if self.position() >= self._duration_s - 0.05:
            self.seek(0.0)
        if self._clock is not None:
            self._clock.play()
        else:
            self._media.play()
        self._playing = True
        self._tick.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if not self._playing:
            return
        if self._clock is not None:
            self._clock.pause()
        else:
            self._media.pause()
        self._playing = False
        self._tick.stop()
        self.playing_changed.emit(False)
        self._report()

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def seek(self, seconds: float) -> None:
        seconds = max(0.0, min(seconds, self._duration_s))
        if self._clock is not None:
            self._clock.seek(seconds)
        elif self._media.mediaStatus() in (QMediaPlayer.MediaStatus.LoadingMedia, QMediaPlayer.MediaStatus.NoMedia):
            # The decoder is still opening the file and would drop the position: apply it once loaded.
            self._pending_seek = seconds
        else:
            self._pending_seek = None
            self._media.setPosition(int(round(seconds * 1000)))
        self.position_changed.emit(seconds)

    def _on_media_status(self, status) -> None:
        if self._pending_seek is not None and status in (QMediaPlayer.MediaStatus.LoadedMedia,
                                                         QMediaPlayer.MediaStatus.BufferedMedia):
            seconds, self._pending_seek = self._pending_seek, None
            self._media.setPosition(int(round(seconds * 1000)))

    def skip(self, delta_s: float) -> None:
        self.seek(self.position() + delta_s)

    def set_rate(self, rate: float) -> None:
        self._rate = min(RATES, key=lambda r: abs(r - rate))
        if self._clock is not None:
            self._clock.set_rate(self._rate)
        else:
            self._media.setPlaybackRate(self._rate)
        self.rate_changed.emit(self._rate)

    def step_rate(self, steps: int) -> None:
        index = RATES.index(self._rate) + steps
        self.set_rate(RATES[max(0, min(len(RATES) - 1, index))])

    def stop(self) -> None:
        """Release the file (before the window closes or another call loads)."""
        self.pause()
        if self._media is not None:
            self._media.setSource(QUrl())

    # ------------------------------------------------------------------ internals
    def _report(self) -> None:
        position = self.position()
        if self._playing and position >= self._duration_s:
            self.pause()
        self.position_changed.emit(position)

    def _use_clock(self, message: str) -> None:
        self._clock = _SilentClock()
        self._set_status(message)

    def _set_status(self, message: str) -> None:
        self.status_text = message
        self.status_changed.emit(message)

    def _on_error(self, _error, text: str) -> None:
        position = self.position()
        self._media.stop()
        self._use_clock(self.tr("The recording cannot be played ({0}); playback is silent.").format(text))
        self._clock.seek(position)
        if self._playing:
            self._clock.play()
