"""The SQLite writer leaves its WAL to the Checkpointer: the WAL stays bounded under a writer
that never pauses, and nothing written is lost when it is copied into the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reference.service.persistence.database import Checkpointer, Database

ROWS, ROW_BYTES = 3000, 3000  # about 9 MB of pages, two or more per row


def test_a_busy_writers_wal_is_copied_and_started_again(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    db = Database.connect(f"sqlite:///{path}")
    assert db.checkpointer is not None and db.group is not None
    db.checkpointer.close()  # the default checks once a second; this one every 20 ms
    db.checkpointer = Checkpointer(db.reader, writer=db.group.lock, every=0.02, restart_frames=200)
    db.write(lambda conn: conn.exec_driver_sql("CREATE TABLE t (n INTEGER, body BLOB)"))
    wal = path.with_name("hub.db-wal")
    largest = 0
    for n in range(ROWS):
        db.write(
            lambda conn, n=n: conn.exec_driver_sql(
                "INSERT INTO t VALUES (?, randomblob(?))", (n, ROW_BYTES)
            )
        )
        largest = max(largest, wal.stat().st_size)
    db.dispose()
    # The writer does not checkpoint (wal_autocheckpoint=0): without the Checkpointer the WAL
    # holds every page written (38 MB, measured); restarted past 200 frames it stays far below
    # (under 1 MB on a quiet machine, 7.6 MB with a test suite running beside it).
    assert largest < 15_000_000, largest
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT n) FROM t").fetchone() == (ROWS,) * 2
