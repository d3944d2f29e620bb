from django.urls import path, re_path

from listing.exports import export_view
from listing.views import ListingView

from . import exports, views
from .listings import ORGANIZATIONS, PEOPLE
from .selectors import organization_search, person_search

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("organizations/", ListingView.as_view(listing=ORGANIZATIONS), name="organization_list"),
    re_path(
        r"^organizations/export\.(?P<format>csv|json)$",
        export_view,
        {"search": organization_search, "build": exports.organization_export},
        name="organization_export",
    ),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("people/", ListingView.as_view(listing=PEOPLE), name="person_list"),
    re_path(
        r"^people/export\.(?P<format>csv|json)$",
        export_view,
        {"search": person_search, "build": exports.person_export},
        name="person_export",
    ),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
]
