"""The pace of Google Sheets reads shared by every process of one run (a city's wards):
Google allows a user so many read requests a minute (60 by default) and answers 429 past
them. Each request waits here for its turn before it is sent, so that a city of wards
stays under the quota instead of being refused and backing off.

The bucket is pyrate-limiter's SQLite bucket in a file under the run's outputs, locked
with a file lock: every process that holds a `ReadLimit` (it pickles: a path and a rate)
counts against the same window. No thread is started (the bucket's rows are cleaned up
by the process that acquires), so a process may fork right after a read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUCKET_FILE = "_sheets_reads.sqlite"
TABLE = "sheets_reads"


@dataclass(frozen=True)
class ReadLimit:
    """At most `reads` requests in any `seconds` window, across processes."""

    path: str  # the SQLite file
    reads: int = 60
    seconds: float = 60.0

    @classmethod
    def for_run(cls, out: Path, reads: int = 60, seconds: float = 60.0) -> ReadLimit:
        """The limit of a run whose outputs are under `out`."""
        out.mkdir(parents=True, exist_ok=True)
        return cls(str(out / BUCKET_FILE), reads, seconds)

    def wait_turn(self) -> None:
        """Block until one more request fits in the window, and count it."""
        from pyrate_limiter import Duration, Limiter, Rate, SQLiteBucket
        from pyrate_limiter.limiter import SingleBucketFactory

        rate = Rate(self.reads, int(Duration.SECOND * self.seconds))
        bucket = SQLiteBucket.init_from_file([rate], table=TABLE, db_path=self.path,
                                             use_file_lock=True)
        limiter = Limiter(SingleBucketFactory(bucket, schedule_leak=False))
        try:
            limiter.try_acquire("sheets", blocking=True)
            bucket.leak(bucket.now())
        finally:
            limiter.close()
