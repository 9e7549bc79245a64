"""Domain errors carry an English template and its parameters; str() is the filled-in English text."""

from datetime import date, datetime

import pytest

from review.accounts.users import AccountLocked
from review.errors import KalibraError, NotFound, ValidationError
from review.reporting.report_data import ReportScope


def test_a_template_with_params_formats_in_english():
    error = ValidationError("Questions that still need an answer: {count}.", count=3)
    assert str(error) == "Questions that still need an answer: 3."
    assert error.template == "Questions that still need an answer: {count}."
    assert error.params == {"count": 3}
    assert isinstance(error, KalibraError)


def test_plain_text_stays_as_it_is_braces_included():
    error = NotFound("No published rubric in this workspace.")
    assert str(error) == error.template == "No published rubric in this workspace."
    assert error.params == {} and error.args == ("No published rubric in this workspace.",)
    assert str(ValidationError("a {literal} brace")) == "a {literal} brace"


def test_raised_domain_errors_keep_template_and_params():
    with pytest.raises(ValidationError, match=r"ends \(01\.03\.2026\) before it starts \(05\.03\.2026\)") as caught:
        ReportScope(date(2026, 3, 5), date(2026, 3, 1))
    assert caught.value.template == ("The report period ends ({end}) before it starts ({start}); "
                                     "choose the dates again.")
    assert caught.value.params == {"end": "01.03.2026", "start": "05.03.2026"}


def test_a_subclass_with_its_own_arguments_builds_a_template():
    locked = AccountLocked(datetime(2026, 3, 5, 14, 7, 9))
    assert "locked until 14:07:09 UTC" in str(locked)
    assert locked.params == {"until": "14:07:09"} and "{until}" in locked.template
