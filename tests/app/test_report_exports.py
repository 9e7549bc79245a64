"""The reports page's Talk tab over the hand-computed calls of tests/review/test_talk_report.py, exports of every
tab with "Open file" / "Show folder" after them, and the built-in rubric's note in the interface's language; on a
1366-pixel screen in Russian the Talk table shows every column and the export's message keeps to one line."""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from app.reports_page import ReportsPage
from app.rubric_editor.rubric_list import SUBTITLE_ROLE, VersionListWidget
from review.accounts.local_admin import ensure_local_admin
from review.scoring.rubric_store import install_builtin_rubrics, list_rubrics, versions_of
from review.workspace import Workspace
from tests.app.test_plural_forms import russian_pairs, russian_with_pairs  # noqa: F401  (fixtures)
from tests.review.test_talk_report import PERIOD, talk_clinic  # noqa: F401  (the fixture)


def _page(qtbot, db, actor) -> ReportsPage:
    page = ReportsPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.set_period(PERIOD.start, PERIOD.end)
        page.refresh()
    return page


class _Opened(QObject):
    """What the system was asked to open (Qt's own hook for a URL scheme)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_talk_tab_shows_the_averages_and_the_weekly_share(qtbot, sqlite_db, talk_clinic):  # noqa: F811
    users, _team, _operators = talk_clinic
    page = _page(qtbot, sqlite_db, users["manager"])
    page.tabs.setCurrentWidget(page.talk_tab)
    assert page.current_report() == "talk" and page.tabs.tabText(page.tabs.currentIndex()) == "Talk"
    model = page.talk_tab.model
    assert model.rowCount() == 1 + 2 + 3 + 2  # total, teams, operators, weeks
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert rows[0] == ["Total", "Total", "4", "1", "63.3", "7.5", "4.5", "0.75", "45", "0.75", "1", "120", "2.3"]
    assert rows[2][1] == "No team" and rows[2][4] == "—"  # nobody spoke on Вера's call
    assert rows[3][:5] == ["Operator", "Анна", "2", "0", "70"] and rows[4][11] == "90"
    assert page.talk_tab.chart.series_names() == ["Operator talk share"]
    assert not page.talk_tab.hint.showing()
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.set_period(datetime(2025, 1, 6).date(), datetime(2025, 1, 12).date())
        page.refresh()
    assert model.rowCount() == 0 and page.talk_tab.hint.showing()
    page.wait_for_tasks()


def test_export_holds_every_tab_and_offers_to_open_it(qtbot, sqlite_db, talk_clinic, tmp_path):  # noqa: F811
    users, _team, _operators = talk_clinic
    page = _page(qtbot, sqlite_db, users["manager"])
    page.tabs.setCurrentWidget(page.talk_tab)
    target = tmp_path / "reports.xlsx"
    with qtbot.waitSignal(page.exported, timeout=20000):
        page.export_to(str(target))
    book = load_workbook(target)
    assert len(book.sheetnames) == page.tabs.count() and book.active.title == "Talk"
    assert book["Operator scorecards"]["A6"].value == "Анна" and book["Operator scorecards"]["D8"].value == (
        "no evaluations in this period")  # Вера's call is measured, never scored
    assert "Open file" in page.status.text() and "Show folder" in page.status.text()
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        page.status.linkActivated.emit("open")
        page.status.linkActivated.emit("folder")
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in opened.urls] == [str(target), str(tmp_path)]
    page.wait_for_tasks()


def test_on_a_laptop_in_russian_every_talk_column_shows_and_saved_keeps_to_one_line(
        qtbot, sqlite_db, talk_clinic, tmp_path, russian):  # noqa: F811
    users, _team, _operators = talk_clinic
    page = _page(qtbot, sqlite_db, users["manager"])
    page.resize(1366 - 190, 700)  # the main window's width less its navigation rail
    page.show()
    qtbot.waitExposed(page)
    page.tabs.setCurrentWidget(page.talk_tab)
    view = page.talk_tab.view
    header = view.horizontalHeader()
    qtbot.waitUntil(lambda: 0 < header.length() <= view.viewport().width()
                    and not view.horizontalScrollBar().isVisible(), timeout=5000)
    folder = tmp_path / "Отчёты отдела качества" / "ноябрь"
    folder.mkdir(parents=True)
    target = folder / "reports.xlsx"
    with qtbot.waitSignal(page.exported, timeout=20000):
        page.export_to(str(target))
    assert "reports.xlsx" in page.status.text() and str(folder) not in page.status.text()
    assert page.status.toolTip() == str(target)
    one_line = page.status.fontMetrics().height()
    assert page.status.heightForWidth(page.status.width()) < 2 * one_line
    page.wait_for_tasks()


def test_the_built_in_rubrics_note_speaks_russian(qtbot, sqlite_db, russian_pairs):  # noqa: F811
    with sqlite_db.unit_of_work() as session:
        install_builtin_rubrics(session, ensure_local_admin(session))
    with sqlite_db.sessions() as session:
        [slug, *_others] = [summary.slug for summary in list_rubrics(session)]
        history = versions_of(session, slug)
    versions = VersionListWidget()
    qtbot.addWidget(versions)
    versions.fill(history)
    subtitle = versions.item(0).data(SUBTITLE_ROLE)
    assert subtitle.endswith(" · Встроенная анкета") and "Built-in" not in subtitle
