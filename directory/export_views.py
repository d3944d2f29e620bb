"""Downloads of the public lists as CSV or JSON (issue 4): thin views over ``exports``."""

from django.http import Http404, StreamingHttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from publications.selectors import publication_search

from . import exports
from .selectors import organization_search, person_search


def _export_response(request, *, fmt: str, selector, build) -> StreamingHttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format")
    language = (translation.get_language() or "ru").split("-")[0]
    result = selector(params=request.GET, language=language)
    export = build(result=result, base_url=request.build_absolute_uri("/"))
    response = StreamingHttpResponse(export.stream(fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.filename(fmt)}"'
    # Exports change with every edit and can be large: never kept by a cache.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # How many rows the download will have (the list page shows the same figure).
    response["X-Total-Count"] = str(result.total)
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
