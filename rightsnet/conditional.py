"""Conditional GET for the downloads: ``ETag`` and ``Last-Modified`` from the data version.

A downloaded file (an export, the data package) is the same file until the public data
changes, so its validators come from ``directory.freshness``'s one row: the ETag from the
version's number and what makes this file this file (its address, its cleaned filters,
its language and format, the version of its columns), ``Last-Modified`` from the time of
the last write. A request whose ``If-None-Match`` (or, without one, ``If-Modified-Since``)
matches is answered ``304 Not Modified`` before the file is made: no query of the rows.

- ETags are weak (``W/"..."``): the same data gives the same content, not promised byte
  for byte (the gzip middleware's pieces, a spreadsheet's zip); weak comparison is all
  ``If-None-Match`` uses, and nothing here serves ranges.
- ``Cache-Control: no-cache``: a browser or a cache may keep the file but asks again
  before each use, so a write is seen at once and an unchanged file costs one 304.
- A 304 carries what the 200 would (RFC 9110 15.4.5): the ETag, Last-Modified,
  Cache-Control and ``Vary: Accept-Encoding`` when the 200 would be compressed
  (``rightsnet.compression``, which adds it to the 200 but never sees a 304's type).
- Malformed conditional headers are ignored (Django's ``get_conditional_response``:
  a bad date is no date, a bad ETag list matches nothing; ``*`` matches).

This module imports no app (``listing`` uses it): the caller passes the version.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from .compression import COMPRESSED_TYPES

CACHE_CONTROL = "no-cache"


def etag(number: int, key: Iterable) -> str:
    """The weak ETag of the file named by ``key`` (texts and numbers) at data version
    ``number``."""
    text = json.dumps([number, *map(str, key)], ensure_ascii=False)
    return 'W/"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def respond(
    request: HttpRequest,
    version: tuple[int, datetime | None],
    key: Iterable,
    make: Callable[[], HttpResponse],
    *,
    content_type: str,
) -> HttpResponse:
    """A 304 (or 412) when the request's validators match, else ``make()``'s response.

    ``version``: ``(number, changed_at)``, ``directory.freshness.state()``; ``key``: what
    besides the data makes the file (e.g. ``(request.path, language, COLUMNS_VERSION)``);
    ``content_type``: the type ``make()`` answers with (for the 304's ``Vary``). A
    successful ``make()`` response gets the ETag, Last-Modified and Cache-Control; an
    error response (an export that could not start) is left alone.
    """
    number, changed_at = version
    tag = etag(number, key)
    last_modified = int(changed_at.timestamp()) if changed_at else None
    response = get_conditional_response(request, etag=tag, last_modified=last_modified)
    if response is not None:
        if content_type.split(";")[0].strip().lower() in COMPRESSED_TYPES:
            patch_vary_headers(response, ("Accept-Encoding",))
    else:
        response = make()
        if response.status_code != 200:
            return response
    response["ETag"] = tag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    return response
