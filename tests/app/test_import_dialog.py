"""The import dialog runs the real import off the GUI thread and lists the problems."""

from sqlalchemy import func, select

from app.import_dialog import ImportDialog
from review.models import Call
from review.workspace import Workspace
from tests.conftest import write_tone_call


def _imported(qtbot, db, folder) -> ImportDialog:
    """The dialog as a user runs it: the local administrator imports `folder`; the dialog once it is done."""
    from review.accounts.local_admin import ensure_local_admin

    with db.sessions() as session:
        actor = ensure_local_admin(session)
        session.commit()
    dialog = ImportDialog(Workspace(db, actor))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)  # its steps are read off the GUI thread
    dialog.set_paths([str(folder)])
    with qtbot.waitSignal(dialog.imported, timeout=20000):
        dialog.start_button.click()
    return dialog


def test_import_dialog_imports_and_reports(qtbot, sqlite_db, tmp_path):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.sessions() as session:
        actor = ensure_local_admin(session)
        session.commit()
    write_tone_call(tmp_path / "rec" / "good.wav")
    (tmp_path / "rec" / "broken.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    write_tone_call(tmp_path / "rec" / ".hidden.wav", seconds=1.5)
    dialog = ImportDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)  # its steps are read off the GUI thread
    dialog.set_paths([str(tmp_path / "rec")])
    with qtbot.waitSignal(dialog.imported, timeout=20000) as blocker:
        dialog.start_button.click()
    report = blocker.args[0]
    assert report.imported == 1 and len(report.problems) == 1
    assert dialog.problems.topLevelItemCount() == 2  # every file met is listed with what happened to it
    assert dialog.problems.topLevelItem(0).text(0) == "broken.wav"
    assert dialog.problems.topLevelItem(1).text(0) == ".hidden.wav"
    assert dialog.problems.topLevelItem(1).text(1) == "Skipped: hidden file"
    assert "1" in dialog.status.text()
    with sqlite_db.sessions() as session:
        assert session.scalar(select(func.count(Call.id))) == 1


def test_in_russian_every_file_s_reason_reads_in_russian(qtbot, sqlite_db, tmp_path, russian):
    import numpy as np
    import soundfile as sf

    (tmp_path / "rec").mkdir()
    sf.write(tmp_path / "rec" / "quiet.wav", np.zeros(8000 * 3, dtype=np.float32), 8000)  # imported, no sound
    write_tone_call(tmp_path / "rec" / ".hidden.wav", seconds=1.5)  # skipped
    (tmp_path / "rec" / "notes.doc").write_bytes(b"not audio")  # skipped: not a supported format
    (tmp_path / "rec" / "empty.wav").write_bytes(b"")  # a problem: cannot be imported
    dialog = _imported(qtbot, sqlite_db, tmp_path / "rec")
    reasons = {dialog.problems.topLevelItem(i).text(0): dialog.problems.topLevelItem(i).text(1)
               for i in range(dialog.problems.topLevelItemCount())}
    assert reasons["quiet.wav"].endswith("тишина: в записи нет звука"), reasons
    assert reasons[".hidden.wav"].endswith("скрытый файл")
    assert reasons["notes.doc"].endswith("неподдерживаемый формат звука (.doc)")
    assert reasons["empty.wav"] == "пустой файл (0 байт)"
    assert not any(word in text for text in reasons.values() for word in ("silent", "hidden", "format", "empty")), \
        reasons


def test_in_russian_a_metadata_file_s_problems_read_in_russian(qtbot, sqlite_db, tmp_path, russian):
    write_tone_call(tmp_path / "rec" / "good.wav")
    (tmp_path / "rec" / "calls.csv").write_text(
        "file,started_at,direction\ngood.wav,вчера днём,in\nmisspelt.wav,2026-10-28 14:05,out\n", encoding="utf-8")
    dialog = _imported(qtbot, sqlite_db, tmp_path / "rec")
    reasons = [dialog.problems.topLevelItem(i).text(1) for i in range(dialog.problems.topLevelItemCount())]
    [value] = [r for r in reasons if "вчера днём" in r]  # the value, the row's own reason and what was kept
    assert "столбец 'started_at'" in value and "не распознаны" in value and "остальные поля строки" in value, value
    [unmatched] = [r for r in reasons if "без подходящей записи" in r]
    assert unmatched.endswith("строк без подходящей записи: 1 (первая — строка 3)"), unmatched
    assert not any(word in text for text in reasons for word in ("column", "row", "understood", "match")), reasons
