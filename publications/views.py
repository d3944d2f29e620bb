"""Public pages of the publications catalogue (placeholders until the public site lands)."""

from django.views.generic import DetailView, ListView

from .models import Publication


class PublicationListView(ListView):
    queryset = Publication.objects.published()


class PublicationDetailView(DetailView):
    queryset = Publication.objects.published()
