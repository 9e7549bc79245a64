"""Text that does not fit is cut with "…" (never mid-letter without a mark), and moments read one way per
language wherever they are shown."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from app.elided_label import ElidedLabel
from app.search_page import _day_and_time


def test_a_long_line_is_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip(qtbot):
    line = "05.11.2026 16:30 · входящий · запись на приём · 12:34 · переписка WhatsApp · 14 сообщений"
    label = ElidedLabel(line, mode=Qt.TextElideMode.ElideRight)
    qtbot.addWidget(label)
    label.resize(160, 20)
    label.show()
    assert label.shown_text().endswith("…") and len(label.shown_text()) < len(line)
    assert label.text() == line and label.toolTip() == line
    label.resize(2000, 20)
    assert label.shown_text() == line  # room again: whole


def test_a_hit_s_moment_reads_as_the_interface_language_writes_it(english):
    assert _day_and_time(datetime(2026, 12, 2, 14, 5)) == "02 Dec 14:05"


@pytest.mark.parametrize("language", ["english", "russian"])
def test_every_date_field_reads_as_the_dates_beside_it(qtbot, sqlite_db, language, request):
    """The library's period once read "19.10.2026" in English beside "26 Oct 2026" in its table: each date
    field of the library, search, reports and audit log reads as format_date writes its day."""
    from PySide6.QtWidgets import QDateEdit

    from app.audit_log_view import AuditLogView
    from app.labels import format_date
    from app.library_page import LibraryPage
    from app.reports_page import ReportsPage
    from app.search_page import SearchPage
    from review.accounts.local_admin import ensure_local_admin
    from review.workspace import Workspace

    request.getfixturevalue(language)
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    seen = 0
    for screen in (LibraryPage, SearchPage, ReportsPage, AuditLogView):
        page = screen(Workspace(sqlite_db, actor))
        qtbot.addWidget(page)
        for edit in page.findChildren(QDateEdit):
            assert edit.text() == format_date(edit.date().toPython()), (screen.__name__, edit.text())
            seen += 1
    assert seen >= 8  # two a screen: from and to
