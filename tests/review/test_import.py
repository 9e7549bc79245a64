import hashlib
import os
import shutil
import subprocess
import sys
from datetime import datetime

import pytest
from sqlalchemy import func, select

from review.library.importing import import_recordings
from review.models import Call, Operator, TranscriptionJob
from tests.conftest import DEMO_CALLS, REPO, write_tone_call


def _calls(db):
    with db.sessions() as session:
        return list(session.scalars(select(Call).order_by(Call.path)))


def test_import_reads_format_duration_and_channels(db, admin, tmp_path):
    write_tone_call(tmp_path / "a" / "stereo.wav", seconds=2.0, channels=2)
    write_tone_call(tmp_path / "a" / "mono.flac", seconds=1.5, channels=1, rate=16000)
    write_tone_call(tmp_path / "a" / "deep" / "call.ogg", seconds=3.0, channels=2, fmt="OGG", subtype="VORBIS")
    report = import_recordings(db, admin, [tmp_path / "a"])
    assert report.imported == 3 and report.problems == []
    by_name = {os.path.basename(c.path): c for c in _calls(db)}
    assert by_name["stereo.wav"].channels == 2 and by_name["stereo.wav"].sample_rate == 8000
    assert by_name["stereo.wav"].duration_s == pytest.approx(2.0, abs=0.01)
    assert by_name["mono.flac"].channels == 1 and by_name["mono.flac"].duration_s == pytest.approx(1.5, abs=0.01)
    assert by_name["call.ogg"].duration_s == pytest.approx(3.0, abs=0.05)
    wav = tmp_path / "a" / "stereo.wav"
    assert by_name["stereo.wav"].sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()
    with db.sessions() as session:
        assert session.scalar(select(func.count(TranscriptionJob.id))) == 3


def test_reimport_changes_nothing_and_never_writes_recordings(db, admin, tmp_path):
    recording = write_tone_call(tmp_path / "in" / "x.wav")
    before = (recording.stat().st_mtime_ns, recording.read_bytes())
    first = import_recordings(db, admin, [tmp_path / "in"])
    second = import_recordings(db, admin, [tmp_path / "in"])
    assert (first.imported, second.imported, second.already_present) == (1, 0, 1)
    assert len(_calls(db)) == 1
    assert (recording.stat().st_mtime_ns, recording.read_bytes()) == before


def test_moved_recording_is_recognised_by_its_hash(db, admin, tmp_path):
    old = write_tone_call(tmp_path / "old" / "x.wav")
    import_recordings(db, admin, [old])
    new = tmp_path / "new" / "renamed.wav"
    new.parent.mkdir()
    shutil.move(old, new)
    report = import_recordings(db, admin, [tmp_path / "new"])
    assert (report.imported, report.relocated) == (0, 1)
    [call] = _calls(db)
    assert call.path == str(new)


def test_bad_files_are_reported_and_the_rest_imported(db, admin, tmp_path):
    folder = tmp_path / "mixed"
    write_tone_call(folder / "good.wav")
    (folder / "empty.wav").write_bytes(b"")
    (folder / "text.mp3").write_text("this is not audio at all " * 50)
    truncated = write_tone_call(folder / "truncated.wav", seconds=3.0)
    truncated.write_bytes(truncated.read_bytes()[: 44 + 2000])
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a recording")
    report = import_recordings(db, admin, [folder, tmp_path / "does-not-exist"])
    assert report.imported == 1
    reasons = {os.path.basename(p.path): p.reason for p in report.problems}
    assert set(reasons) == {"empty.wav", "text.mp3", "truncated.wav", "does-not-exist"}
    assert "empty" in reasons["empty.wav"].lower()
    assert "truncat" in reasons["truncated.wav"].lower()
    [skipped] = report.skipped
    assert skipped.path.endswith("notes.docx") and "not a supported audio format" in skipped.reason
    [call] = _calls(db)
    assert call.path.endswith("good.wav")
    with db.sessions() as session:
        assert session.scalar(select(func.count(TranscriptionJob.id))) == 1


def test_unreadable_folder_is_reported(tmp_path):
    locked = tmp_path / "locked"
    write_tone_call(locked / "inner" / "x.wav")
    write_tone_call(locked / "y.wav")
    os.chmod(locked / "inner", 0)
    # Root reads every folder, so as root the import runs without the two capabilities that allow it,
    # which is how a clinic's user account meets such a folder.
    unprivileged = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        result = subprocess.run([*unprivileged, sys.executable, str(REPO / "main.py"), "import", str(locked)],
                                capture_output=True, text=True, env=env, timeout=120)
    finally:
        os.chmod(locked / "inner", 0o755)
    assert "Traceback" not in result.stderr, result.stderr
    assert "cannot be read" in result.stdout and "inner" in result.stdout, result.stdout
    assert "imported: 1" in result.stdout  # the readable recording beside it still comes in


def test_sidecar_csv_metadata_and_bad_rows(db, admin, tmp_path):
    folder = tmp_path / "csv"
    for name in ("a.wav", "b.wav", "c.wav"):
        write_tone_call(folder / name, seconds=1.0 + len(name) * 0.1 + ord(name[0]) / 100)
    (folder / "metadata.csv").write_text(
        "file,operator,started_at,direction,channel,call_kind,outcome,tags,campaign\n"
        "a.wav,Анна Смирнова,2026-10-28T14:05:00,in,phone,inbound_booking,booked,vip;repeat,autumn\n"
        "b.wav,Игорь Петров,2026-10-29 09:30,out,phone,callback_checkup,not_booked,,\n"
        "c.wav,Игорь Петров,2026-10-30T10:00:00,sideways,phone,inbound_booking,booked,,\n",
        encoding="utf-8",
    )
    report = import_recordings(db, admin, [folder])
    assert report.imported == 3
    assert len(report.problems) == 1
    assert report.problems[0].path.endswith("metadata.csv:4") and "sideways" in report.problems[0].reason
    calls = {os.path.basename(c.path): c for c in _calls(db)}
    a = calls["a.wav"]
    assert a.started_at == datetime(2026, 10, 28, 14, 5)
    assert (a.direction, a.call_kind, a.outcome, a.channel_kind) == ("in", "inbound_booking", "booked", "phone")
    assert a.tags == ["vip", "repeat", "campaign=autumn"]
    assert calls["b.wav"].direction == "out"
    assert calls["c.wav"].direction is None  # the bad row is not applied
    with db.sessions() as session:
        assert sorted(session.scalars(select(Operator.name))) == ["Анна Смирнова", "Игорь Петров"]


def test_csv_without_file_column_is_reported(db, admin, tmp_path):
    write_tone_call(tmp_path / "f" / "a.wav")
    (tmp_path / "f" / "metadata.csv").write_text("name;who\nx;y\n")
    report = import_recordings(db, admin, [tmp_path / "f"])
    assert report.imported == 1
    assert "no 'file' column" in report.problems[0].reason


def test_filename_template_metadata(db, admin, tmp_path):
    write_tone_call(tmp_path / "t" / "2026-10-28_14-05-09_Ольга_Кузнецова_out_79161234567.wav")
    write_tone_call(tmp_path / "t" / "unrelated-name.wav", seconds=1.0)
    report = import_recordings(db, admin, [tmp_path / "t"], filename_template="{date}_{time}_{operator}_{direction}_{phone}")
    assert report.imported == 2
    calls = {os.path.basename(c.path): c for c in _calls(db)}
    c = calls["2026-10-28_14-05-09_Ольга_Кузнецова_out_79161234567.wav"]
    assert c.started_at == datetime(2026, 10, 28, 14, 5, 9)
    assert (c.direction, c.phone) == ("out", "79161234567")
    with db.sessions() as session:
        assert session.get(Operator, c.operator_id).name == "Ольга Кузнецова"
    assert calls["unrelated-name.wav"].operator_id is None


def test_cancel_keeps_what_was_imported(db, admin, tmp_path):
    for i in range(5):
        write_tone_call(tmp_path / "c" / f"{i}.wav", seconds=1.0 + i / 10)
    seen = []
    report = import_recordings(db, admin, [tmp_path / "c"], progress=lambda i, n, name: seen.append(i),
                               should_cancel=lambda: len(seen) >= 3)
    assert report.cancelled and report.imported == 3
    assert len(_calls(db)) == 3


def test_demo_set_imports_whole(db, admin):
    import csv

    rows = list(csv.DictReader((DEMO_CALLS / "metadata.csv").open(encoding="utf-8")))
    report = import_recordings(db, admin, [DEMO_CALLS])
    assert report.problems == [] and report.imported == len(rows) >= 8
    import soundfile

    for call in _calls(db):
        assert call.channels == 2 and call.sample_rate == 8000 and 10 < call.duration_s < 120
        assert call.operator_id is not None and call.started_at is not None and call.call_kind
        assert call.sha256 == hashlib.sha256(open(call.path, "rb").read()).hexdigest()
        assert call.duration_s == pytest.approx(soundfile.info(call.path).duration, abs=0.01)
    again = import_recordings(db, admin, [DEMO_CALLS])
    assert (again.imported, again.already_present) == (0, len(rows))


def test_a_team_supervisor_s_new_operators_join_the_team(db, tmp_path):
    from review.library.calls import CallFilter, count_calls
    from review.models import Team, User

    with db.unit_of_work() as session:
        team = Team(name="Регистратура")
        session.add(team)
        session.flush()
        supervisor = User(username="olga", display_name="Ольга", role="supervisor", team_id=team.id)
        session.add(supervisor)
        session.flush()
    write_tone_call(tmp_path / "t" / "2026-10-28_14-05-09_Пётр_Иванов_in_79160000000.wav")
    report = import_recordings(db, supervisor, [tmp_path / "t"],
                               filename_template="{date}_{time}_{operator}_{direction}_{phone}")
    assert report.imported == 1
    with db.sessions() as session:
        operator = session.scalars(select(Operator)).one()
        assert operator.team_id == supervisor.team_id
        assert count_calls(session, supervisor, CallFilter()) == 1  # still in her own library


def test_library_text_filter_takes_wildcards_literally(db, admin, tmp_path):
    from review.library.calls import CallFilter, count_calls

    write_tone_call(tmp_path / "w" / "100%_sure.wav")
    write_tone_call(tmp_path / "w" / "1000 calls.wav", seconds=1.5)
    import_recordings(db, admin, [tmp_path / "w"])
    with db.sessions() as session:
        assert count_calls(session, admin, CallFilter(text="100%_")) == 1
        assert count_calls(session, admin, CallFilter(text="%")) == 1


def test_a_name_in_windows_1251_bytes_is_imported_and_stored_exactly(db, admin, tmp_path):
    from transcription.audio import probe

    odd = os.fsdecode(os.fsencode(str(tmp_path)) + "/Звонок Ольге\\x41.wav".encode("cp1251"))
    os.rename(write_tone_call(tmp_path / "plain.wav"), odd)
    report = import_recordings(db, admin, [tmp_path])
    assert report.imported == 1 and report.problems == []
    assert report.imported_paths == [os.fsencode(odd).decode("utf-8", "backslashreplace")]
    [call] = _calls(db)
    assert call.path == odd and probe(call.path).duration_s == pytest.approx(2.0)
    again = import_recordings(db, admin, [tmp_path])
    assert again.already_present == 1 and "as call #" in again.duplicates[0].reason


@pytest.mark.parametrize(("content", "words"), [
    (b"", "empty"), (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel workbook"),
    (b"\x00\x01\x02binary" * 50, "not a text file"),
    ("file;operator\na.wav;Анна Смирнова\n".encode("utf-16"), None),  # Excel's "Unicode text": read
])
def test_metadata_files_that_are_not_csv_say_what_they_are(db, admin, tmp_path, content, words):
    write_tone_call(tmp_path / "m" / "a.wav")
    (tmp_path / "m" / "metadata.csv").write_bytes(content)
    report = import_recordings(db, admin, [tmp_path / "m"])
    assert report.imported == 1
    if words is None:
        assert report.problems == []
        with db.sessions() as session:
            assert list(session.scalars(select(Operator.name))) == ["Анна Смирнова"]
    else:
        [problem] = report.problems
        assert problem.path.endswith("metadata.csv") and words in problem.reason


def test_a_database_that_fails_mid_import_stops_it_with_one_sentence(sqlite_db, tmp_path):
    import sqlite3

    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    write_tone_call(tmp_path / "in" / "a.wav")
    holder = sqlite3.connect(str(sqlite_db.engine.url.database), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program takes the write lock after Kalibra opened the file
    try:
        report = import_recordings(sqlite_db, admin, [tmp_path / "in"])
    finally:
        holder.close()
    assert report.failed and report.imported == 0
    assert "is locked by another program" in report.stopped and "\n" not in report.stopped
