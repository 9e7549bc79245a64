"""The command line: real processes, plain messages, exit codes."""

import os
import subprocess
import sys

from tests.conftest import REPO, write_tone_call


def _kalibra(*args, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env_extra or {})}
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_import_reports_counts_and_problems(tmp_path):
    write_tone_call(tmp_path / "in" / "a.wav")
    (tmp_path / "in" / "b.wav").write_bytes(b"")
    first = _kalibra("import", str(tmp_path / "in"))
    assert first.returncode == 1, first.stderr  # something could not be imported
    assert "imported: 1" in first.stdout and "b.wav" in first.stdout and "empty" in first.stdout
    (tmp_path / "in" / "b.wav").unlink()
    again = _kalibra("import", str(tmp_path / "in"))
    assert again.returncode == 0, again.stderr
    assert "imported: 0, already in the library: 1" in again.stdout
    assert "a.wav: already in the library as call #1" in again.stdout


def test_a_bad_database_address_is_a_message_not_a_traceback(tmp_path):
    result = _kalibra("--database", "nonsense://", "import", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("kalibra: ") and "Traceback" not in result.stderr


def test_transcribe_needs_calls_or_all():
    result = _kalibra("transcribe")
    assert result.returncode == 2 and "--all" in result.stderr


def test_shared_database_needs_a_user(tmp_path):
    from review.accounts.users import set_first_admin_password
    from review.storage.db import open_database

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    db = open_database(url)
    set_first_admin_password(db, "correct horse battery")
    db.dispose()
    refused = _kalibra("--database", url, "import", str(tmp_path))
    assert refused.returncode == 1 and "--user" in refused.stderr
    wrong = _kalibra("--database", url, "--user", "admin", "import", str(tmp_path),
                     env_extra={"KALIBRA_PASSWORD": "wrong password"})
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    right = _kalibra("--database", url, "--user", "admin", "import", str(tmp_path),
                     env_extra={"KALIBRA_PASSWORD": "correct horse battery"})
    assert right.returncode in (0, 1) and "imported: 0" in right.stdout


def test_ctrl_c_during_an_import_still_prints_the_summary(tmp_path):
    import signal
    import time

    from sqlalchemy import func, select

    from review.models import Call
    from review.storage.db import open_database

    for i in range(3):
        write_tone_call(tmp_path / "in" / f"{i}.wav", seconds=1 + i / 10)
    with open(tmp_path / "in" / "9_huge.wav", "wb") as huge:  # sparse: hashing it takes a while, disk takes none
        huge.truncate(24 * 1024**3)
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.Popen([sys.executable, str(REPO / "main.py"), "--database", url, "import", str(tmp_path / "in")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    db = None
    try:
        while True:  # the three small files are in: the import is now hashing the huge one
            if run.poll() is not None:
                raise AssertionError(run.communicate())
            try:
                db = db or open_database(url, migrate=False)
                with db.sessions() as session:
                    if session.scalar(select(func.count(Call.id))) == 3:
                        break
            except Exception:  # the child may not have created the tables yet
                db = None
            time.sleep(0.05)
        run.send_signal(signal.SIGINT)
        out, err = run.communicate(timeout=60)
    finally:
        if db is not None:
            db.dispose()
        if run.poll() is None:
            run.kill()
    assert run.returncode == 130
    assert "imported: 3," in out and "Traceback" not in out + err
    assert "stopped" in err


def test_suggest_prints_the_suggestions_with_their_evidence(tmp_path):
    import json

    from review.accounts.local_admin import ensure_local_admin
    from review.storage.db import open_database
    from tests.app.review_support import reviewable_demo_call

    url = f"sqlite:///{tmp_path / 'kalibra.sqlite3'}"
    db = open_database(url)
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(db, actor, "ru06_poor_booking")
    db.dispose()
    result = _kalibra("--database", url, "suggest", str(call_id), "--json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    found = {item["question"]: item for item in json.loads(result.stdout)}
    flag = found["doctor_recommendation"]
    assert flag["suggested"] == "all_good" and flag["deciding_check"] == "all_doctors_good"
    [evidence, *_] = flag["checks"][0]["evidence"]
    assert evidence["speaker"] == "operator" and "все врачи хорошие" in evidence["text"]
    text = _kalibra("--database", url, "suggest", str(call_id), "--rubric", "inbound_call")
    assert text.returncode == 0, text.stderr
    assert "greeting_clinic_and_name: нет" in text.stdout and "no evidence found: looked for" in text.stdout
    missing = _kalibra("--database", url, "suggest", "999")
    assert missing.returncode == 1 and missing.stderr.startswith("kalibra: ") and "Traceback" not in missing.stderr


def test_source_layout_is_set_for_a_folder_and_refused_plainly(tmp_path):
    write_tone_call(tmp_path / "pbx" / "2026-11-17" / "a.wav")
    assert _kalibra("import", str(tmp_path / "pbx")).returncode == 0
    result = _kalibra("source-layout", str(tmp_path / "pbx"), "dual_mono")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"1 calls from {tmp_path / 'pbx'} heard as dual_mono; 0 queued to be transcribed again"
    wrong = _kalibra("source-layout", str(tmp_path / "pbx"), "quadrophonic")
    assert wrong.returncode == 1 and wrong.stderr.startswith("kalibra: Channel layout 'quadrophonic' is not one of")
    back = _kalibra("source-layout", str(tmp_path / "pbx"), "detect")
    assert back.returncode == 0 and "heard as detected per call" in back.stdout


def test_the_clinic_vocabulary_is_shown_set_and_refused_plainly(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    empty = _kalibra("--database", url, "vocabulary")
    assert empty.returncode == 0 and empty.stdout.strip() == "The clinic's vocabulary is empty."
    saved = _kalibra("--database", url, "vocabulary", "--set", "Семейный Доктор, доктор Соколова,,")
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.splitlines() == ["Семейный Доктор", "доктор Соколова"]
    long = _kalibra("--database", url, "vocabulary", "--set", "a" * 100)
    assert long.returncode == 1 and long.stderr.startswith("kalibra: “") and "too long" in long.stderr
    assert _kalibra("--database", url, "vocabulary").stdout.splitlines() == ["Семейный Доктор", "доктор Соколова"]
