"""sitemap.xml: an index of sections of at most 10,000 URLs, cached; and robots.txt.

``/sitemap.xml`` is a sitemap index (Django's ``index`` view) naming one document per
section and page, ``/sitemap-<section>.xml?p=<n>`` (Django's ``sitemap`` view). Each
item is listed once per language, with every language (and ``x-default``) as its
alternates, so a section of ``MAX_URLS`` ``<url>`` entries holds ``MAX_URLS / 2``
items. Only published entries are listed, never drafts nor demo rows (``is_demo``:
fictional data, whose pages also keep out of search engines with a ``noindex``).

A section's page is counted and sliced in the database (``_LanguagePairs``), never
read whole, and its addresses are made with one ``reverse()`` per language. Each
rendered document is cached, gzip-compressed, under the data version
(``directory.freshness``), so a write to the directory makes every cached document
unreachable at once. Responses carry a weak ``ETag`` (a hash of the document) and a
``Last-Modified`` (when this exact document was first built), so a crawler's
conditional GET is answered 304 without a body.
"""

import datetime
import gzip
import hashlib
import html
import re
import time

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.requests import RequestSite
from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Max, QuerySet
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from directory import freshness
from directory.models import ActivityType, Organization, Person, Practice, Region
from publications.models import Publication

# <url> entries per section document (the protocol allows 50,000 and 50 MB).
MAX_URLS = 10_000
CONTENT_TYPE = "application/xml"
_SLUG_MARKER = "sitemap-slug-marker"
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_PAGE = re.compile(r"[1-9][0-9]{0,5}")
_NEEDS_ESCAPE = re.compile(r"[&<>\"']").search
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
    priority = None

    def __init__(self):
        self._url_parts: dict[str, tuple[str, str]] = {}

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def items(self):
        fields = ["slug", "updated_at"] if self.dated else ["slug"]
        return self.queryset().order_by("pk").values_list(*fields, named=True)

    def url_parts(self, language: str) -> tuple[str, str]:
        """(before, after) the slug in an item's address in ``language``: one reverse()."""
        parts = self._url_parts.get(language)
        if parts is None:
            with translation.override(language):
                url = reverse(self.url_name, kwargs={"slug": _SLUG_MARKER})
            before, after = url.split(_SLUG_MARKER)
            parts = self._url_parts[language] = (before, after)
        return parts

    def _urls(self, page, protocol, domain):
        """Django's ``Sitemap._urls`` (the same entries), without a reverse() per address."""
        site = f"{protocol}://{domain}"
        languages = self._languages()
        starts = {code: site + self.url_parts(code)[0] for code in languages}
        ends = {code: self.url_parts(code)[1] for code in languages}
        default = settings.LANGUAGE_CODE
        if self.x_default and default in starts:
            # As Django does: the default language's address without its prefix.
            x_default = (starts[default].replace(f"/{default}/", "/", 1), ends[default])
        else:
            x_default = None
        priority = str(self.priority) if self.priority is not None else ""
        urls, latest = [], None
        for item, language in self.paginator.page(page).object_list:
            slug = item.slug
            alternates = [
                {"location": starts[code] + slug + ends[code], "lang_code": code}
                for code in languages
            ]
            if x_default:
                alternates.append(
                    {"location": x_default[0] + slug + x_default[1], "lang_code": "x-default"}
                )
            lastmod = item.updated_at if self.dated else None
            if lastmod is not None and (latest is None or lastmod > latest):
                latest = lastmod
            urls.append(
                {
                    "item": (item, language),
                    "location": starts[language] + slug + ends[language],
                    "lastmod": lastmod,
                    "changefreq": None,
                    "priority": priority,
                    "alternates": alternates,
                }
            )
        if self.dated and latest is not None:
            self.latest_lastmod = latest
        return urls

    def get_latest_lastmod(self):
        if not self.dated:
            return None
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


def _real(queryset: QuerySet) -> QuerySet:
    """Published rows, without the demo entries."""
    return queryset.published().filter(is_demo=False)


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
            "directory:practice_list",
            "opendata:data",
        ]

    def location(self, item):
        return reverse(item)


class OrganizationSitemap(SlugSitemap):
    priority = 0.7
    url_name = "directory:organization_detail"

    def queryset(self):
        return _real(Organization.objects)


class PersonSitemap(SlugSitemap):
    url_name = "directory:person_detail"

    def queryset(self):
        return _real(Person.objects)


class PublicationSitemap(SlugSitemap):
    url_name = "publications:publication_detail"

    def queryset(self):
        return _real(Publication.objects)


class PracticeSitemap(SlugSitemap):
    url_name = "directory:practice_detail"

    def queryset(self):
        return _real(Practice.objects)


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
    "practices": PracticeSitemap,
}


def urlset_xml(urls: list[dict]) -> str:
    """A ``<urlset>`` of ``Sitemap.get_urls()``'s entries.

    The document Django's ``sitemap.xml`` template makes (its ``spaceless`` output),
    written directly: the template took most of the time of a 10,000-URL section.
    """
    to_local = timezone.localtime

    def escape(text: str) -> str:
        # The template's autoescape (html.escape), checked in one scan: addresses rarely
        # hold anything to escape.
        return html.escape(text) if _NEEDS_ESCAPE(text) else text

    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    for url in urls:
        parts.append("<url><loc>" + escape(url["location"]) + "</loc>")
        lastmod = url["lastmod"]
        if lastmod:
            if isinstance(lastmod, datetime.datetime):
                lastmod = to_local(lastmod) if timezone.is_aware(lastmod) else lastmod
            parts.append("<lastmod>" + lastmod.strftime("%Y-%m-%d") + "</lastmod>")
        if url["changefreq"]:
            parts.append("<changefreq>" + escape(url["changefreq"]) + "</changefreq>")
        if url["priority"]:
            parts.append("<priority>" + escape(url["priority"]) + "</priority>")
        for alternate in url["alternates"]:
            parts.append(
                '<xhtml:link rel="alternate" hreflang="'
                + escape(alternate["lang_code"])
                + '" href="'
                + escape(alternate["location"])
                + '"/>'
            )
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    return "".join(parts)


def _document(request, name: str, render) -> HttpResponse:
    """The cached document ``name`` for this site address, answering conditional GETs.

    ``render()`` makes the XML text on a miss. The cache holds the gzip-compressed
    bytes, its weak ETag and the time this exact document was first built.
    """
    site = f"{request.scheme}://{request.get_host()}"

    def build():
        body = gzip.compress(render().encode(), compresslevel=6, mtime=0)
        etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        first_seen_key = f"sitemap:first-seen:{etag}"
        first_seen = cache.get(first_seen_key)
        if first_seen is None:
            first_seen = int(time.time())
            cache.set(first_seen_key, first_seen, _FIRST_SEEN_TIMEOUT)
        return body, etag, first_seen

    body, etag, first_seen = freshness.cached(f"sitemap:{site}:{name}", build)
    not_modified = get_conditional_response(request, etag=etag, last_modified=first_seen)
    if not_modified is not None:
        response = not_modified
    elif _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type=CONTENT_TYPE)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(first_seen)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    # Crawlers may keep a copy but must ask again (a write changes the documents).
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


# A sitemap is XML, never a page: no script, image or font at all. Browsers show it with
# their own XML viewer, which styles its tree with an inline <style> and data: images
# (Chromium's viewer reports violations under the site's policy).
XML_POLICY = csp_replace(
    {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "font-src": ["'none'"],
        "connect-src": ["'none'"],
    }
)


@XML_POLICY
@require_safe
def sitemap_index(request):
    """``/sitemap.xml``: every section's pages (Django's index view and template)."""

    def render() -> str:
        response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")
        return response.rendered_content

    return _document(request, "index", render)


@XML_POLICY
@require_safe
def sitemap_section(request, section: str):
    """``/sitemap-<section>.xml?p=<n>``: one page of a section, at most ``MAX_URLS`` URLs."""
    page = request.GET.get("p", "1")
    if section not in SITEMAPS or not _PAGE.fullmatch(page):
        raise Http404("No such sitemap.")

    def render() -> str:
        sitemap = SITEMAPS[section]()
        try:
            urls = sitemap.get_urls(
                page=int(page), site=RequestSite(request), protocol=request.scheme
            )
        except EmptyPage:
            raise Http404("No such sitemap.") from None
        return urlset_xml(urls)

    return _document(request, f"{section}:{page}", render)


EXPORT_URL_NAMES = [
    "directory:organization_export",
    "directory:person_export",
    "publications:publication_export",
    "directory:practice_export",
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
