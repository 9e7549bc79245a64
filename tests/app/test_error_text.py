"""A domain error reaches a Russian user in Russian: its template is translated, then filled in."""

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from app.background import BackgroundTask
from app.i18n import error_text, install_language
from review.errors import ValidationError
from review.reporting.report_data import ReportScope
from review.sessions.sampling import SamplingRule


def test_domain_errors_read_in_russian(russian):
    with pytest.raises(ValidationError) as caught:
        ReportScope(date(2026, 3, 5), date(2026, 3, 1))
    assert error_text(caught.value) == ("Период отчёта заканчивается (01.03.2026) раньше, чем начинается "
                                        "(05.03.2026); выберите даты заново.")
    with pytest.raises(ValidationError) as caught:
        SamplingRule(operator_ids=(), period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    assert error_text(caught.value) == "Выберите хотя бы одного оператора для выборки звонков."
    counted = ValidationError("Questions that still need an answer: {count}.", count=11)
    assert error_text(counted) == "Вопросов без ответа: 11."
    assert str(counted) == "Questions that still need an answer: 11."  # logs and the CLI stay English


def test_errors_from_background_work_arrive_translated(qtbot, russian):
    def work(progress, cancelled):
        ReportScope(date(2026, 3, 5), date(2026, 3, 1))

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.failed) as failure:
        task.start()
    assert task.wait(5000)
    assert failure.args[0].startswith("Период отчёта заканчивается (01.03.2026)")


def test_english_and_untranslated_text_pass_through(qtbot):
    install_language(QApplication.instance(), "en")
    assert error_text(ValidationError("The session is closed.")) == "The session is closed."
    assert error_text(ValidationError("not a known template: {n}", n=2)) == "not a known template: 2"
    assert error_text(OSError("disk full")) == "disk full"
