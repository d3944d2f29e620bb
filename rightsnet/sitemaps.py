"""sitemap.xml: an index of sections of at most 10,000 URLs, cached; and robots.txt.

``/sitemap.xml`` is a sitemap index (Django's ``index`` view) naming one document per
section and page, ``/sitemap-<section>.xml?p=<n>`` (Django's ``sitemap`` view). Each
item is listed once per language, with every language (and ``x-default``) as its
alternates, so a section of ``MAX_URLS`` ``<url>`` entries holds ``MAX_URLS / 2``
items. Only published entries are listed, never drafts nor the generator's demo rows
(slugs starting with ``synthetic-``).

A section's page is counted and sliced in the database (``_LanguagePairs``), never
read whole, and its addresses are made with one ``reverse()`` per language. Each
rendered document is cached, gzip-compressed, under the data version
(``directory.freshness``), so a write to the directory makes every cached document
unreachable at once. Responses carry a weak ``ETag`` (a hash of the document) and a
``Last-Modified`` (when this exact document was first built), so a crawler's
conditional GET is answered 304 without a body.
"""

import gzip
import hashlib
import re
import time

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from directory import freshness
from directory.generator import SYNTHETIC_PREFIX
from directory.models import ActivityType, Organization, Person, Region
from publications.models import Publication

# <url> entries per section document (the protocol allows 50,000 and 50 MB).
MAX_URLS = 10_000
_SLUG_MARKER = "sitemap-slug-marker"
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_PAGE = re.compile(r"[1-9][0-9]{0,5}")
# How long a document's first build time is remembered for Last-Modified.
_FIRST_SEEN_TIMEOUT = 7 * 24 * 60 * 60


class _LanguagePairs:
    """``(item, language)`` for every item of ``items`` and language, lazily.

    What Django's ``Sitemap._items()`` builds as a list of every pair: here the
    paginator's count is one ``COUNT`` and a page one sliced query.
    """

    def __init__(self, items, languages: list[str]):
        self.items = items
        self.languages = languages

    def count(self) -> int:
        total = self.items.count() if isinstance(self.items, QuerySet) else len(self.items)
        return total * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple]:
        per_item = len(self.languages)
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        first = start // per_item
        rows = self.items[first : -(-stop // per_item)]
        pairs = [(item, language) for item in rows for language in self.languages]
        offset = start - first * per_item
        return pairs[offset : offset + stop - start]


class BilingualSitemap(Sitemap):
    """Every item in each language, with the other languages as alternates."""

    i18n = True
    alternates = True
    x_default = True
    limit = MAX_URLS

    @property
    def paginator(self):
        return Paginator(_LanguagePairs(self.items(), self._languages()), self.limit)


class SlugSitemap(BilingualSitemap):
    """Rows of a model with a ``slug`` (and ``updated_at`` where ``dated``), by id."""

    url_name = ""
    dated = True

    def __init__(self):
        self._url_parts: dict[str, list[str]] = {}

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def items(self):
        fields = ["slug", "updated_at"] if self.dated else ["slug"]
        return self.queryset().order_by("pk").values_list(*fields, named=True)

    def location(self, item):
        # Called with the item's language active: one reverse() per language.
        language = translation.get_language()
        parts = self._url_parts.get(language)
        if parts is None:
            url = reverse(self.url_name, kwargs={"slug": _SLUG_MARKER})
            parts = self._url_parts[language] = url.split(_SLUG_MARKER)
        return parts[0] + item.slug + parts[1]

    def get_latest_lastmod(self):
        if not self.dated:
            return None
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


def _real(queryset: QuerySet) -> QuerySet:
    """Published rows, without the generator's demo entries."""
    return queryset.published().exclude(slug__startswith=SYNTHETIC_PREFIX)


class StaticPagesSitemap(BilingualSitemap):
    priority = 0.8

    def items(self):
        return [
            "directory:home",
            "directory:about",
            "directory:organization_list",
            "directory:region_list",
            "directory:activity_list",
            "directory:person_list",
            "publications:publication_list",
        ]

    def location(self, item):
        return reverse(item)


class OrganizationSitemap(SlugSitemap):
    priority = 0.7
    url_name = "directory:organization_detail"

    def queryset(self):
        return _real(Organization.objects)

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(SlugSitemap):
    url_name = "directory:person_detail"

    def queryset(self):
        return _real(Person.objects)

    def lastmod(self, item):
        return item.updated_at


class PublicationSitemap(SlugSitemap):
    url_name = "publications:publication_detail"

    def queryset(self):
        return _real(Publication.objects)

    def lastmod(self, item):
        return item.updated_at


class RegionSitemap(SlugSitemap):
    url_name = "directory:region_detail"
    dated = False

    def queryset(self):
        return Region.objects.all()


class ActivitySitemap(SlugSitemap):
    url_name = "directory:activity_detail"
    dated = False

    def queryset(self):
        return ActivityType.objects.all()


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "organizations": OrganizationSitemap,
    "regions": RegionSitemap,
    "activities": ActivitySitemap,
    "people": PersonSitemap,
    "publications": PublicationSitemap,
}


def _document(request, name: str, render) -> HttpResponse:
    """The cached document ``name`` for this site address, answering conditional GETs.

    ``render()`` makes the response on a miss. The cache holds the gzip-compressed
    bytes, its weak ETag and the time this exact document was first built.
    """
    site = f"{request.scheme}://{request.get_host()}"

    def build():
        response = render()
        response.render()
        body = gzip.compress(response.content, compresslevel=6, mtime=0)
        etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        first_seen_key = f"sitemap:first-seen:{etag}"
        first_seen = cache.get(first_seen_key)
        if first_seen is None:
            first_seen = int(time.time())
            cache.set(first_seen_key, first_seen, _FIRST_SEEN_TIMEOUT)
        return body, etag, first_seen, response["Content-Type"]

    body, etag, first_seen, content_type = freshness.cached(f"sitemap:{site}:{name}", build)
    not_modified = get_conditional_response(request, etag=etag, last_modified=first_seen)
    if not_modified is not None:
        response = not_modified
    elif _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(body, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(first_seen)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    # Crawlers may keep a copy but must ask again (a write changes the documents).
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_safe
def sitemap_index(request):
    """``/sitemap.xml``: every section's pages."""
    return _document(
        request,
        "index",
        lambda: sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section"),
    )


@require_safe
def sitemap_section(request, section: str):
    """``/sitemap-<section>.xml?p=<n>``: one page of a section, at most ``MAX_URLS`` URLs."""
    page = request.GET.get("p", "1")
    if section not in SITEMAPS or not _PAGE.fullmatch(page):
        raise Http404("No such sitemap.")
    return _document(
        request,
        f"{section}:{page}",
        lambda: sitemap_views.sitemap(request, SITEMAPS, section=section),
    )


EXPORT_URL_NAMES = [
    "directory:organization_export",
    "directory:person_export",
    "publications:publication_export",
]


def export_paths() -> list[str]:
    """``/ru/organizations/export`` ...: the export URLs of every format, as prefixes."""
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in EXPORT_URL_NAMES:
                try:
                    url = reverse(name, kwargs={"format": "csv"})
                except NoReverseMatch:
                    continue
                paths.append(url.rsplit(".", 1)[0])
    return paths


class RobotsView(TemplateView):
    """robots.txt. It never names the admin: that would publish what DJANGO_ADMIN_URL hides."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_paths"] = export_paths()
        context["sitemap_url"] = self.request.build_absolute_uri(reverse("sitemap"))
        return context
