"""The hub's statements, run on SQLite's driver directly.

A statement built once (statements.py) is a compiled-cache hit in SQLAlchemy, but each run still
builds an execution context, processes parameters by name and wraps the cursor: at load that
was a quarter of the service's CPU, more than SQLite itself. ``execute`` here compiles each
statement once per set of parameter names into its SQL text, the order of its parameters and
their bind processors (JSON), and then only binds and calls the sqlite3 cursor of the
transaction's own connection. Rows come back as named tuples with the column types' result
processors applied, so callers read them as they read SQLAlchemy rows.

Any other database goes through ``Connection.execute`` unchanged: on PostgreSQL the hub's time
goes to the database and its locks, and psycopg adapts the values itself.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql.elements import BindParameter

Params = Mapping[str, Any]
_POSTCOMPILE = "__[POSTCOMPILE_{}]"


class Rows:
    """What a statement returned: the few parts of SQLAlchemy's result the hub reads."""

    __slots__ = ("lastrowid", "rowcount", "rows")

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self.rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def one(self) -> Any:
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0]

    @property
    def inserted_primary_key(self) -> tuple[int | None]:
        return (self.lastrowid,)


class _Compiled:
    """One statement for one set of parameter names: its SQL, how to bind, how to read."""

    def __init__(self, statement: Any, keys: Sequence[str], conn: Connection) -> None:
        dialect = conn.dialect
        self.statement = statement  # held, so its id names it for as long as this cache lives
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        self.sql: str = compiled.string
        binds: dict[str, BindParameter[Any]] = compiled.binds
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.expanding = {n for n in self.names if binds[n].expanding}
        self.literals = {n: binds[n].effective_value for n in self.names if n not in keys}
        self.binders: dict[str, Callable[[Any], Any]] = {}
        for name in self.names:
            processor = binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.binders[name] = processor
        self.row: type | None = None
        self.readers: list[Callable[[Any], Any] | None] = []
        columns = getattr(statement, "selected_columns", None)
        if columns is not None and not statement.is_dml:
            self.row = namedtuple("Row", [c.key for c in columns])  # type: ignore[misc]
            self.readers = [
                c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
            ]
        self._sized: dict[tuple[int, ...], str] = {}

    def args(self, params: Params) -> tuple[str, list[Any]]:
        sql, values, sizes = self.sql, [], []
        literals, binders = self.literals, self.binders
        for name in self.names:
            value = params[name] if name in params else literals[name]
            bind = binders.get(name)
            if name in self.expanding:
                sizes.append(len(value))
                values.extend(bind(v) if bind else v for v in value)
            else:
                values.append(bind(value) if bind else value)
        if sizes:
            key = tuple(sizes)
            sized = self._sized.get(key)
            if sized is None:
                sized = sql
                expanding = (n for n in self.names if n in self.expanding)
                for name, size in zip(expanding, sizes, strict=True):
                    sized = sized.replace(_POSTCOMPILE.format(name), ", ".join("?" * size), 1)
                self._sized[key] = sized
            sql = sized
        return sql, values

    def rows(self, cursor: Any) -> list[Any]:
        if cursor.description is None:
            return []
        fetched = cursor.fetchall()
        row = self.row
        if row is None:  # RETURNING: named by the cursor, once
            names = [d[0] for d in cursor.description]
            row = self.row = namedtuple("Row", names)  # type: ignore[misc]
        readers = self.readers
        if not any(readers):
            return [row(*r) for r in fetched]
        return [
            row(*(read(v) if read is not None else v for read, v in zip(readers, r, strict=True)))
            for r in fetched
        ]


_compiled: dict[tuple[int, tuple[str, ...]], _Compiled] = {}


def execute(conn: Connection, statement: Any, params: Params | Sequence[Params]) -> Any:
    """Run a statement built once with ``params`` (a list of them: executemany) in ``conn``'s
    transaction; returns SQLAlchemy's result, or on SQLite the same reads from ``Rows``."""
    if conn.dialect.name != "sqlite":
        return conn.execute(statement, params)
    many = not isinstance(params, Mapping)
    first: Params = params[0] if many else params  # type: ignore[index,assignment]
    keys = tuple(first)
    compiled = _compiled.get((id(statement), keys))
    if compiled is None:
        compiled = _compiled[(id(statement), keys)] = _Compiled(statement, keys, conn)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if many:
            batch = [compiled.args(p)[1] for p in params]  # type: ignore[union-attr]
            cursor.executemany(compiled.sql, batch)
            return Rows([], cursor.rowcount, None)
        sql, values = compiled.args(first)
        cursor.execute(sql, values)
        return Rows(compiled.rows(cursor), cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()
