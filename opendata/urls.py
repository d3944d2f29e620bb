from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.data_page, name="data"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("regions.csv", views.vocabulary, {"name": "regions"}, name="regions_csv"),
    path("activities.csv", views.vocabulary, {"name": "activities"}, name="activities_csv"),
    path("snapshot/latest.zip", views.latest_snapshot, name="latest_snapshot"),
]
