"""PostgreSQL through asyncpg without a transaction around reads that need none.

SQLAlchemy's asyncpg adapter sends BEGIN before the first statement on a connection and
ROLLBACK (or COMMIT) when the request ends: two extra round trips for every read-only
request, on top of the reads themselves (issue 11). This adapter begins the transaction
lazily, before the first statement that is not a plain read, which is what the SQLite driver
(pysqlite) has always done for this app: a request that only reads runs each SELECT in its
own implicit transaction and ends with nothing to roll back. Under READ COMMITTED, the
isolation the app uses, every statement sees a fresh snapshot inside a transaction as well,
so the reads return the same rows.

What must stay inside a transaction always begins one: every statement other than a SELECT
(writes, DDL, SAVEPOINT, SET), a SELECT that locks rows (``FOR UPDATE``/``FOR SHARE``) or takes
an advisory lock, calls a function with transaction-scoped effects (``set_config``,
``nextval``/``setval``), and server-side cursors. Once a transaction has begun, everything runs
in it until COMMIT or ROLLBACK, as before.

``Database`` passes it to ``create_async_engine(module=...)``: the dialect stays SQLAlchemy's
own ``postgresql+asyncpg``.
"""
from __future__ import annotations

import contextvars
import re

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import (AsyncAdapt_asyncpg_connection, AsyncAdapt_asyncpg_cursor,
                                                    AsyncAdapt_asyncpg_dbapi)
from sqlalchemy.util.concurrency import await_only

_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_NEEDS_TRANSACTION = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|pg_advisory|set_config|nextval|setval|txid_|pg_current_xact",
    re.IGNORECASE)
# Set by the cursor for the statement it is about to run, in that statement's task only.
_begin_deferred: contextvars.ContextVar[bool] = contextvars.ContextVar("xf_begin_deferred", default=False)


def plain_read(sql: str) -> bool:
    """A SELECT that neither locks nor has effects that need the transaction to last."""
    return bool(_PLAIN_READ.match(sql)) and not _NEEDS_TRANSACTION.search(sql)


class LazyBeginCursor(AsyncAdapt_asyncpg_cursor):
    __slots__ = ()

    async def _prepare_and_execute(self, operation, parameters):
        token = _begin_deferred.set(not self._adapt_connection._started and plain_read(operation))
        try:
            return await super()._prepare_and_execute(operation, parameters)
        finally:
            _begin_deferred.reset(token)


class LazyBeginConnection(AsyncAdapt_asyncpg_connection):
    __slots__ = ()

    async def _start_transaction(self):
        if _begin_deferred.get():
            return
        await super()._start_transaction()

    def cursor(self, server_side=False):
        if server_side:  # asyncpg cursors live inside a transaction
            return super().cursor(server_side=True)
        return LazyBeginCursor(self)


class LazyBeginDBAPI(AsyncAdapt_asyncpg_dbapi):
    def connect(self, *arg, **kw):
        """SQLAlchemy's own ``connect`` (2.0), with the lazy-begin connection."""
        kw.pop("async_fallback", None)
        creator_fn = kw.pop("async_creator_fn", self.asyncpg.connect)
        cache_size = kw.pop("prepared_statement_cache_size", 100)
        name_func = kw.pop("prepared_statement_name_func", None)
        return LazyBeginConnection(self, await_only(creator_fn(*arg, **kw)), prepared_statement_cache_size=cache_size,
                                   prepared_statement_name_func=name_func)


dbapi = LazyBeginDBAPI(asyncpg)
