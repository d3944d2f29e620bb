"""The site's URLconf plus one view that fails, for the server-error page's tests."""

from django.urls import path

from rightsnet.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a deliberate failure")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
