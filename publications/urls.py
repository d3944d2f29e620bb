from django.urls import path

from listing.urls import listing_urls

from . import views
from .listings import PUBLICATIONS

app_name = "publications"

urlpatterns = [
    *listing_urls("", PUBLICATIONS, "publication"),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="publication_detail"),
]
