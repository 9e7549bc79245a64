"""The built-in checks on the demo calls' scripts against hand-labelled answers (bench/check_quality.py)."""

from __future__ import annotations

import importlib.util

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("check_quality", REPO / "bench" / "check_quality.py")
check_quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_quality)


def test_suggestions_on_the_demo_calls_are_mostly_right_and_cover_most_labels():
    counts = check_quality.measure()
    suggested, correct, labelled, _beyond = (sum(c[i] for c in counts.values()) for i in range(4))
    assert correct / suggested >= 0.9 and correct / labelled >= 0.85, dict(counts)
    # The greeting checks are exact on every demo call (clinic and own name, both languages).
    assert counts["greeting_clinic_and_name"] == [9, 9, 9, 0] and counts["opening"] == [3, 3, 3, 0]
