"""A stand-in worker process: claims the next transcription job and holds it until told (or killed)."""

from __future__ import annotations

import sys

from review.storage.db import open_database
from review.transcripts.jobs import claim_next, heartbeat, release, worker_name


def main(database_url: str) -> None:
    db = open_database(database_url, migrate=False)
    with db.sessions() as session:
        job = claim_next(session, worker_name())
    print(f"claimed {job.call_id if job else None}", flush=True)
    for line in sys.stdin:  # "beat" keeps the heartbeat fresh; "release" gives the job back and stops
        with db.sessions() as session:
            if line.strip() == "beat":
                heartbeat(session, job, 0.5)
                print("beaten", flush=True)
            elif line.strip() == "release":
                release(session, job)
                print("released", flush=True)
                return


if __name__ == "__main__":
    main(sys.argv[1])
