"""Headless commands: import, transcribe, worker, demo, source-layout, analytics, export, suggest. Errors are printed plainly with a non-zero exit."""

from __future__ import annotations

import argparse
import sys

from review.errors import KalibraError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kalibra", description="Kalibra — call quality review for clinic contact centers.")
    parser.add_argument("--database", metavar="URL", help="SQLAlchemy database URL (default: the embedded SQLite file)")
    parser.add_argument("--demo-if-empty", action="store_true", help="offer the demo workspace when the library is empty")
    parser.add_argument("--user", help="sign in as this user (shared databases)")
    sub = parser.add_subparsers(dest="command")
    imp = sub.add_parser("import", help="import recordings from files or folders")
    imp.add_argument("paths", nargs="+")
    imp.add_argument("--template", help="file name template, e.g. {date}_{time}_{operator}_{direction}_{phone}")
    imp.add_argument("--metadata", help="a metadata CSV or XLSX (default: metadata.csv, or the only "
                     "spreadsheet, in each folder)")
    imp.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                     help="store this column as this field, e.g. --map started_at=calldate (repeatable)")
    imp.add_argument("--mapping", metavar="NAME", help="a telephony preset (asterisk, freepbx) or a saved mapping")
    imp.add_argument("--save-mapping", metavar="NAME", help="save the mapping used under this name")
    imp.add_argument("--operator-identity", action="append", default=[], metavar="ADDRESS_OR_CHAT_NAME=OPERATOR",
                     help="in WhatsApp chats and e-mails, this address or chat name is this operator (remembered)")
    sub.add_parser("demo", help="load the demo workspace (demo calls and built-in rubrics)")
    tr = sub.add_parser("transcribe", help="transcribe calls now, in this process")
    tr.add_argument("call_ids", nargs="*", type=int)
    tr.add_argument("--all", action="store_true", help="every call that is waiting for transcription")
    wk = sub.add_parser("worker", help="work the shared transcription queue until stopped")
    wk.add_argument("--idle-exit", type=float, default=None, help="stop after this many idle seconds")
    wk.add_argument("--stale-after", type=float, default=90.0,
                    help="seconds without a heartbeat after which another worker's job is taken over")
    wk.add_argument("--poll", type=float, default=3.0, help="seconds between looks at an empty queue")
    an = sub.add_parser("analytics", help="measure talk, silence, hold and overtalk of calls transcribed before")
    an.add_argument("call_ids", nargs="*", type=int)
    an.add_argument("--all", action="store_true", help="measure every transcribed call again (default: those "
                    "not measured yet or measured with other thresholds)")
    ex = sub.add_parser("export", help="write the library with its analytics columns to a spreadsheet")
    ex.add_argument("what", choices=["calls"])
    ex.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    ex.add_argument("--output", "-o", help="the file to write (default: calls.FORMAT in this folder)")
    ex.add_argument("--range", action="append", default=[], metavar="MEASURE=FROM..TO",
                    help="only calls with the measure in the range, either end open: silence_total_s=30.. "
                         "(silence over 30 s), operator_share=70%%.. (operator talk over 70 %%); repeatable")
    ex.add_argument("--lang", choices=["ru", "en"], help="column titles and number format (default: the interface's)")
    sg = sub.add_parser("suggest", help="print the answers a call's rubric checks suggest, with their evidence")
    sg.add_argument("call_id", type=int)
    sg.add_argument("--rubric", metavar="SLUG", help="the rubric to check against (default: the one that fits the call)")
    sg.add_argument("--json", action="store_true", help="print JSON instead of text")
    sg.add_argument("--lang", choices=["ru", "en"], help="question texts (default: the interface's)")
    sl = sub.add_parser("source-layout", help="hear every call from a folder (an import source) with one "
                        "channel layout, now and on later imports; calls heard otherwise are transcribed again")
    sl.add_argument("folder")
    sl.add_argument("layout", help="stereo, dual_mono, one_silent, mono, or detect (each call's own, again)")
    vc = sub.add_parser("vocabulary", help="show or replace the clinic's words that transcription spells as "
                        "the clinic does (its name, doctors, services, drugs)")
    vc.add_argument("--set", metavar="WORDS", help='comma-separated, e.g. "Семейный Доктор, доктор Соколова"; '
                    '"" empties the list')
    sub.add_parser("purge", help="remove transcripts and evaluations older than the retention setting")
    sub.add_parser("set-admin-password", help="give the administrator a password (turns sign-in on)")
    return parser


def _cmd_source_layout(args) -> int:
    from review.transcripts.hearing import set_source_layout

    db, actor, _ = _open(args)
    layout = None if args.layout.strip().lower() == "detect" else args.layout.strip().lower()
    with db.unit_of_work() as session:
        change = set_source_layout(session, actor, args.folder, layout)
    print(f"{len(change.call_ids)} calls from {args.folder} heard as {layout or 'detected per call'}; "
          f"{change.requeued} queued to be transcribed again")
    return 0


def _cmd_purge(args) -> int:
    from review.library.retention import run_retention

    db, actor, _ = _open(args)
    report = run_retention(db, actor)
    print(report)
    return 0


def _cmd_set_admin_password(args) -> int:
    import getpass

    from review.accounts.users import set_first_admin_password
    from review.desktop.user_settings import load_settings
    from review.storage.db import open_database

    db = open_database(args.database or load_settings().database_url)
    password = getpass.getpass("New administrator password: ")
    if password != getpass.getpass("Repeat it: "):
        print("kalibra: the two passwords differ", file=sys.stderr)
        return 1
    set_first_admin_password(db, password)
    print("The administrator 'admin' now signs in with this password.")
    return 0


def _open(args):
    """Open the workspace and establish who acts: the local administrator in single-user mode,
    otherwise a signed-in user (--user or KALIBRA_USER; password from KALIBRA_PASSWORD or a prompt)."""
    import getpass
    import os

    from review.accounts.users import SINGLE_USER, sign_in, startup_mode
    from review.desktop.user_settings import load_settings
    from review.workspace import open_workspace

    settings = load_settings()
    db, actor = open_workspace(args.database or settings.database_url)
    if startup_mode(db) != SINGLE_USER:
        username = getattr(args, "user", None) or os.environ.get("KALIBRA_USER")
        if not username:
            raise KalibraError("This database needs a sign-in: pass --user NAME (or set KALIBRA_USER).")
        password = os.environ.get("KALIBRA_PASSWORD") or getpass.getpass(f"Password for {username}: ")
        actor = sign_in(db, username, password)
    return db, actor, settings


def _progress_line(done: int, total: int, name: str) -> None:
    if not sys.stderr.isatty():  # a log or a pipe gets the report, not a bar redrawn in place
        return
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}")
    sys.stderr.flush()


def _cmd_import(args) -> int:
    from review.library.importing import import_recordings
    from review.library.mapping_cli import chosen_mapping, print_new_terms, remember_mapping

    db, actor, settings = _open(args)
    saved, choice = chosen_mapping(settings, args)
    identities = {}
    for pair in args.operator_identity:
        handle, sep, operator = pair.rpartition("=")
        if not sep or not handle.strip() or not operator.strip():
            print(f"kalibra: --operator-identity {pair!r} is not ADDRESS_OR_CHAT_NAME=OPERATOR", file=sys.stderr)
            return 2
        identities[handle] = operator
    report = import_recordings(db, actor, args.paths, filename_template=args.template, metadata_csv=args.metadata,
                               metadata=choice, progress=_progress_line, operator_identities=identities)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print_import_report(report)
    print_new_terms(db, report.call_ids)
    remember_mapping(settings, args, saved)
    if report.stopped:
        print(f"kalibra: {report.stopped}", file=sys.stderr)
    if report.cancelled:
        print("kalibra: stopped; the files above were looked at, the rest were not", file=sys.stderr)
        return 130
    return 1 if report.failed else 0


def print_import_report(report, stream=None) -> None:
    """Every file met, under what happened to it; counts first."""
    stream = stream or sys.stdout
    print(f"imported: {report.imported}, already in the library: {report.already_present}, "
          f"moved: {report.relocated}, skipped: {len(report.skipped)}, problems: {len(report.problems)}, "
          f"warnings: {len(report.warnings)}", file=stream)
    for title, issues in (("not imported", report.problems), ("skipped", report.skipped),
                          ("already in the library", report.duplicates), ("imported with a warning", report.warnings)):
        if issues:
            print(f"{title}:", file=stream)
            for issue in issues:
                print(f"  {issue.path}: {issue.reason}", file=stream)


def _cmd_demo(args) -> int:
    from review.demo import create_demo_workspace

    db, actor, _ = _open(args)
    report = create_demo_workspace(db, actor, progress=_progress_line)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"demo workspace: {report.imported} calls imported, {report.already_present} already there")
    if report.stopped:
        print(f"kalibra: {report.stopped}", file=sys.stderr)
    return 1 if report.failed else 0


def _cmd_transcribe(args) -> int:
    from review.transcripts.terminal import transcribe_now

    db, actor, settings = _open(args)
    if not args.all and not args.call_ids:
        print("Name call ids or use --all.", file=sys.stderr)
        return 2
    return transcribe_now(db, actor, settings, None if args.all else args.call_ids)


def _cmd_vocabulary(args) -> int:
    from review.transcripts.clinic_vocabulary import clinic_vocabulary, set_clinic_vocabulary

    db, actor, _ = _open(args)
    if args.set is not None:
        with db.unit_of_work() as session:
            set_clinic_vocabulary(session, actor, (args.set,))  # it splits and trims the words itself
    with db.sessions() as session:
        terms = clinic_vocabulary(session)
    print("\n".join(terms) if terms else "The clinic's vocabulary is empty.")
    return 0


def _cmd_analytics(args) -> int:
    from review.analytics.stored import measure_calls

    db, actor, _ = _open(args)
    report = measure_calls(db, actor, args.call_ids or None, everything=args.all, progress=_count_line)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"calls measured: {report.measured}")
    for call_id, reason in report.without_audio:
        print(f"  call #{call_id}: measured from its transcript alone, the recording cannot be read ({reason})")
    return 0


def _measure_range(text: str):
    from review.errors import ValidationError
    from review.library.calls import MeasureRange

    measure, _, bounds = text.partition("=")
    low, dots, high = bounds.partition("..")
    if not dots:
        raise ValidationError("A range is MEASURE=FROM..TO, for example silence_total_s=30.. ; not {text}.",
                              text=repr(text))

    def number(value: str) -> float | None:
        value = value.strip().replace(",", ".")
        if not value:
            return None
        try:
            return float(value[:-1]) / 100 if value.endswith("%") else float(value)
        except ValueError:
            raise ValidationError("{value} in the range {text} is not a number.", value=repr(value),
                                  text=repr(text)) from None

    return MeasureRange(measure.strip(), number(low), number(high))


def _cmd_export(args) -> int:
    from pathlib import Path

    from review.library.calls import CallFilter
    from review.reporting.call_export import export_calls

    flt = CallFilter(ranges=tuple(_measure_range(text) for text in args.range))
    db, actor, settings = _open(args)
    with db.unit_of_work() as session:
        path, count = export_calls(session, actor, Path(args.output or f"calls.{args.format}"), flt,
                                   fmt=args.format, lang=args.lang or settings.language)
    print(f"{count} calls written to {path}")
    return 0


def _cmd_suggest(args) -> int:
    import json

    from review.scoring.evaluations import DraftPlan, plan_evaluation, rubric_for, rubric_of_plan
    from review.scoring.rubric_store import latest_published, rubric_of
    from review.scoring.suggestions import call_suggestions, suggestion_lines, suggestions_as_data

    db, actor, settings = _open(args)
    lang = args.lang or settings.language
    with db.sessions() as session:
        if args.rubric:
            rubric = rubric_of(latest_published(session, args.rubric))
        else:
            found = plan_evaluation(session, actor, args.call_id, default_rubric=settings.default_rubric)
            rubric = rubric_of_plan(session, found) if isinstance(found, DraftPlan) else rubric_for(session, found)
        found = call_suggestions(session, actor, args.call_id, rubric, clinic_names=tuple(settings.clinic_names))
    if args.json:
        print(json.dumps(suggestions_as_data(rubric, found, lang), ensure_ascii=False, indent=2))
    else:
        print("\n".join(suggestion_lines(rubric, found, lang)))
    return 0


def _count_line(done: int, total: int) -> None:
    _progress_line(done, total, "")


def _cmd_worker(args) -> int:
    from review.transcripts.terminal import run_worker

    db, actor, settings = _open(args)
    return run_worker(db, actor, settings, idle_exit_s=args.idle_exit, poll_s=args.poll,
                      stale_after_s=args.stale_after)


COMMANDS = {"import": _cmd_import, "demo": _cmd_demo, "transcribe": _cmd_transcribe, "worker": _cmd_worker,
            "analytics": _cmd_analytics, "export": _cmd_export, "suggest": _cmd_suggest,
            "purge": _cmd_purge, "source-layout": _cmd_source_layout, "vocabulary": _cmd_vocabulary, "set-admin-password": _cmd_set_admin_password}


def _database_url(args) -> str:
    from review.desktop.user_settings import load_settings
    from review.storage.db import resolve_database_url

    try:
        return resolve_database_url(args.database or load_settings().database_url)
    except Exception:  # only used to name the database in a message
        return args.database or "(the configured database)"


def run_command(args) -> int:
    """Run one command; every failure is one line on stderr (details in the log file) and a non-zero exit."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from review.desktop.error_log import configure_logging, log_path
    from review.storage.database_errors import describe_database_error

    for stream in (sys.stdout, sys.stderr):  # a name in any encoding, on any terminal, prints
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    configure_logging()
    try:
        return COMMANDS[args.command](args)
    except KalibraError as exc:
        print(f"kalibra: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"kalibra: {describe_database_error(exc, _database_url(args))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nkalibra: stopped", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line here, the traceback in the log
        logging.getLogger("kalibra.cli").error("kalibra %s failed", args.command, exc_info=exc)
        print(f"kalibra: unexpected error ({exc.__class__.__name__}: {exc}); details are in {log_path()}",
              file=sys.stderr)
        return 1
