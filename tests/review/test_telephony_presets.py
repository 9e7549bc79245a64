"""Asterisk/FreePBX: a headerless Master.csv and the recordings' own names import through the preset."""

import csv
import io
import os
from datetime import datetime

import pytest
from sqlalchemy import select

from review.library.importing import import_recordings
from review.library.metadata_sidecar import MetadataChoice
from review.models import Call
from review.library.telephony_presets import fields_from_recording_name, resolve_parties
from tests.conftest import write_tone_call

IN_NAME = "in-79161234567-101-20250311-091244-1741673564.123.wav"
OUT_NAME = "out-84951234567-102-20250311-101500-1741677300.130.wav"


def _cdr(src, dst, dcontext, clid, start, billsec, disposition, uniqueid):
    # accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end,
    # duration, billsec, disposition, amaflags, uniqueid, userfield
    return ["", src, dst, dcontext, clid, "PJSIP/trunk-00000001", f"PJSIP/{dst}-00000002", "Dial", f"PJSIP/{dst},,tr",
            start, start, start, str(int(billsec) + 6), billsec, disposition, "DOCUMENTATION", uniqueid, ""]


def _master_csv(path):
    rows = [
        _cdr("79161234567", "101", "from-trunk", '"Пациент" <79161234567>', "2025-03-11 09:12:44", "132", "ANSWERED",
             "1741673564.123"),
        _cdr("102", "84951234567", "from-internal", '"Регистратура" <102>', "2025-03-11 10:15:00", "61", "ANSWERED",
             "1741677300.130"),
        _cdr("79030000000", "101", "from-trunk", '"" <79030000000>', "2025-03-11 11:00:00", "0", "NO ANSWER",
             "1741680000.140"),
    ]
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("preset", ["asterisk", None], ids=["named-preset", "recognised"])
def test_asterisk_master_csv_with_its_recordings(db, admin, tmp_path, preset):
    write_tone_call(tmp_path / "monitor" / IN_NAME, seconds=2.0)
    write_tone_call(tmp_path / "monitor" / OUT_NAME, seconds=2.5)
    master = tmp_path / "cdr-csv" / "Master.csv"
    _master_csv(master)
    report = import_recordings(db, admin, [tmp_path / "monitor"], metadata_csv=master,
                               metadata=MetadataChoice(preset=preset))
    # The unanswered call has no recording; a PBX's Master.csv holds every call, so that is no problem.
    assert report.imported == 2 and report.problems == []
    with db.sessions() as session:
        calls = {os.path.basename(c.path): c for c in session.scalars(select(Call))}
        inbound, outbound = calls[IN_NAME], calls[OUT_NAME]
        assert (inbound.started_at, inbound.direction, inbound.phone, inbound.operator.name) == \
            (datetime(2025, 3, 11, 9, 12, 44), "in", "79161234567", "101")
        assert {"billsec=132", "disposition=ANSWERED", "extension=101"} <= set(inbound.tags)
        assert not any("Пациент" in tag or tag.startswith(("dcontext=", "lastapp=")) for tag in inbound.tags)
        assert (outbound.started_at, outbound.direction, outbound.phone, outbound.operator.name) == \
            (datetime(2025, 3, 11, 10, 15), "out", "84951234567", "102")


def test_freepbx_recording_names_alone_give_time_direction_and_phone(db, admin, tmp_path):
    write_tone_call(tmp_path / "rec" / IN_NAME)
    report = import_recordings(db, admin, [tmp_path / "rec"])
    assert report.problems == []
    with db.sessions() as session:
        call = session.scalars(select(Call)).one()
        assert (call.started_at, call.direction, call.phone, call.operator.name) == \
            (datetime(2025, 3, 11, 9, 12, 44), "in", "79161234567", "101")


def test_freepbx_cdr_report_with_recordingfile_column(db, admin, tmp_path):
    write_tone_call(tmp_path / "rec" / "2025" / "03" / "11" / IN_NAME)
    (tmp_path / "rec" / "cdr.csv").write_text(
        "calldate,clid,src,dst,dcontext,channel,disposition,billsec,uniqueid,recordingfile,cnam\n"
        f'2025-03-11 09:12:44,"""Пациент"" <79161234567>",79161234567,101,from-trunk,PJSIP/x,ANSWERED,132,'
        f"1741673564.123,{IN_NAME},Пациент\n", encoding="utf-8")
    report = import_recordings(db, admin, [tmp_path / "rec"], metadata_csv=tmp_path / "rec" / "cdr.csv")
    assert report.problems == []
    with db.sessions() as session:
        call = session.scalars(select(Call)).one()
        assert (call.started_at, call.phone, call.direction) == (datetime(2025, 3, 11, 9, 12, 44), "79161234567", "in")


def test_recording_names_and_parties():
    assert fields_from_recording_name("q-500-79161234567-20250311-091244-1741673564.5") == {
        "party_a": "500", "party_b": "79161234567", "date": "20250311", "time": "091244",
        "call_id": "1741673564.5", "direction": "in"}
    assert fields_from_recording_name("2026-10-28_14-05-09_Ольга_out_7916") is None
    assert resolve_parties(None, "79161234567", "101") == ("in", "79161234567", "101")
    assert resolve_parties(None, "102", "+74951234567") == ("out", "+74951234567", "102")
    assert resolve_parties("in", None, None, ("101", "79161234567")) == ("in", "79161234567", "101")
    assert resolve_parties(None, "101", "102") == (None, None, None)  # two extensions: no patient
