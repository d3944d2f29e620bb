"""Root URLconf: the public site under /ru/ and /en/, the admin outside them."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    path("publications/", include("publications.urls")),
    prefix_default_language=True,
)
