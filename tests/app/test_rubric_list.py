"""The rubrics page's list: a rubric's whole name wraps beside its badges in the list's width (1366 px screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics

from app.rubric_editor.rubric_list import BADGES_ROLE, TITLE_ROLE, RubricListWidget, _fonts, title_layout
from review.scoring.rubric_store import RubricSummary
from tests.app.app_look import as_in_the_app

LONG = [RubricSummary("inbound_call", "Входящий звонок в клинику", True, 1, 1, False,
                      "Inbound call to the clinic"),
        RubricSummary("written_reply", "Письменный ответ пациенту в чате и по почте", True, 1, 1, True,
                      "Written reply to a patient in a chat or by e-mail"),
        RubricSummary("mine", "Своя", False, None, None, True)]


@pytest.mark.parametrize("language", ["english", "russian"])
def test_names_are_whole_beside_their_badges_in_the_list_width(qtbot, language, request):
    request.getfixturevalue(language)
    rubrics = RubricListWidget()
    qtbot.addWidget(rubrics)
    as_in_the_app(rubrics, 230, 400)  # as wide as on the page beside the sidebar at 1366 px
    rubrics.fill(LONG)
    qtbot.waitExposed(rubrics)
    bold, small = (QFontMetrics(f) for f in _fonts(rubrics.font()))
    width = rubrics.viewport().width() - 18
    bottoms = []
    for row in range(rubrics.count()):
        item = rubrics.item(row)
        lines, own_line = title_layout(item.data(TITLE_ROLE), item.data(BADGES_ROLE), width, bold, small)
        assert " ".join(lines) == item.data(TITLE_ROLE)  # nothing cut
        assert all(bold.horizontalAdvance(line) <= width for line in lines)
        rect: QRect = rubrics.visualItemRect(item)
        assert rect.height() >= bold.height() * len(lines) + 2 * bold.height()  # the title, badges, subtitle
        bottoms.append(rect.bottom())
    assert bottoms == sorted(bottoms) and rubrics.horizontalScrollBar().maximum() == 0
    assert len(title_layout(LONG[1].title, [("built-in", "")], width, bold, small)[0]) == 2
    rubrics.grab()  # paints every row
