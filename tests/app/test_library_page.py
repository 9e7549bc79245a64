"""The library table over a real database: paging, sorting and filtering through the Qt model and view."""

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from app.call_table_model import PAGE_SIZE, CallTableModel
from app.library_page import LibraryPage
from review.library.calls import CallFilter
from review.models import Call, Operator
from review.workspace import Workspace


@pytest.fixture
def filled(sqlite_db):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.sessions() as session:
        actor = ensure_local_admin(session)
        anna, igor = Operator(name="Анна"), Operator(name="Игорь Кузнецов-Петров")
        session.add_all([anna, igor])
        start = datetime(2026, 10, 1, 9, 0)
        for i in range(450):
            session.add(Call(path=f"/calls/{i}.wav", sha256=f"{i:064x}", size_bytes=1000, duration_s=30 + i % 97,
                             sample_rate=8000, channels=2, codec="PCM_16", started_at=start + timedelta(hours=i),
                             direction="in" if i % 3 else "out", call_kind="inbound_booking",
                             outcome="booked" if i % 2 else "not_booked", operator=anna if i % 5 else igor))
        session.commit()
    return sqlite_db, actor


def settled(qtbot, page_or_model) -> None:
    """Wait until the table holds the answer to the latest query (it is read off the GUI thread)."""
    model = getattr(page_or_model, "model", page_or_model)
    qtbot.waitUntil(lambda: not model.loading)


def test_model_pages_rows_lazily(qtbot, filled):
    db, actor = filled
    model = CallTableModel(Workspace(db, actor))
    assert model.loading and model.rowCount() == 0  # nothing read on the GUI thread
    with qtbot.waitSignal(model.loaded):
        pass
    assert model.rowCount() == 450
    assert set(model._pages) == {0}  # the count comes with the first page; nothing else until asked for
    last = model.index(449, 0)
    assert model.data(last) is None  # not here yet: asked for, off the GUI thread
    with qtbot.waitSignal(model.page_loaded) as arrived:
        pass
    assert arrived.args == [449 // PAGE_SIZE]
    assert model.data(last) in {"Анна", "Игорь Кузнецов-Петров"}
    assert set(model._pages) == {0, 449 // PAGE_SIZE}


def test_a_newer_query_drops_the_older_answer_and_a_refresh_never_blanks_rows(qtbot, filled):
    db, actor = filled
    model = CallTableModel(Workspace(db, actor))
    settled(qtbot, model)
    model.set_filter(CallFilter(text="/calls/44"))
    model.set_filter(CallFilter(text="/calls/7"))  # asked before the first answer came
    answers = []
    model.loaded.connect(lambda: answers.append(model.rowCount()))
    settled(qtbot, model)
    qtbot.wait(50)
    assert answers == [11]  # 7, 70..79: the first query's answer never reached the table
    model.set_filter(CallFilter())
    settled(qtbot, model)
    assert model.data(model.index(300, 0)) is None
    qtbot.waitUntil(lambda: model.data(model.index(300, 0)) is not None)
    before = model.data(model.index(300, 1))
    model.refresh()
    assert model.data(model.index(300, 1)) == before  # shown until the fresh copy comes
    settled(qtbot, model)
    assert model.data(model.index(300, 1)) == before


def test_sort_by_duration_through_the_view(qtbot, filled):
    db, actor = filled
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    settled(qtbot, page)
    durations = [page.model.data(page.model.index(r, 2)) for r in range(3)]
    assert durations == ["0:30", "0:30", "0:30"]
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    settled(qtbot, page)
    assert page.model.data(page.model.index(0, 2)) == "2:06"  # 30 + 96 seconds


def test_filters_from_the_bar_reach_the_query(qtbot, filled):
    db, actor = filled
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.operator.findText("Игорь Кузнецов-Петров") > 0)
    page.operator.setCurrentIndex(page.operator.findText("Игорь Кузнецов-Петров"))
    settled(qtbot, page)
    assert page.model.rowCount() == 90
    assert page.count_label.text() == "Calls shown: 90"
    page.direction.setCurrentIndex(page.direction.findData("out"))
    settled(qtbot, page)
    assert page.model.rowCount() == len([i for i in range(450) if i % 5 == 0 and i % 3 == 0])
    page.reset_filters()
    settled(qtbot, page)
    assert page.model.rowCount() == 450
    page.min_minutes.setValue(2)  # 120 s and more: durations 120..126
    settled(qtbot, page)
    assert page.model.rowCount() == len([i for i in range(450) if 30 + i % 97 >= 120])
    page.reset_filters()
    page.search.setText("/calls/44")
    qtbot.waitUntil(lambda: page.model.rowCount() == 11)  # 44 and 440..449, after the typing pause


def test_period_filter(qtbot, filled):
    db, actor = filled
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.period.setChecked(True)
    page.date_from.setDate(datetime(2026, 10, 2).date())
    page.date_to.setDate(datetime(2026, 10, 2).date())
    settled(qtbot, page)
    assert page.model.rowCount() == 24
    assert page.model.call_filter.started_from == datetime(2026, 10, 2)


def test_selecting_a_row_fills_the_details(qtbot, filled):
    db, actor = filled
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.model.set_filter(CallFilter(text="/calls/7.wav"))
    with qtbot.waitSignal(page.details.shown):  # read off the GUI thread; the first row is selected for us
        pass
    assert page.details.fields["file"].text() == "7.wav"
    assert page.details.fields["file"].toolTip() == "/calls/7.wav"
    assert page.details.fields["operator"].text() == "Анна"


def test_columns_can_be_shown_and_the_choice_is_remembered(qtbot, filled):
    from app.call_table_model import COLUMNS

    db, actor = filled
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    direction = COLUMNS.index("direction")
    assert page.table.isColumnHidden(direction)  # hidden by default to fit 1366 px
    page.set_column_shown(direction, True)
    again = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(again)
    assert not again.table.isColumnHidden(direction)
    assert again.table.isColumnHidden(COLUMNS.index("transcription_status"))  # the state is in the details


def test_an_empty_filter_result_says_why_and_how_to_widen_it(qtbot, filled, english):
    db, actor = filled
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    settled(qtbot, page)
    assert not page.empty_hint.showing()
    page.search.setText("no such file")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.empty_hint.showing() and "No calls match these filters" in page.empty_hint.text()
    assert "Reset" in page.empty_hint.text() and page.count_label.text() == "Calls shown: 0"
    assert page.details.title.text() == "No call selected"
    page.reset_filters()
    settled(qtbot, page)
    assert not page.empty_hint.showing() and page.model.rowCount() == 450


def test_the_selected_call_stays_selected_when_the_library_refreshes(qtbot, filled):
    from app.operations import announce

    db, actor = filled
    page = LibraryPage(Workspace(db, actor))
    qtbot.addWidget(page)
    settled(qtbot, page)
    with qtbot.waitSignal(page.details.shown):
        page.table.selectRow(5)
    chosen = page.model.call_id_at(5)
    with qtbot.waitSignal(page.model.loaded):
        announce({"calls"})  # e.g. a call was imported on another desktop
    assert page.table.currentIndex().row() == 5 and page.details._call_id == chosen


def test_a_call_changed_twice_before_its_page_comes_back_keeps_its_row_and_reads_the_newer(qtbot, filled):
    db, actor = filled
    model = CallTableModel(Workspace(db, actor))
    settled(qtbot, model)
    call_id = model.call_id_at(0)
    model.reload_call(call_id)  # its transcript is ready…
    with db.unit_of_work() as session:
        session.get(Call, call_id).outcome = "booked" if session.get(Call, call_id).outcome != "booked" else "not_booked"
        changed_to = session.get(Call, call_id).outcome
    model.reload_call(call_id)  # …and changed again before the first page came back: no error, still shown
    assert model.row_of_call(call_id) == 0
    qtbot.waitUntil(lambda: 0 in model._pages and not model._stale)
    assert model._pages[0][0].outcome == changed_to


@pytest.mark.parametrize("language", ["english", "russian"])
def test_the_table_fits_beside_the_details_at_1366_and_every_button_shows_its_words(qtbot, filled, language, request):
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QApplication

    from app.call_table_model import COLUMNS
    from app.column_fit import title_width
    from app.labels import widest_datetimes
    from tests.app.app_look import app_wide_look

    request.getfixturevalue(language)
    db, actor = filled
    with app_wide_look():  # the font and style first, as in the app: the columns are measured while it is built
        page = LibraryPage(Workspace(db, actor))
        qtbot.addWidget(page)
        page.resize(1366 - 190, 700)  # the page beside the sidebar on a 1366 px screen
        page.show()
        qtbot.waitExposed(page)
        settled(qtbot, page)
        QApplication.processEvents()
        table, header = page.table, page.table.horizontalHeader()
        assert table.horizontalScrollBar().maximum() == 0  # no sideways scroll
        shown = [c for c in range(page.model.columnCount()) if not table.isColumnHidden(c)]
        bold = QFont(header.font())
        bold.setWeight(QFont.Weight.DemiBold)  # as the style sheet draws the names
        lines = 2 if header.defaultAlignment() & Qt.TextFlag.TextWordWrap else 1  # names wrap to leave room
        for column in shown:  # each column's name whole, the sorted one's with its arrow beside it
            name = str(page.model.headerData(column, Qt.Orientation.Horizontal))
            arrow = 16 if column == header.sortIndicatorSection() else 0
            assert title_width(QFontMetrics(bold), name, lines) + 16 + arrow <= header.sectionSize(column), name
        date = COLUMNS.index("started_at")
        widest = max(table.fontMetrics().horizontalAdvance(text) for text in widest_datetimes())
        assert widest + 8 <= header.sectionSize(date)  # "12 Nov 2026 10:35" whole, not "12 Nov 2026 …"
        operator = COLUMNS.index("operator")  # whose call it is, whole: the kind and the outcome give way first
        names = {str(page.model.index(row, operator).data()) for row in range(page.model.rowCount())}
        assert max(table.fontMetrics().horizontalAdvance(name) for name in names) + 8 <= header.sectionSize(operator)
        kind = page.model.index(0, COLUMNS.index("call_kind"))  # elided when long: whole in its tooltip
        assert str(kind.data()) in kind.data(Qt.ItemDataRole.ToolTipRole)
        for button in (page.details.swap_button, page.details.retry_button, page.details.export_button,
                       page.details.open_button):
            assert button.width() >= button.sizeHint().width(), button.text()
        page.resize(1100, 700)  # the window as it first opens on a 1366 px screen, not maximised
        qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
        page.resize(1366 - 190, 700)
        QApplication.processEvents()
        larger = QFont(page.font())
        larger.setPointSize(12)
        page.setFont(larger)  # measured again in the new font
        QApplication.processEvents()
        widest = max(table.fontMetrics().horizontalAdvance(text) for text in widest_datetimes())
        assert widest + 8 <= header.sectionSize(date)


@pytest.mark.parametrize("language", ["english", "russian"])
@pytest.mark.parametrize("window_width", [1297, 1366])
def test_the_operators_name_is_whole_beside_the_details(qtbot, filled, language, window_width, request):
    """At a 1297 px window the Russian column names on one line left "Ольга …" of the operator's name: the
    figures' names go onto two lines first ("1-й / ответ"), the call kind and the outcome are cut before it."""
    from PySide6.QtWidgets import QApplication

    from app.call_table_model import COLUMNS
    from tests.app.app_look import app_wide_look

    request.getfixturevalue(language)
    db, actor = filled
    with app_wide_look():
        page = LibraryPage(Workspace(db, actor))
        qtbot.addWidget(page)
        page.resize(window_width - 190, 700)  # beside the sidebar
        page.show()
        qtbot.waitExposed(page)
        settled(qtbot, page)
        page.table.selectRow(0)  # the details pane beside the table
        QApplication.processEvents()
        table, header = page.table, page.table.horizontalHeader()
        assert table.horizontalScrollBar().maximum() == 0
        operator = COLUMNS.index("operator")
        widest = max(table.fontMetrics().horizontalAdvance(page.operator.itemText(i))
                     for i in range(1, page.operator.count()))
        assert widest + 8 <= header.sectionSize(operator)
        assert header.height() >= header.sizeHint().height()  # a name on two lines is not cut in half


def test_the_details_pane_shows_each_value_whole_at_1366(qtbot, filled, russian):
    """Russian values wrap in the narrow pane: each gets the height of its lines ("Дата и время: 12.11.2026"
    once lost its time, "Итог: Только" the rest of its words) and stays inside the pane."""
    from PySide6.QtWidgets import QApplication, QScrollArea

    from app.labels import outcome_codes, outcome_label
    from tests.app.app_look import app_wide_look

    db, actor = filled
    longest = max(outcome_codes(), key=lambda code: len(outcome_label(code)))
    with db.unit_of_work() as session:
        call = session.get(Call, 8)
        call.outcome = longest
    with app_wide_look():
        page = LibraryPage(Workspace(db, actor))
        qtbot.addWidget(page)
        page.resize(1366 - 190, 560)
        page.show()
        page.model.set_filter(CallFilter(text="/calls/7.wav"))
        with qtbot.waitSignal(page.details.shown):
            pass
        QApplication.processEvents()
        pane = page.details
        viewport = pane.findChild(QScrollArea).viewport()
        wrapped = 0
        for key, value in pane.fields.items():
            if not pane.row_shown(key):
                continue
            assert value.height() >= value.heightForWidth(value.width()), (key, value.text())
            assert value.geometry().right() < viewport.width(), key
            wrapped += value.height() > value.fontMetrics().height() * 1.5
        assert wrapped >= 2  # the date and time, the outcome: the case that was cut
        assert pane.fields["outcome"].text() == outcome_label(longest)
