from django.urls import path

from listing.urls import listing_urls

from . import views
from .listings import ORGANIZATIONS, PEOPLE, PRACTICES

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("statistics/", views.organization_statistics, name="statistics"),
    *listing_urls("organizations/", ORGANIZATIONS, "organization"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path(
        "organizations/<slug:slug>/contact/",
        views.organization_contact,
        name="organization_contact",
    ),
    path(
        "organizations/<slug:slug>/suggest/",
        views.organization_suggest,
        name="organization_suggest",
    ),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/thanks/", views.suggest_thanks, name="suggest_thanks"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    *listing_urls("people/", PEOPLE, "person"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
    *listing_urls("practices/", PRACTICES, "practice"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice_detail"),
]
