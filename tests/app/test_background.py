"""BackgroundTask: results and progress arrive as signals on the GUI thread; wait() returns when done."""

import threading

from app.background import BackgroundTask
from review.errors import ValidationError


def test_result_progress_and_prompt_wait(qtbot):
    seen = []

    def work(progress, cancelled):
        seen.append(threading.current_thread() is not threading.main_thread())
        progress(1, 2, "half")
        return 42

    task = BackgroundTask(work)
    progress = []
    task.progressed.connect(lambda d, t, s: progress.append((d, t, s)))
    with qtbot.waitSignal(task.succeeded) as result:
        task.start()
    assert result.args == [42] and seen == [True]
    assert task.wait(5000)  # the work has ended, so waiting returns (event-based, no timing)
    qtbot.waitUntil(lambda: progress == [(1, 2, "half")])


def test_domain_errors_arrive_as_messages_and_cancel_is_seen(qtbot):
    gate = threading.Event()

    def work(progress, cancelled):
        gate.wait(5)
        if cancelled():
            raise ValidationError("stopped on request")
        return "finished"

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.failed) as failure:
        task.start()
        task.cancel()
        gate.set()
    assert failure.args == ["stopped on request"]
