"""Which database errors pass by themselves, so that a visitor trying again can help.

A lost or refused connection, a statement or lock timeout, a deadlock or a
serialization failure, a server shutting down or out of resources, a SQLite
database busy with another writer: all transient. A missing table or column, bad
SQL or a constraint: not, and a message must not tell anyone to try again.
"""

from django.db import DatabaseError, InterfaceError, OperationalError

# PostgreSQL SQLSTATE classes (first two characters): connection exception, transaction
# rollback, insufficient resources, operator intervention (statement timeout, shutdown),
# system error; and lock_not_available (lock_timeout, NOWAIT).
TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})
TRANSIENT_SQLSTATES = frozenset({"55P03"})
# SQLite's primary result codes SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR and
# SQLITE_CANTOPEN (the database file is busy or out of reach, not a wrong query).
TRANSIENT_SQLITE_CODES = frozenset({5, 6, 10, 14})
# What a response that can be tried again tells the client (Retry-After, seconds).
RETRY_AFTER_SECONDS = 30


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is a database error that trying again later can get past."""
    if isinstance(exc, InterfaceError):
        return True  # the connection is gone
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES or sqlstate in TRANSIENT_SQLSTATES
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in TRANSIENT_SQLITE_CODES
    # No code from the driver: an OperationalError is then a connection that failed.
    return isinstance(exc, OperationalError)
