"""Downloads of the public lists as CSV or JSON (issue 4): thin views over ``exports``."""

import logging

from django.db import DatabaseError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from publications.selectors import publication_search
from rightsnet.dberrors import RETRY_AFTER_SECONDS, is_transient

from . import exports
from .selectors import organization_search, person_search

logger = logging.getLogger(__name__)


def _export_response(request, *, fmt: str, selector, build):
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format")
    language = (translation.get_language() or "ru").split("-")[0]
    try:
        result = selector(params=request.GET, language=language)
        total = result.total
        export = build(result=result, base_url=request.build_absolute_uri("/"))
        # The first queries run now: an export that cannot start fails before its first byte.
        export.start()
    except DatabaseError as error:
        return _export_failed(request, error, language)
    if request.method == "HEAD":
        # No body to send: the export could start, which is what HEAD can tell; its
        # query is let go of now rather than when the server closes the response.
        export.close()
        body = iter(())
    else:
        body = export.stream(fmt)
    response = StreamingHttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.filename(fmt)}"'
    # Exports change with every edit and can be large: never kept by a cache.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # How many rows the download will have (the list page shows the same figure).
    response["X-Total-Count"] = str(total)
    return response


def _export_failed(request, error: DatabaseError, language: str):
    """503 with Retry-After when trying again can help (``is_transient``), else 500.

    The page is made without the database (it may be the reason) and says "try again"
    only in the first case.
    """
    transient = is_transient(error)
    logger.error("Export %s could not start", request.path, exc_info=error)
    other = "en" if language == "ru" else "ru"
    response = render(
        request,
        "directory/export_failed.html",
        {"transient": transient, "language": language, "languages": [language, other]},
        status=503 if transient else 500,
    )
    response["Cache-Control"] = "no-store"
    if transient:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@require_safe
def organization_export(request, format):
    return _export_response(
        request, fmt=format, selector=organization_search, build=exports.organization_export
    )


@require_safe
def person_export(request, format):
    return _export_response(
        request, fmt=format, selector=person_search, build=exports.person_export
    )


@require_safe
def publication_export(request, format):
    return _export_response(
        request, fmt=format, selector=publication_search, build=exports.publication_export
    )
