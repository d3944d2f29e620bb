from django.urls import path, re_path

from listing.exports import export_view
from listing.views import ListingView

from . import exports, views
from .listings import PUBLICATIONS
from .selectors import publication_search

app_name = "publications"

urlpatterns = [
    path("", ListingView.as_view(listing=PUBLICATIONS), name="publication_list"),
    re_path(
        r"^export\.(?P<format>csv|json)$",
        export_view,
        {"search": publication_search, "build": exports.publication_export},
        name="publication_export",
    ),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="publication_detail"),
]
