"""The import dialog's mapping step, driven as a user would: fix a column, decide on new kinds, import."""

import os

import pytest
from sqlalchemy import select

from app.import_dialog import ImportDialog
from review.desktop.user_settings import load_settings
from review.library.metadata_preview import PREVIEW_FIELDS
from review.library.vocabularies import load_vocabulary
from review.models import Call
from review.workspace import Workspace
from tests.conftest import write_tone_call
from tests.review.test_metadata_import import SEVEN

OPERATOR = PREVIEW_FIELDS.index("operator")
STARTED = PREVIEW_FIELDS.index("started_at")


def _folder(tmp_path):
    folder = tmp_path / "rec"
    lines = ["Запись;Кто;datetime;Направление;Вид звонка"]
    for index, (name, operator, started, direction, kind) in enumerate(SEVEN):
        write_tone_call(folder / name, seconds=1.0 + index / 10)
        when = "31.02.2025 16:20" if name == "c7.wav" else started.strftime("%d.%m.%Y %H:%M:%S")
        lines.append(";".join([name, operator, when, direction, kind]))
    (folder / "calls.csv").write_bytes("\r\n".join(lines).encode("cp1251"))
    return folder


def _admin(db):
    from review.accounts.local_admin import ensure_local_admin

    with db.sessions() as session:
        actor = ensure_local_admin(session)
        session.commit()
        return actor


def _combo_of(step, column):
    row = next(r for r in range(step.columns.rowCount()) if step.columns.item(r, 0).text() == column)
    return step.columns.cellWidget(row, 1)


def test_fix_a_column_decide_on_new_kinds_import_and_remember(qtbot, sqlite_db, tmp_path):
    actor = _admin(sqlite_db)
    folder = _folder(tmp_path)
    dialog = ImportDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)  # its steps are read off the GUI thread
    dialog.set_paths([str(folder)])
    step = dialog.mapping_step
    assert step.path() == folder / "calls.csv"
    assert step.rows.rowCount() == 7
    assert step.summary.text().startswith("calls.csv: 7 rows; problems: 1;"), step.summary.text()
    assert step.rows.item(0, OPERATOR).text() == ""  # "Кто" is no header Kalibra knows
    assert step.rows.item(0, STARTED).text() == "11 Mar 2025 09:12"  # as every date on screen, not ISO
    bad = step.rows.item(6, STARTED)
    assert bad.text() == "" and "31.02.2025 16:20" in bad.toolTip()

    combo = _combo_of(step, "Кто")
    combo.setCurrentIndex(combo.findData("operator"))
    assert step.rows.item(0, OPERATOR).text() == "Анна Смирнова"
    assert step.terms.rowCount() == 7
    assert {step.terms.item(r, 1).text() for r in range(7)} == {row[4] for row in SEVEN}
    step.set_term_decision("booking_dentist", "map:inbound_booking")

    with qtbot.waitSignal(dialog.imported, timeout=30000) as blocker:
        dialog.start_button.click()
    report = blocker.args[0]
    assert report.imported == 7
    assert [os.path.basename(p.path) for p in report.problems] == ["calls.csv:8"]
    with sqlite_db.sessions() as session:
        calls = {os.path.basename(c.path): c for c in session.scalars(select(Call))}
        assert [calls[row[0]].operator.name for row in SEVEN] == [row[1] for row in SEVEN]
        assert [calls[row[0]].direction for row in SEVEN] == [row[3] for row in SEVEN]
        assert calls["c3.wav"].call_kind == "inbound_booking"
        assert calls["c1.wav"].call_kind == "booking_cardiologist"
        vocabulary = load_vocabulary(session)
    added = {row[4] for row in SEVEN} - {"booking_dentist"}
    assert added <= {t.code for t in vocabulary.of("call_kind")}
    assert ("operator", "Кто") in load_settings().mapping_for_folder(folder).columns

    again = ImportDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.ready)  # its steps are read off the GUI thread
    again.set_paths([str(folder)])
    assert again.mapping_step.rows.item(0, OPERATOR).text() == "Анна Смирнова"
    assert again.mapping_step.terms.rowCount() == 0  # every kind is now known
    (tmp_path / "one.csv").write_text("Запись;Оператор\nc1.wav;Анна Смирнова\n", encoding="utf-8")
    again.mapping_step.set_file(tmp_path / "one.csv")
    assert again.mapping_step.summary.text().startswith("one.csv: 1 row;"), again.mapping_step.summary.text()


def test_the_step_speaks_russian_and_says_why_a_file_is_unusable(qtbot, sqlite_db, tmp_path, russian):
    actor = _admin(sqlite_db)
    write_tone_call(tmp_path / "rec" / "a.wav")
    dialog = ImportDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)  # its steps are read off the GUI thread
    dialog.set_paths([str(tmp_path / "rec")])
    step = dialog.mapping_step
    assert step.path() is None and step.rows.rowCount() == 0  # no spreadsheet beside the recordings
    (tmp_path / "Master.csv").write_bytes(b"\x00\x01binary\x00" * 10)
    step.set_file(tmp_path / "Master.csv")
    assert step.summary.text() == ("Master.csv — не текстовый файл (в нём двоичные данные): сохраните данные о звонках "
                                   "как CSV или XLSX.")
    assert step.columns.rowCount() == 0
    (tmp_path / "calls.csv").write_text("Файл;Оператор;Результат\na.wav;Анна;booked\n", encoding="utf-8")
    step.set_file(tmp_path / "calls.csv")
    targets = [step.columns.cellWidget(r, 1).currentText() for r in range(step.columns.rowCount())]
    assert targets == ["Файл записи", "Оператор", "Итог"]
    assert step.rows.item(0, PREVIEW_FIELDS.index("outcome")).text() == "Записан"


def test_the_step_fits_a_1366_screen_without_a_sideways_scroll(qtbot, sqlite_db, tmp_path, russian):
    from tests.app.app_look import as_in_the_app

    actor = _admin(sqlite_db)
    folder = _folder(tmp_path)
    dialog = ImportDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)
    dialog.set_paths([str(folder)])
    step = dialog.mapping_step
    for width in (1000, 760):  # as it opens on a 1366 px screen; its narrowest
        as_in_the_app(dialog, width, 700)
        qtbot.waitExposed(dialog)
        qtbot.wait(50)  # the columns are refitted once the geometry has settled
        for table in (step.columns, step.rows):
            assert table.horizontalScrollBar().maximum() == 0, (width, table.horizontalHeaderItem(0).text())
    as_in_the_app(dialog, 1000, 700)
    qtbot.wait(50)
    from app.column_fit import title_width

    header = step.rows.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(header.count()):  # the fields' names whole, on two lines rather than cut values
        title = step.rows.horizontalHeaderItem(column).text()
        assert title_width(metrics, title, 2) < header.sectionSize(column), title
    file_name = step.rows.item(0, PREVIEW_FIELDS.index("file"))
    assert step.rows.fontMetrics().horizontalAdvance(file_name.text()) + 8 <= header.sectionSize(0)  # "c1.wav"
    kind = step.rows.item(0, PREVIEW_FIELDS.index("call_kind"))
    assert kind.toolTip() == kind.text() == "booking_cardiologist"



@pytest.mark.parametrize("language", ["russian", "english"])
def test_at_its_narrowest_the_preview_titles_wrap_onto_two_lines_rather_than_being_cut(qtbot, sqlite_db, tmp_path,
                                                                                       language, request):
    """At 760 px the eight titles do not fit on one line: "Телефон пациента" showed as "ефон паци"; in English
    they fitted on one and cut the values instead ("c1.…", "11 Mar 2025 …")."""
    request.getfixturevalue(language)
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QFontMetrics

    from app.column_fit import title_width
    from tests.app.app_look import as_in_the_app

    dialog = ImportDialog(Workspace(sqlite_db, _admin(sqlite_db)))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)
    dialog.set_paths([str(_folder(tmp_path))])
    step = dialog.mapping_step
    as_in_the_app(dialog, 760, 700)
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    header = step.rows.horizontalHeader()
    assert header.defaultAlignment() & Qt.TextFlag.TextWordWrap
    assert header.height() >= 2 * header.fontMetrics().height()
    bold = QFont(header.font())
    bold.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetrics(bold)
    for column in range(header.count()):
        title = step.rows.horizontalHeaderItem(column).text()
        assert title_width(metrics, title, 2) + 8 <= header.sectionSize(column), title
    assert step.rows.horizontalScrollBar().maximum() == 0
    file_name = step.rows.item(0, PREVIEW_FIELDS.index("file"))  # names on two lines leave "c1.wav" whole
    assert step.rows.fontMetrics().horizontalAdvance(file_name.text()) + 8 <= header.sectionSize(0)


def test_columns_share_a_narrow_width_the_widest_cut_first_none_below_its_title():
    from app.column_fit import share_width

    assert share_width([50, 100, 300], 500, [40, 40, 40]) == [50, 100, 300]  # they fit: as they are
    assert share_width([50, 100, 300], 300, [40, 40, 40]) == [50, 100, 150]  # the widest gives way
    assert share_width([50, 200, 300], 300, [40, 40, 40]) == [50, 125, 125]  # two wide ones share
    assert share_width([50, 200, 300], 300, [40, 160, 40]) == [50, 160, 90]  # a title's width is kept


def test_before_a_file_is_chosen_the_tables_say_what_they_will_show_and_titles_keep_to_two_lines(
        qtbot, sqlite_db, russian):
    """The empty dialog showed two blank tables, and "Дата и время" took three lines cut at the header's edges
    (its column left no room for the style sheet's 8 px each side)."""
    from PySide6.QtGui import QFont, QFontMetrics

    from app.column_fit import title_width
    from tests.app.app_look import as_in_the_app

    dialog = ImportDialog(Workspace(sqlite_db, _admin(sqlite_db)))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)
    step = dialog.mapping_step
    as_in_the_app(dialog, 760, 700)
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    assert step.columns_hint.showing() and "CSV" in step.columns_hint.text()
    assert step.rows_hint.showing()
    header = step.rows.horizontalHeader()
    bold = QFont(header.font())
    bold.setWeight(QFont.Weight.DemiBold)
    for column in range(header.count()):
        title = step.rows.horizontalHeaderItem(column).text()
        assert title_width(QFontMetrics(bold), title, 2) + 16 <= header.sectionSize(column), title
    step.set_file(__file__)  # not a spreadsheet
    assert not step.columns_hint.showing() and step.summary.text()  # the problem is said, not "choose a file"
