"""The command line's metadata mapping: --map, presets, and the mapping remembered per folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, write_tone_call


def _kalibra(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_map_is_remembered_for_the_folder_and_new_kinds_are_listed(tmp_path):
    folder = tmp_path / "rec"
    write_tone_call(folder / "a.wav")
    sheet = folder / "выгрузка.csv"
    sheet.write_text("Запись;Кто;Когда;Что\na.wav;Анна Смирнова;11.03.2025 09:12;booking_cardiologist\n",
                     encoding="cp1251")
    first = _kalibra("import", str(folder), "--map", "operator=Кто", "--map", "started_at=Когда",
                     "--map", "call_kind=Что", "--save-mapping", "crm")
    assert first.returncode == 0, first.stderr
    assert "imported: 1" in first.stdout and "problems: 0" in first.stdout
    assert "new call kinds" in first.stdout and "booking_cardiologist (1)" in first.stdout
    settings = json.loads((Path(os.environ["KALIBRA_CONFIG_DIR"]) / "settings.json").read_text(encoding="utf-8"))
    remembered = settings["folder_mappings"][str(folder.resolve())]
    assert ["operator", "Кто"] in remembered["columns"] and settings["named_mappings"]["crm"] == remembered

    write_tone_call(folder / "b.wav", seconds=1.5)
    sheet.write_text("Запись;Кто;Когда;Что\na.wav;Анна Смирнова;11.03.2025 09:12;booking_cardiologist\n"
                     "b.wav;Игорь Петров;12.03.2025 10:00;complaint\n", encoding="cp1251")
    again = _kalibra("import", str(folder))  # no --map: the folder's mapping applies
    assert "imported: 1" in again.stdout and "problems: 0" in again.stdout, again.stdout

    from review.storage.db import open_database
    from review.models import Call

    db = open_database(f"sqlite:///{Path(os.environ['KALIBRA_DATA_DIR']) / 'kalibra.sqlite3'}")
    try:
        with db.sessions() as session:
            b = session.query(Call).filter(Call.path.endswith("b.wav")).one()
            assert (b.operator.name, b.started_at.isoformat(), b.call_kind) == \
                ("Игорь Петров", "2025-03-12T10:00:00", "complaint")
    finally:
        db.dispose()


def test_a_bad_map_or_preset_is_a_plain_message(tmp_path):
    write_tone_call(tmp_path / "rec" / "a.wav")
    bad = _kalibra("import", str(tmp_path / "rec"), "--map", "started_at")
    assert bad.returncode == 1 and "FIELD=COLUMN" in bad.stderr and "Traceback" not in bad.stderr
    unknown = _kalibra("import", str(tmp_path / "rec"), "--mapping", "avaya")
    assert unknown.returncode == 1 and "asterisk, freepbx" in unknown.stderr and "Traceback" not in unknown.stderr
