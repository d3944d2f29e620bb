"""The data page, the data package, the vocabularies as CSV and the latest snapshot:
thin views over ``page``, ``datapackage``, ``vocabularies`` and ``snapshot``."""

from __future__ import annotations

import orjson
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from directory import freshness
from listing.exports import CONTENT_TYPES, FILE_VERSION
from rightsnet import conditional
from rightsnet.i18n import current_language

from . import snapshot, vocabularies
from .datapackage import data_package
from .page import data_page_content


@require_safe
def data_page(request):
    language = current_language()
    context = data_page_content(language, request.build_absolute_uri("/"))
    return render(request, "data/data.html", context)


@require_safe
def datapackage(request):
    """The package, with the exports' validators: 304 while the data is unchanged (it
    says when it was made, so the day is part of the key, as for the exports)."""
    return conditional.respond(
        request,
        freshness.state(),
        (request.path, FILE_VERSION, timezone.localdate().isoformat(), request.get_host()),
        lambda: _datapackage_response(request),
        content_type=CONTENT_TYPES["json"],
    )


def _datapackage_response(request):
    language = current_language()
    package = data_package(
        lang=language,
        list_path=lambda data_list, lang: request.build_absolute_uri(
            reverse(data_list.export_url_name, kwargs={"format": "csv"})
        ),
        vocabulary_path=lambda name: request.build_absolute_uri(reverse(f"opendata:{name}_csv")),
        name=f"rightsnet-{language}",
        homepage=request.build_absolute_uri(reverse("opendata:data")),
    )
    response = HttpResponse(
        orjson.dumps(package, option=orjson.OPT_INDENT_2), content_type=CONTENT_TYPES["json"]
    )
    return response


@require_safe
def vocabulary(request, name: str):
    rows = vocabularies.VOCABULARY_FILES[name]
    response = HttpResponse(b"".join(rows()), content_type=CONTENT_TYPES["csv"])
    filename = f"rightsnet-{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def latest_snapshot(request):
    """The newest snapshot as a download, or a page saying there is none yet (404)."""
    latest = snapshot.latest(settings.SNAPSHOT_DIR)
    if latest is None:
        return render(request, "data/snapshot_missing.html", status=404)
    try:
        handle = open(latest, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:  # pruned by a build since it was listed
        return render(request, "data/snapshot_missing.html", status=404)
    return FileResponse(
        handle, as_attachment=True, filename=latest.name, content_type="application/zip"
    )
