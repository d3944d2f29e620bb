"""The server-error handler: 503 with Retry-After when the database cannot be reached.

Django calls ``handler500`` while it handles the exception, whichever middleware or
view raised it, so ``sys.exc_info()`` tells an outage from a bug. The 503 page is
rendered without a request: no context processor, nothing that queries.
"""

import sqlite3
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import get_language, get_language_from_path
from django.views.defaults import server_error as default_server_error

RETRY_AFTER_SECONDS = 30

# SQLite reports mistakes in a query ("no such table") as OperationalError too;
# only these mean the database itself is busy or out of reach.
SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database is out of reach for now (not a bug in a query)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(SQLITE_UNAVAILABLE)
    # PostgreSQL's operational errors: connection refused or lost, shutdown, timeouts.
    return True


def server_error(request, template_name: str = "500.html"):
    if not database_unavailable(sys.exc_info()[1]):
        return default_server_error(request, template_name)
    language = get_language_from_path(request.path_info) or get_language() or "ru"
    html = loader.get_template("503.html").render({"language": language})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
