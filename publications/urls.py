from django.urls import path, re_path

from directory import export_views
from listing.views import ListingView

from . import views
from .listings import PUBLICATIONS

app_name = "publications"

urlpatterns = [
    path("", ListingView.as_view(listing=PUBLICATIONS), name="publication_list"),
    re_path(
        r"^export\.(?P<format>csv|json)$",
        export_views.publication_export,
        name="publication_export",
    ),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="publication_detail"),
]
