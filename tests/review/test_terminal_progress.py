"""What `kalibra transcribe` and `kalibra worker` print while calls are transcribed together."""

import io

from review.transcripts.events import JobClaimed, JobDone, JobFailed, JobProgress
from review.transcripts.terminal import TerminalProgress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


EVENTS = [JobClaimed(1, 10, "w"), JobClaimed(2, 11, "w"), JobProgress(1, 0.5), JobProgress(2, 0.25),
          JobDone(1), JobFailed(2, "broken.wav: not audio")]


def test_a_log_gets_one_line_per_call_event_and_no_progress_noise():
    out = io.StringIO()
    terminal = TerminalProgress(out)
    for event in EVENTS:
        terminal(event)
    assert out.getvalue().splitlines() == [
        "call #1: transcribing", "call #2: transcribing", "call #1: done", "call #2: FAILED — broken.wav: not audio"]


def test_a_terminal_gets_one_progress_bar_for_the_calls_together():
    out = _Tty()
    terminal = TerminalProgress(out)
    for event in EVENTS[:4]:
        terminal(event)
    assert "2 call(s):  37.5 %" in out.getvalue().rsplit("\r", 1)[-1]
    terminal(EVENTS[4])
    assert "call #1: done\n" in out.getvalue()
    assert "1 call(s):  25.0 %" in out.getvalue().rsplit("\r", 1)[-1]  # the bar stays below the lines
    terminal(EVENTS[5])
    assert terminal.bar is None  # nothing left in progress: the bar is gone
