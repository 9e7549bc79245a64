"""The reports page over the hand-computed clinic of tests/review/report_fixtures.py (real SQLite, real threads)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QLocale, Qt

from app.report_table_model import SORT_ROLE, ReportTableModel
from app.reports_page import ReportsPage
from review.reporting.report_set import preset_period
from review.reporting.tables import Column, ReportTable
from review.workspace import Workspace
from tests.review.report_fixtures import PERIOD, build_report_clinic


@pytest.fixture(autouse=True)
def _russian_interface():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Russian))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def clinic(sqlite_db):
    return build_report_clinic(sqlite_db)


def _page(qtbot, db, actor) -> ReportsPage:
    page = ReportsPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.resize(1176, 718)
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.set_period(*PERIOD)
        page.refresh()
    return page


def _column(model: ReportTableModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_model_alone_formats_colours_and_sorts():
    table = ReportTable("T", "c", (Column("Вопрос"), Column("Изменение", "int"), Column("Доля", "number")),
                        [("б", 2, 33.333), ("а", -1, None), ("в", 0, 100.0)], "ru")
    model = ReportTableModel()
    model.change_columns = {1: False}
    model.set_table(table)
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    assert _column(model, 1) == ["+2", "-1", "0"] and _column(model, 2) == ["33,33", "—", "100"]
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Доля"
    worse, better = (model.index(r, 1).data(Qt.ItemDataRole.ForegroundRole) for r in (0, 1))
    assert worse.name() == "#b42318" and better.name() == "#0b7a3b"  # more growth areas is worse
    assert model.index(2, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert [model.index(r, 2).data(SORT_ROLE) for r in range(3)] == [33.333, float("-inf"), 100.0]
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_manager_sees_every_report(qtbot, sqlite_db, clinic):
    page = _page(qtbot, sqlite_db, clinic.manager)
    growth = page.growth_model
    assert _column(growth, 2) == ["Предложил альтернативу", "Поздоровался тепло", "Подтвердил запись",
                                  "Свободные заметки", "Назвал имя"]
    assert _column(growth, 3) == ["2", "2", "1", "1", "0"] and _column(growth, 7) == ["50", "60", "80", "—", "60"]
    assert page.growth_view.isColumnHidden(0)  # one rubric: no rubric column
    assert _column(page.cards_model, 0) == ["Анна", "Борис", "Вера", "Глеб"]
    assert _column(page.cards_model, 3) == ["79,17", "50", "50", "нет оценок за период"]
    assert page.trend_tab.chart.series_names() == ["Анна", "Борис", "Вера"]
    questions = page.questions_tab.table
    assert (questions.rowCount(), questions.columnCount()) == (4, 3)
    assert [questions.item(r, 0).text() for r in range(4)] == ["Поздоровался тепло", "Назвал имя",
                                                              "Предложил альтернативу", "Подтвердил запись"]
    assert questions.item(1, 1).text() == "33,3 % (3)" and questions.item(2, 2).text() == "0 % (1)"
    assert all(part in page.summary_label.text() for part in (": 3 ", ": 5 ", "16.02.2026 – 01.03.2026"))
    # Clicking a header sorts by value, not by the text shown.
    page.growth_view.sortByColumn(7, Qt.SortOrder.DescendingOrder)
    proxy = page.growth_view.model()
    assert [proxy.index(r, 7).data() for r in range(5)] == ["80", "60", "60", "50", "—"]
    page.wait_for_tasks()


def test_team_filter_narrows_operators_and_reports(qtbot, sqlite_db, clinic):
    page = _page(qtbot, sqlite_db, clinic.manager)
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.team.setCurrentIndex(page.team.findData(clinic.team_a))
        page.refresh()
    assert [page.operator.itemText(i) for i in range(page.operator.count())][1:] == ["Анна", "Борис"]
    assert _column(page.cards_model, 0) == ["Анна", "Борис"]
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.trend_tab.group_by.setCurrentIndex(page.trend_tab.group_by.findData("team"))
        page.refresh()
    assert page.trend_tab.chart.series_names() == ["Регистратура А"]
    assert _column(page.trend_tab.model, 3) == ["50", "79,17"]
    page.wait_for_tasks()


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_export_writes_the_current_tab(qtbot, sqlite_db, clinic, tmp_path, fmt):
    page = _page(qtbot, sqlite_db, clinic.manager)
    page.tabs.setCurrentIndex(1)
    target = tmp_path / f"cards.{fmt}"
    with qtbot.waitSignal(page.exported, timeout=20000) as signal:
        page.export_to(str(target))
    assert signal.args == [str(target)] and target.name in page.status.text() and page.status.toolTip() == str(target)
    data = target.read_bytes()
    if fmt == "xlsx":
        sheet = load_workbook(target).active
        assert sheet["A5"].value == "Оператор" and sheet["A6"].value == "Анна" and sheet["C6"].value == 2
    elif fmt == "pdf":
        assert data.startswith(b"%PDF-")
    else:
        assert data.startswith(b"\xef\xbb\xbf") and "Анна;Регистратура А;2;79,17" in data.decode("utf-8-sig")
    page.wait_for_tasks()


def test_export_failure_is_shown(qtbot, sqlite_db, clinic, tmp_path):
    page = _page(qtbot, sqlite_db, clinic.manager)
    with qtbot.waitSignal(page.failed, timeout=20000) as signal:
        page.export_to(str(tmp_path / "no-such-folder" / "x.xlsx"))
    assert "Could not write the report to" in signal.args[0] and signal.args[0] == page.status.text()
    qtbot.waitUntil(page.export_button.isEnabled, timeout=5000)
    page.wait_for_tasks()


def test_period_presets():
    from datetime import date

    today = date(2026, 5, 20)
    assert preset_period("this_month", today) == (date(2026, 5, 1), today)
    assert preset_period("last_month", today) == (date(2026, 4, 1), date(2026, 4, 30))
    assert preset_period("this_quarter", today) == (date(2026, 4, 1), today)
    assert preset_period("this_year", today) == (date(2026, 1, 1), today)
    assert preset_period("last_4_weeks", today) == (date(2026, 4, 23), today)


def test_a_report_tab_built_when_first_shown_shows_the_reports_read_before(qtbot, sqlite_db, clinic):
    page = _page(qtbot, sqlite_db, clinic.manager)
    page.show()
    trend = 2
    assert page.tabs.tabText(trend) == "Score trend" and not page.tabs.is_built(trend)
    page.tabs.setCurrentIndex(trend)
    qtbot.waitUntil(lambda: page.tabs.is_built(trend))
    assert page.trend_tab.isVisible() and page.current_report() == "score_trend"
    assert page.trend_tab.model.rowCount() == len(page.loaded.trend_table.rows) > 0
    assert page.trend_tab.chart.series_names()  # the chart drawn from the same reports


def test_the_team_filter_is_as_wide_as_its_names_that_arrive_after_the_page_is_shown(qtbot, sqlite_db, clinic):
    """The page opens before its teams are read: the box must not stay the width of the empty box ("All te")."""
    page = ReportsPage(Workspace(sqlite_db, clinic.manager))
    qtbot.addWidget(page)
    page.resize(1720, 900)
    page.show()  # shown at once, as the main window shows it, before the choices arrive
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.team.count() > 1, timeout=20000)
    qtbot.waitUntil(lambda: page.team.width() >= page.team.sizeHint().width())
    widest = max(page.team.fontMetrics().horizontalAdvance(page.team.itemText(i)) for i in range(page.team.count()))
    assert page.team.width() > widest + 20, (page.team.width(), widest)  # the name whole beside the arrow
    page.wait_for_tasks()


def test_every_report_table_sits_as_far_in_from_its_tab_s_edges(qtbot, sqlite_db, clinic):
    """The scorecards and the agreement table touched the tab's frame; the growth table beside them did not."""
    from PySide6.QtCore import QPoint

    page = _page(qtbot, sqlite_db, clinic.manager)
    page.show()
    qtbot.waitExposed(page)
    insets = {}
    for name in ("growth_view", "cards_view", "agreement_view"):
        view = getattr(page, name)
        page.tabs.setCurrentWidget(view)
        qtbot.waitUntil(view.isVisible)
        insets[name] = view.mapTo(page.tabs, QPoint(0, 0)).x()
    assert len(set(insets.values())) == 1, insets


@pytest.mark.parametrize("language", ["english", "russian"])
def test_the_growth_table_read_before_the_page_is_shown_fits_it_at_1366(qtbot, sqlite_db, clinic, language,
                                                                         request):
    """The page is built and its reports read off screen, ahead of a first visit: the growth table kept the
    widths fitted for no width at all, scrolled sideways at 1366 px and cut its last column ("P rat…")."""
    from PySide6.QtWidgets import QApplication

    from tests.app.app_look import app_wide_look

    request.getfixturevalue(language)
    with app_wide_look():
        page = _page(qtbot, sqlite_db, clinic.manager)  # read while hidden
        assert not page.isVisible()
        page.show()
        qtbot.waitExposed(page)
        QApplication.processEvents()
        view = page.growth_view
        header = view.horizontalHeader()
        shown = [c for c in range(header.count()) if not view.isColumnHidden(c)]
        total = lambda: sum(header.sectionSize(c) for c in shown)  # noqa: E731
        qtbot.waitUntil(lambda: view.viewport().width() - 8 <= total() <= view.viewport().width())  # edge to edge
        assert view.horizontalScrollBar().maximum() == 0
        question = page.growth_model.index(0, 2)
        assert str(question.data()) in question.data(Qt.ItemDataRole.ToolTipRole)  # elided: whole in its tooltip
        for width in (1920 - 190, 900):  # wider, narrower: the table follows the width, never scrolls sideways
            page.resize(width, 700)
            qtbot.waitUntil(lambda: view.viewport().width() - 8 <= total() <= view.viewport().width())
            assert view.horizontalScrollBar().maximum() == 0
