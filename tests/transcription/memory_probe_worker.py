"""Run in a child process under a memory limit: import header-lying files, then transcribe what was accepted."""

from __future__ import annotations

import json
import resource
import sys


def main(limit_bytes: int, folder: str, database_url: str, model_folder: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    from review.accounts.local_admin import ensure_local_admin
    from review.storage.db import open_database
    from review.library.importing import import_recordings
    from review.transcripts.worker import process_next
    from transcription.pipeline import TranscriptionOptions

    db = open_database(database_url)
    with db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    report = import_recordings(db, admin, [folder])
    options = TranscriptionOptions(language="ru", beam_size=1, model_folder=model_folder)
    outcomes = []
    while batch := process_next(db, options):
        outcomes += [{"call_id": o.call_id, "ok": o.ok, "reason": o.reason} for o in batch]
    print(json.dumps({
        "imported": report.imported_paths,
        "problems": {p.path: p.reason for p in report.problems},
        "warnings": {p.path: p.reason for p in report.warnings},
        "outcomes": outcomes,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:5])
