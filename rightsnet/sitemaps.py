"""sitemap.xml in both languages, published entries only, and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.generic import TemplateView

from directory.models import ActivityType, Organization, Person, Region
from publications.models import Publication


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


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


class OrganizationSitemap(BilingualSitemap):
    priority = 0.7

    def items(self):
        return Organization.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class PersonSitemap(BilingualSitemap):
    def items(self):
        return Person.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class PublicationSitemap(BilingualSitemap):
    def items(self):
        return Publication.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class RegionSitemap(BilingualSitemap):
    def items(self):
        return Region.objects.only("slug").order_by("pk")


class ActivitySitemap(BilingualSitemap):
    def items(self):
        return ActivityType.objects.only("slug").order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "organizations": OrganizationSitemap,
    "regions": RegionSitemap,
    "activities": ActivitySitemap,
    "people": PersonSitemap,
    "publications": PublicationSitemap,
}


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
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["admin_path"] = settings.ADMIN_URL
        context["export_paths"] = export_paths()
        context["sitemap_url"] = self.request.build_absolute_uri(reverse("sitemap"))
        return context
