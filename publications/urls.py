from django.urls import path, re_path

from directory import export_views

from . import views

app_name = "publications"

urlpatterns = [
    path("", views.PublicationListView.as_view(), name="publication_list"),
    re_path(
        r"^export\.(?P<format>csv|json)$",
        export_views.publication_export,
        name="publication_export",
    ),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="publication_detail"),
]
