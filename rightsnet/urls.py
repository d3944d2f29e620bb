"""Root URLconf: the public site under /ru/ and /en/, the admin outside them."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sitedata.sitemaps import RobotsView, sitemap_index, sitemap_section

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    # Browsers that ignore the pages' rel=icon ask for /favicon.ico: the SVG, not a 404.
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True),
        name="favicon",
    ),
]

urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    path("publications/", include("publications.urls")),
    path("data/", include("opendata.urls")),
    prefix_default_language=True,
)

handler500 = "rightsnet.errors.server_error"
