"""What `kalibra transcribe` and `kalibra worker` print while calls are transcribed together."""

import io

from review.transcripts.worker import _TerminalProgress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


EVENTS = [("claimed", 1, 10, "w"), ("claimed", 2, 11, "w"), ("progress", 1, 0.5), ("progress", 2, 0.25),
          ("done", 1), ("failed", 2, "broken.wav: not audio")]


def test_a_log_gets_one_line_per_call_event_and_no_progress_noise():
    out = io.StringIO()
    terminal = _TerminalProgress(out)
    for event in EVENTS:
        terminal(event)
    assert out.getvalue().splitlines() == [
        "call #1: transcribing", "call #2: transcribing", "call #1: done", "call #2: FAILED — broken.wav: not audio"]


def test_a_terminal_gets_one_progress_line_for_the_calls_together():
    out = _Tty()
    terminal = _TerminalProgress(out)
    for event in EVENTS[:4]:
        terminal(event)
    assert out.getvalue().rsplit("\r\033[K", 1)[1] == "2 call(s):  37.5 %"
    terminal(EVENTS[4])
    assert out.getvalue().endswith("\r\033[Kcall #1: done\n")
