"""SQLite's one writer, on the event loop: what a turn of the loop writes commits together, a
failing piece fails alone, a writer lock held elsewhere holds the writes back but not the
loop, and reads on the loop let it turn."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, event

from reference.service.persistence.database import Database, GroupWriter


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.connect(f"sqlite:///{tmp_path / 'hub.db'}")
    database.write(lambda conn: conn.exec_driver_sql("CREATE TABLE t (n INTEGER UNIQUE)"))
    yield database
    database.dispose()


def insert(n: int) -> Callable[[Connection], int]:
    return lambda conn: conn.exec_driver_sql("INSERT INTO t VALUES (?)", (n,)).rowcount


def rows(db: Database) -> list[int]:
    with db.read() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT n FROM t ORDER BY n")]


def group(db: Database) -> GroupWriter:
    assert db.group is not None
    return db.group


def test_what_one_turn_of_the_loop_writes_commits_in_one_transaction(db: Database) -> None:
    commits = []
    event.listen(db.writer, "commit", lambda conn: commits.append(1))
    size = group(db).batch

    async def main() -> list[int]:
        return await asyncio.gather(*(db.write_async(insert(n)) for n in range(size)))

    assert asyncio.run(main()) == [1] * size
    assert rows(db) == list(range(size))
    assert len(commits) == 1


def test_a_longer_turn_commits_a_batch_at_a_time_and_the_loop_turns_between(
    db: Database,
) -> None:
    size = group(db).batch
    commits: list[int] = []  # how often the loop had turned at each commit
    turns = 0
    event.listen(db.writer, "commit", lambda conn: commits.append(turns))

    async def main() -> None:
        async def count_turns() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        counter = asyncio.ensure_future(count_turns())
        await asyncio.gather(*(db.write_async(insert(n)) for n in range(3 * size)))
        counter.cancel()

    asyncio.run(main())
    assert rows(db) == list(range(3 * size))
    assert len(commits) == 3
    assert commits[0] < commits[1] < commits[2]


def test_a_failing_piece_fails_alone_and_the_rest_commit(db: Database) -> None:
    db.write(insert(5))

    async def main() -> list[object]:
        pieces = [group(db).submit(insert(n)) for n in (4, 5, 6)]  # 5 is taken
        return await asyncio.gather(*pieces, return_exceptions=True)

    first, taken, last = asyncio.run(main())
    assert (first, last) == (1, 1)
    assert isinstance(taken, Exception) and "UNIQUE" in str(taken)
    assert rows(db) == [4, 5, 6]


def test_a_lock_held_elsewhere_holds_the_writes_back_but_not_the_loop(db: Database) -> None:
    writer = group(db)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:  # as the Checkpointer does while it copies the end of the WAL
        with writer.lock:
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(5)

    async def main() -> tuple[int, bool]:
        write = asyncio.ensure_future(db.write_async(insert(1)))
        ticks = 0
        while ticks < 20:  # the loop turns while the write waits
            await asyncio.sleep(0.005)
            ticks += 1
        waited = not write.done()
        release.set()
        return await write, waited

    assert asyncio.run(main()) == (1, True)
    holder.join()
    assert rows(db) == [1]


def test_a_loop_of_reads_on_the_loop_lets_other_tasks_run(db: Database) -> None:
    async def main() -> int:
        ran = 0

        async def other() -> None:
            nonlocal ran
            ran += 1

        task = asyncio.ensure_future(other())
        deadline = time.monotonic() + 5
        while not task.done() and time.monotonic() < deadline:
            await db.run(rows, db)  # no await inside, yet the loop turns
        return ran

    assert asyncio.run(main()) == 1


def test_a_transactions_work_cannot_start_another_write(db: Database) -> None:
    with pytest.raises(RuntimeError, match="cannot start another write"):
        db.write(lambda conn: db.write(insert(1)))
